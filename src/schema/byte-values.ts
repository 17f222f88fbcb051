import { epochMicros } from './calendar.js';
import { utcFieldsValid } from './datetime.js';

/**
 * Pure: the values of the common tokens, read from the input bytes (record-scan.ts finds the
 * spans), each the same as the ordinary path gives for the parsed value (property-tested against
 * it in test/unit/scanned-records.test.ts). Undefined means "not the common form": the caller
 * then parses the token and takes the ordinary conversion.
 */

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** The value of a TOKEN_INTEGER (`-?digits`, at most 15 digits). */
export function integerAt(b: Uint8Array, start: number, end: number): number {
  const negative = b[start] === 0x2d;
  let value = 0;
  for (let i = negative ? start + 1 : start; i < end; i += 1) value = value * 10 + (b[i]! - 0x30);
  return negative ? -value : value;
}

/**
 * The double of a decimal `-?digits.digits` of at most 15 digits in all, or undefined for other
 * forms (an exponent, more digits). The digits are an integer below 2^53 and 10^k is exact, so one
 * IEEE division gives the correctly rounded result, the double JSON.parse gives.
 */
export function decimalAt(b: Uint8Array, start: number, end: number): number | undefined {
  const negative = b[start] === 0x2d;
  let value = 0;
  let digits = 0;
  let fraction = -1;
  for (let i = negative ? start + 1 : start; i < end; i += 1) {
    const c = b[i]!;
    if (c === 0x2e) {
      fraction = 0;
      continue;
    }
    if (c < 0x30 || c > 0x39) return undefined;
    value = value * 10 + (c - 0x30);
    digits += 1;
    if (fraction >= 0) fraction += 1;
  }
  if (digits > 15) return undefined;
  const result = fraction > 0 ? value / POWERS_OF_TEN[fraction]! : value;
  return negative ? -result : result;
}

/**
 * Microseconds since the epoch of `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (the form fastUtcTimestamp
 * takes, with the same checks): a number where it is exact (within about ±285 years of 1970), a
 * BigInt beyond; undefined for any other text.
 */
export function utcMicrosAt(b: Uint8Array, start: number, end: number): number | bigint | undefined {
  const n = end - start;
  if (n < 20 || b[end - 1] !== 0x5a) return undefined;
  if (b[start + 4] !== 0x2d || b[start + 7] !== 0x2d || b[start + 10] !== 0x54 || b[start + 13] !== 0x3a || b[start + 16] !== 0x3a) return undefined;
  const year = digitsAt(b, start, 4);
  const month = digitsAt(b, start + 5, 2);
  const day = digitsAt(b, start + 8, 2);
  const hour = digitsAt(b, start + 11, 2);
  const minute = digitsAt(b, start + 14, 2);
  const second = digitsAt(b, start + 17, 2);
  if (!utcFieldsValid(year, month, day, hour, minute, second)) return undefined;
  let micros = 0;
  if (n > 20) {
    if (b[start + 19] !== 0x2e || n === 21) return undefined;
    // Every written digit must be one; the first six are kept (Spark stores microseconds).
    for (let i = start + 20; i < end - 1; i += 1) if (b[i]! < 0x30 || b[i]! > 0x39) return undefined;
    // Digits beyond the microsecond that are not all zero are cut, which the ordinary path reports.
    for (let i = start + 26; i < end - 1; i += 1) if (b[i] !== 0x30) return undefined;
    for (let i = 0; i < 6; i += 1) micros = micros * 10 + (start + 20 + i < end - 1 ? b[start + 20 + i]! - 0x30 : 0);
  }
  return epochMicros(year, month, day, hour, minute, second, micros);
}

/** The value of `length` digits at `start`, or -1 if one of them is not a digit. */
function digitsAt(b: Uint8Array, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i += 1) {
    const c = b[i]! - 0x30;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}
