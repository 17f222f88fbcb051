import { MAX_TIMESTAMP, normaliseDate, normaliseTimestamp } from './datetime.js';
import type { Column } from './columns.js';

/** A staged value: what goes into the batch file for one cell. */
export type StagedValue = string | number | boolean | null;

export type Conversion = { ok: true; value: StagedValue; warning?: string } | { ok: false; reason: string };

/**
 * Converts one record value for its column. Pure: the caller decides what a failure means (an
 * error naming stream, line and column). Values that cannot be represented are refused rather
 * than silently changed, except out-of-range timestamps, which become the largest storable
 * timestamp with a warning (the original target's documented treatment).
 */
export function convertValue(value: unknown, column: Column): Conversion {
  if (value === null || value === undefined) return { ok: true, value: null };
  switch (column.kind) {
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return { ok: true, value };
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return { ok: true, value: Number(value.trim()) };
      return refuse(value, 'an integer');
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
        return { ok: true, value: Number(value) };
      }
      return refuse(value, 'a number');
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      return refuse(value, 'a boolean');
    case 'string':
      if (typeof value === 'string') return { ok: true, value };
      if (typeof value === 'number' || typeof value === 'boolean') return { ok: true, value: String(value) };
      return { ok: true, value: JSON.stringify(value) };
    case 'json':
      if (typeof value === 'string') return { ok: true, value };
      return { ok: true, value: JSON.stringify(value) };
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

function refuse(value: unknown, expected: string): Conversion {
  const shown = JSON.stringify(value);
  return { ok: false, reason: `expected ${expected}, got ${shown.length > 60 ? shown.slice(0, 60) + '…' : shown}` };
}
