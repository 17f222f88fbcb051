/**
 * Pure arithmetic of the proleptic Gregorian calendar (the one Spark 3 and Iceberg store), for any
 * year and without Date objects: what date and time validation and the staged Parquet values
 * (days and microseconds since 1970-01-01 UTC) both count with.
 */

/** Days of a month (1-12) of a year; 0 for a month that does not exist. */
export function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (any year, no Date object involved). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * Microseconds since the epoch of a proleptic Gregorian UTC date and time: a number where it is
 * exact (within about ±285 years of 1970), a BigInt beyond.
 */
export function epochMicros(year: number, month: number, day: number, hour: number, minute: number, second: number, micros: number): number | bigint {
  const seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second;
  const exact = seconds * 1_000_000 + micros;
  return Number.isSafeInteger(exact) ? exact : BigInt(seconds) * 1_000_000n + BigInt(micros);
}

/** The proleptic Gregorian year and month (1-12) of a day counted from 1970-01-01 (daysFromCivil's inverse). */
export function civilMonth(days: number): { year: number; month: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1_460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month };
}
