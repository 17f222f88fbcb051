/**
 * Date and time normalisation for staging. Spark casts `YYYY-MM-DD HH:MM:SS.ffffffZ` text exactly,
 * so every accepted timestamp is rewritten to that UTC form here. Accepted: RFC 3339 and the ISO
 * 8601 forms taps emit — `T`, `t` or a space between date and time, seconds optional, a fraction of
 * any length after `.` or `,` (kept to the microsecond, what Spark stores; JS Date would cut it to
 * milliseconds), `Z` or an offset `±hh:mm`/`±hhmm`/`±hh`, or `±hh:mm:ss` as Python writes the local mean time
 * of zones before 1900 (tap-postgres: `0001-01-01T05:41:16+05:41:16`) (none: UTC), the basic format
 * `20200101T000000Z`, `24:00:00` (the end of the day, i.e. the next day's midnight) and the leap
 * second `:60` (stored as `:59.999999`, the last storable instant of that minute, so the order of
 * values is kept). Anything else — an offset of `+99:99`, text after the value, a 13th month — is
 * invalid and refused; nothing is guessed.
 */

import { daysIn } from './calendar.js';

const EXTENDED = /^(\d{4,})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)? ?(Z|z|[+-]\d{2}(?::\d{2}(?::\d{2})?|\d{2})?)?)?$/;
const BASIC = /^(\d{4})(\d{2})(\d{2})[Tt](\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?(Z|z|[+-]\d{2}(?:\d{2})?)?$/;

/** Largest value Spark and Iceberg store; the original target used it for out-of-range input. */
export const MAX_TIMESTAMP = '9999-12-31 23:59:59.999999Z';
export const MAX_DATE = '9999-12-31';

/**
 * `invalid`: not a date-time. `beyond-9999`: a well-formed value after the year 9999, which Spark
 * does not store; the caller stores the largest value instead (the original target's rule).
 */
export type TimestampResult = { ok: true; value: string; altered?: 'sub-microsecond' | 'leap-second' | 'time-of-day' } | { ok: false; problem: 'invalid' | 'beyond-9999' };

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Fraction digits as written. */
  fraction: string;
  offset?: string;
}

function fieldsOf(text: string): Fields | undefined {
  const m = EXTENDED.exec(text) ?? BASIC.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', offset] = m;
  return {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
    fraction,
    ...(offset !== undefined ? { offset } : {}),
  };
}

