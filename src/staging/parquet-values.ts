/**
 * Pure: turns values decoded from a Parquet batch file into what the same record would hold had
 * it arrived as a JSON line, so BATCH records take the ordinary RECORD path unchanged. Dates and
 * timestamps become ISO text (a Singer `date-time` is a string), times of day `HH:MM:SS.ffffff`, 64-bit integers become numbers
 * when they are exact as numbers and stay BigInt otherwise (as parseJson hands them over), bytes
 * become base64 text, decimals keep every digit.
 */

import { decimalText } from '../singer/decimal-text.js';
import { parseNumber, type ExactNumber } from '../singer/json.js';

/**
 * ISO 8601 UTC text of a count of `unitsPerSecond` units since the epoch, with microsecond digits
 * (nanosecond digits for nanoseconds): JS Date would cut Parquet's microseconds to milliseconds.
 * Nanoseconds are kept in the text, so the record path cuts them to the microsecond Spark stores
 * and says so, as for a JSON tap's value.
 */
export function isoTimestamp(units: bigint, unitsPerSecond: bigint): string {
  // Floor division, so instants before 1970 get a positive fraction of their second.
  let seconds = units / unitsPerSecond;
  let rest = units % unitsPerSecond;
  if (rest < 0n) {
    seconds -= 1n;
    rest += unitsPerSecond;
  }
  const digits = unitsPerSecond > 1_000_000n ? 9 : 6;
  const fraction = (rest * 10n ** BigInt(digits)) / unitsPerSecond;
  const date = new Date(Number(seconds) * 1000);
  // Beyond what Date holds (±273,790 years) the text is left unparseable on purpose: the record
  // path then refuses it (or stores NULL under on_invalid_datetime), as any invalid date-time.
  if (Number.isNaN(date.getTime())) return `out-of-range timestamp ${units}/${unitsPerSecond} s`;
  return date.toISOString().replace(/\.\d{3}Z$/, `.${fraction.toString().padStart(digits, '0')}Z`);
}

/**
 * `HH:MM:SS` of a Parquet TIME (units since midnight), with the fraction's digits when there is one
 * (6 for micro- and milliseconds, 9 for nanoseconds): the text a JSON tap sends for a time of day.
 */
export function isoTime(units: bigint, unitsPerSecond: bigint): string {
  const seconds = units / unitsPerSecond;
  const rest = units % unitsPerSecond;
  const two = (n: bigint) => n.toString().padStart(2, '0');
  const clock = `${two(seconds / 3600n)}:${two((seconds / 60n) % 60n)}:${two(seconds % 60n)}`;
  if (rest === 0n) return clock;
  const digits = unitsPerSecond > 1_000_000n ? 9 : 6;
  return `${clock}.${((rest * 10n ** BigInt(digits)) / unitsPerSecond).toString().padStart(digits, '0')}`;
}

/** `YYYY-MM-DD` of a Parquet DATE (days since the epoch). */
export function isoDate(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The value of a Parquet DECIMAL, exact: what parseJson makes of the same digits written as a JSON
 * number (a number when a double holds it exactly, else BigInt or ExactNumber, whose text decimal
 * columns read). `raw` is the unscaled integer as stored: INT32, INT64 or big-endian two's
 * complement bytes (FIXED_LEN_BYTE_ARRAY, BYTE_ARRAY).
 */
export function decimalValue(raw: number | bigint | Uint8Array, scale: number): number | bigint | ExactNumber {
  return parseNumber(decimalText(unscaledDecimal(raw), scale));
}

function unscaledDecimal(raw: number | bigint | Uint8Array): bigint {
  if (typeof raw === 'number') return BigInt(raw);
  if (typeof raw === 'bigint') return raw;
  let value = 0n;
  for (const byte of raw) value = (value << 8n) | BigInt(byte);
  // Two's complement: the top bit of the first byte is the sign.
  return raw.length > 0 && (raw[0] as number) >= 0x80 ? value - (1n << BigInt(raw.length * 8)) : value;
}

/** A record value in the shape the JSON path produces (recursively for lists and structs). */
export function jsonShaped(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  switch (typeof value) {
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value;
    case 'object':
      break;
    default:
      return value;
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) return value.map(jsonShaped);
  // Typed arrays of numbers (a REQUIRED repeated column may decode to one) become plain lists.
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>, jsonShaped);
  const out: Record<string, unknown> = {};
  // defineProperty: a field named `__proto__` is data, not the object's prototype.
  for (const [key, v] of Object.entries(value)) Object.defineProperty(out, key, { value: jsonShaped(v), enumerable: true, writable: true, configurable: true });
  return out;
}
