/**
 * Date and time normalisation for staging. Spark casts `YYYY-MM-DD HH:MM:SS.ffffffZ` text exactly,
 * so every accepted timestamp is rewritten to that UTC form here; offsets are applied, a value
 * without an offset is taken as UTC, and fractions are kept to the microsecond (JS Date would
 * truncate them to milliseconds).
 */

const TIMESTAMP_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Largest value Spark and Iceberg store; the original target used it for out-of-range input. */
export const MAX_TIMESTAMP = '9999-12-31 23:59:59.999999Z';

export type TimestampResult = { ok: true; value: string } | { ok: false };

export function normaliseTimestamp(text: string): TimestampResult {
  const m = TIMESTAMP_RE.exec(text.trim());
  if (!m) return { ok: false };
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', offset] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) {
    return { ok: false };
  }
  const micros = (frac + '000000').slice(0, 6);
  let epochMs = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC maps years 0-99 to 1900-1999; set the year explicitly to keep them.
  const probe = new Date(epochMs);
  probe.setUTCFullYear(year);
  epochMs = probe.getTime() - offsetMinutes(offset) * 60_000;
  const utc = new Date(epochMs);
  const outYear = utc.getUTCFullYear();
  if (outYear < 1 || outYear > 9999) return { ok: false };
  return {
    ok: true,
    value:
      `${pad(outYear, 4)}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())} ` +
      `${pad(utc.getUTCHours())}:${pad(utc.getUTCMinutes())}:${pad(utc.getUTCSeconds())}.${micros}Z`,
  };
}

/** `YYYY-MM-DD` of a date or date-time value (the calendar date as written, no zone shift). */
export function normaliseDate(text: string): TimestampResult {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text.trim());
  if (!m) return { ok: false };
  const [, y, mo, d] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return { ok: false };
  return { ok: true, value: `${y}-${mo}-${d}` };
}

function offsetMinutes(offset: string | undefined): number {
  if (offset === undefined || offset === 'Z' || offset === 'z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes);
}

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}