/** Seconds east of UTC, or undefined for an offset outside ±23:59:59. */
function offsetSeconds(offset: string | undefined): number | undefined {
  if (offset === undefined || offset === 'Z' || offset === 'z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replaceAll(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  const seconds = digits.length > 4 ? Number(digits.slice(4, 6)) : 0;
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  return sign * (hours * 3600 + minutes * 60 + seconds);
}

/**
 * pipelinewise tap-mysql writes `_sdc_deleted_at` with its UTC offset twice
 * (`2019-12-18T13:19:44+00:00+00:00`); the second, redundant `+00:00` is dropped. Nothing else
 * after an offset is accepted.
 */
const DOUBLED_UTC_OFFSET = /^(.+(?:[+-]\d{2}:\d{2}|Z))\+00:00$/;

export function normaliseTimestamp(text: string): TimestampResult {
  const fast = fastUtcTimestamp(text);
  if (fast !== undefined) return { ok: true, value: fast };
  const trimmed = text.trim();
  const f = fieldsOf(DOUBLED_UTC_OFFSET.exec(trimmed)?.[1] ?? trimmed);
  if (!f) return { ok: false, problem: 'invalid' };
  const offset = offsetSeconds(f.offset);
  const endOfDay = f.hour === 24 && f.minute === 0 && f.second === 0 && /^0*$/.test(f.fraction);
  if (
    offset === undefined ||
    f.year < 1 ||
    f.month < 1 ||
    f.month > 12 ||
    f.day < 1 ||
    f.day > daysIn(f.year, f.month) ||
    (f.hour > 23 && !endOfDay) ||
    f.minute > 59 ||
    f.second > 60
  ) {
    return { ok: false, problem: 'invalid' };
  }
  if (f.year > 9999) return { ok: false, problem: 'beyond-9999' };
  const leap = f.second === 60;
  const micros = leap ? '999999' : (f.fraction + '000000').slice(0, 6);
  // What TIMESTAMP cannot store is said (counted per column by the caller), never dropped quietly.
  const altered = leap ? 'leap-second' : /[1-9]/.test(f.fraction.slice(6)) ? 'sub-microsecond' : undefined;
  const probe = new Date(Date.UTC(f.year, f.month - 1, f.day, endOfDay ? 0 : f.hour, f.minute, leap ? 59 : f.second));
  // Date.UTC maps years 0-99 to 1900-1999; set the year explicitly to keep them.
  if (f.year < 100) probe.setUTCFullYear(f.year, f.month - 1, f.day);
  const epochMs = probe.getTime() + (endOfDay ? 86_400_000 : 0) - offset * 1000;
  const utc = new Date(epochMs);
  // The UTC instant of a valid value may fall in the year 0 or 10000 (an offset across the
  // calendar's ends); Spark stores both, so the value is kept as given.
  const value =
    `${pad(utc.getUTCFullYear(), 4)}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())} ` +
    `${pad(utc.getUTCHours())}:${pad(utc.getUTCMinutes())}:${pad(utc.getUTCSeconds())}.${micros}Z`;
  return altered ? { ok: true, value, altered } : { ok: true, value };
}

/** `YYYY-MM-DD` of a date or a date-time value (the calendar date as written, no zone shift). */
export function normaliseDate(text: string): TimestampResult {
  const trimmed = text.trim();
  const m = /^(\d{4,})-(\d{2})-(\d{2})$/.exec(trimmed);
  if (!m) {
    // A full date-time is accepted for a date column when it is valid as a whole.
    const t = normaliseTimestamp(trimmed);
    if (!t.ok) return t;
    const f = (fieldsOf(trimmed) ?? fieldsOf(DOUBLED_UTC_OFFSET.exec(trimmed)?.[1] ?? trimmed)) as Fields;
    const value = `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`;
    // The time of day is not stored in a DATE: said when there was one (counted by the caller).
    return f.hour === 0 && f.minute === 0 && f.second === 0 && !/[1-9]/.test(f.fraction) ? { ok: true, value } : { ok: true, value, altered: 'time-of-day' };
  }
  const [, y, mo, d] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return { ok: false, problem: 'invalid' };
  if (year > 9999) return { ok: false, problem: 'beyond-9999' };
  return { ok: true, value: `${y}-${mo}-${d}` };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * The staged text of the form nearly every tap sends, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, checked
 * and rewritten by character position (no regular expression, no Date); undefined for any other
 * form or an out-of-range field, which then takes the full rules of normaliseTimestamp (which
 * also refuses the invalid ones).
 */
export function fastUtcTimestamp(text: string): string | undefined {
  const n = text.length;
  if (n < 20 || text.charCodeAt(n - 1) !== 0x5a /* Z */) return undefined;
  if (text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || text.charCodeAt(10) !== 0x54 || text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (!utcFieldsValid(year, month, day, hour, minute, second)) return undefined;
  let fraction = '000000';
  if (n > 20) {
    if (text.charCodeAt(19) !== 0x2e /* . */ || n === 21) return undefined;
    const written = text.slice(20, n - 1);
    if (digits(text, 20, written.length) < 0) return undefined;
    // Digits beyond the microsecond are cut, which normaliseTimestamp reports.
    if (written.length > 6 && digits(text, 26, written.length - 6) > 0) return undefined;
    fraction = written.length >= 6 ? written.slice(0, 6) : (written + '000000').slice(0, 6);
  }
  return `${text.slice(0, 10)} ${text.slice(11, 19)}.${fraction}Z`;
}

/**
 * The fields of `YYYY-MM-DDTHH:MM:SS...Z` make a valid instant (a field is -1 where its text is
 * not digits: every field is checked both ways). Shared with the byte-level reader (byte-values.ts).
 */
export function utcFieldsValid(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
}

/** The decimal value of `length` digits at `start`, or -1 if one of them is not a digit. */
export function digits(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i += 1) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}
