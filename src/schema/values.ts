import { stringifyJson } from '../singer/json.js';
import { MAX_TIMESTAMP, normaliseDate, normaliseTimestamp } from './datetime.js';
import type { Column } from './columns.js';

/** A staged value: what goes into the batch file for one cell. */
export type StagedValue = string | number | boolean | null;

export type Conversion = { ok: true; value: StagedValue; warning?: string } | { ok: false; reason: string };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Converts one record value for its column. Pure: the caller decides what a failure means (an
 * error naming stream, line and column). Values that cannot be represented are refused rather
 * than silently changed, except out-of-range dates, which become the largest storable value with
 * a warning (the original target's documented treatment).
 */
export function convertValue(value: unknown, column: Pick<Column, 'kind'>): Conversion {
  if (value === null || value === undefined) return { ok: true, value: null };
  switch (column.kind) {
    case 'integer':
      return integerValue(value);
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
      if (typeof value === 'bigint') return { ok: true, value: Number(value) };
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
        return { ok: true, value: Number(value) };
      }
      return refuse(value, 'a number');
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      return refuse(value, 'a boolean');
    case 'string':
      if (typeof value === 'string') return { ok: true, value };
      if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return { ok: true, value: String(value) };
      return { ok: true, value: stringifyJson(value) };
    case 'json':
      if (typeof value === 'string') return { ok: true, value };
      return { ok: true, value: stringifyJson(value) };
    case 'timestamp': {
      if (typeof value !== 'string') return refuse(value, 'a date-time string');
      const t = normaliseTimestamp(value);
      if (t.ok) return { ok: true, value: t.value };
      return { ok: true, value: MAX_TIMESTAMP, warning: `'${value}' is not a storable date-time; stored as ${MAX_TIMESTAMP}` };
    }
    case 'date': {
      if (typeof value !== 'string') return refuse(value, 'a date string');
      const d = normaliseDate(value);
      if (d.ok) return { ok: true, value: d.value };
      return { ok: true, value: '9999-12-31', warning: `'${value}' is not a storable date; stored as 9999-12-31` };
    }
  }
}

/** Integers are staged as text beyond 2^53 so Spark casts them exactly; beyond 64 bits they are refused. */
function integerValue(value: unknown): Conversion {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? { ok: true, value } : refuse(value, 'an integer');
  let big: bigint;
  if (typeof value === 'bigint') big = value;
  else if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) big = BigInt(value.trim());
  else return refuse(value, 'an integer');
  if (big < INT64_MIN || big > INT64_MAX) return { ok: false, reason: `${big} does not fit a 64-bit BIGINT column` };
  return { ok: true, value: Number.isSafeInteger(Number(big)) ? Number(big) : big.toString() };
}

function refuse(value: unknown, expected: string): Conversion {
  const shown = typeof value === 'bigint' ? value.toString() : stringifyJson(value);
  return { ok: false, reason: `expected ${expected}, got ${shown.length > 60 ? shown.slice(0, 60) + '…' : shown}` };
}
