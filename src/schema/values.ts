import { decimalParts, exactAsDouble, fractionDigits, integerDigits, plainText } from '../singer/decimal-text.js';
import { isExactNumber, stringifyJson } from '../singer/json.js';
import { MAX_DATE, MAX_TIMESTAMP, fastUtcTimestamp, normaliseDate, normaliseTimestamp } from './datetime.js';
import { DECIMAL_PRECISION, type Column, type ValueKind } from './columns.js';
import { DELETED_AT } from './metadata.js';

/**
 * A staged value: what goes into the batch file for one cell. convertValue gives text, numbers,
 * booleans and NULL; a record staged from the input's bytes (StreamSink.addScanned) also gives
 * UTF-8 bytes for text and microseconds for a timestamp (a number, or a BigInt beyond 2^53),
 * what the batch file stores for those columns (row-block.ts).
 */
export type StagedValue = string | number | boolean | null | Uint8Array | bigint;

/**
 * How an accepted value was stored other than as given: `rounded`, a number stored as the nearest
 * double although its text had more digits (on_inexact_number: round); `sub-microsecond`, a
 * timestamp with digits beyond the microsecond TIMESTAMP stores; `leap-second`, `:60` stored as
 * `:59.999999`; `time-of-day`, a date-time for a DATE column whose time was not midnight. The
 * caller counts them and reports each kind once per column at the end of the run.
 */
export type Alteration = 'rounded' | 'sub-microsecond' | 'leap-second' | 'time-of-day';

/** The result of converting one value (see Alteration for `altered`). */
export type Conversion = { ok: true; value: StagedValue; warning?: string; altered?: Alteration } | { ok: false; reason: string };

/** Settings that change how values are converted. */
export interface ConversionOptions {
  /** `fail` (default): an invalid date or date-time stops the run; `null`: it is stored as NULL with a warning. */
  on_invalid_datetime?: 'fail' | 'null';
  /** `fail` (default): text that UTF-8 cannot hold (an unpaired surrogate escape) stops the run; `replace`: U+FFFD with a warning. */
  on_invalid_utf8?: 'fail' | 'replace';
  /** `fail` (default): a number a DOUBLE cannot hold exactly stops the run; `round`: it is stored as the nearest double (counted). */
  on_inexact_number?: 'fail' | 'round';
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Converts one record value for its column. Pure: the caller decides what a failure means (an
 * error naming stream, line and column). Values that cannot be represented are refused rather
 * than silently changed; the one exception is a date after the year 9999, which becomes the
 * largest storable value with a warning (the original target's documented treatment).
 */
export function convertValue(value: unknown, column: Pick<Column, 'kind'> & Partial<Pick<Column, 'scale' | 'precision' | 'name'>>, options: ConversionOptions = {}): Conversion {
  if (value === null || value === undefined) return { ok: true, value: null };
  switch (column.kind) {
    case 'integer':
      return integerValue(value);
    case 'number':
      return numberValue(value, options.on_inexact_number ?? 'fail');
    case 'decimal':
      return decimalValue(value, column.precision ?? DECIMAL_PRECISION, column.scale ?? 0);
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      return refuse(value, 'a boolean');
    case 'string':
      if (typeof value === 'string') return textValue(value, options);
      if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || isExactNumber(value)) return { ok: true, value: String(value) };
      return { ok: true, value: stringifyJson(value) };
    case 'json':
      if (typeof value === 'string') return textValue(value, options);
      return { ok: true, value: stringifyJson(value) };
    case 'timestamp':
    case 'date':
      return dateValue(value, column.kind, column.name === DELETED_AT ? 'fail' : (options.on_invalid_datetime ?? 'fail'));
  }
}

/**
 * The staged value when the common case decides it with one type check, else undefined (the
 * caller then takes convertValue, which owns every rule). Pure; gives exactly what convertValue
 * gives for the values it accepts.
 */
export function fastStaged(kind: ValueKind): (value: unknown) => StagedValue | undefined {
  switch (kind) {
    case 'integer':
      return (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);
    case 'number':
      return (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? v : undefined);
    case 'string':
    case 'json':
      return (v) => (typeof v === 'string' && isWellFormed(v) ? v : undefined);
    case 'timestamp':
      return (v) => (typeof v === 'string' ? fastUtcTimestamp(v) : undefined);
    case 'date':
    case 'decimal':
      return () => undefined;
  }
}

/**
 * Text as it is, unless it holds an unpaired surrogate (a JSON escape such as `"\\ud800"` with no
 * partner), which no UTF-8 byte sequence spells: encoding it would silently write U+FFFD. It is
 * refused like invalid UTF-8 input, or replaced with a warning under on_invalid_utf8: replace.
 */
function textValue(value: string, options: ConversionOptions): Conversion {
  if (isWellFormed(value)) return { ok: true, value };
  const what = `the text ${shown(value)} holds an unpaired UTF-16 surrogate escape, which UTF-8 cannot store`;
  if (options.on_invalid_utf8 === 'replace') return { ok: true, value: toWellFormed(value), warning: `${what}; stored with U+FFFD in its place (on_invalid_utf8 is replace)` };
  return { ok: false, reason: `${what}; fix the tap, or set on_invalid_utf8 to replace to store U+FFFD instead` };
}

// String.prototype.isWellFormed/toWellFormed (Node 20+), typed here since the project's lib is ES2022.
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();
const toWellFormed = (text: string): string => (text as unknown as { toWellFormed(): string }).toWellFormed();

function dateValue(value: unknown, kind: 'timestamp' | 'date', onInvalid: 'fail' | 'null'): Conversion {
  const what = kind === 'timestamp' ? 'date-time' : 'date';
  const max = kind === 'timestamp' ? MAX_TIMESTAMP : MAX_DATE;
  if (typeof value !== 'string') return invalid(`expected a ${what} string, got ${shown(value)}`, onInvalid);
  const result = kind === 'timestamp' ? normaliseTimestamp(value) : normaliseDate(value);
  if (result.ok) return result.altered ? { ok: true, value: result.value, altered: result.altered } : { ok: true, value: result.value };
  if (result.problem === 'beyond-9999') return { ok: true, value: max, warning: `'${value}' is after the year 9999, which Spark cannot store; stored as ${max}` };
  const example = kind === 'timestamp' ? ' (RFC 3339, e.g. 2024-05-01T12:30:00Z)' : ' (e.g. 2024-05-01)';
  return invalid(`${shown(value)} is not a valid ${what}${example}`, onInvalid);
}

function invalid(reason: string, onInvalid: 'fail' | 'null'): Conversion {
  if (onInvalid === 'null') return { ok: true, value: null, warning: `${reason}; stored as NULL (on_invalid_datetime is null)` };
  return { ok: false, reason: `${reason}; fix the tap, or set on_invalid_datetime to null to store such values as NULL` };
}

/** Integers are staged as text beyond 2^53 so Spark casts them exactly; beyond 64 bits they are refused. */
function integerValue(value: unknown): Conversion {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? { ok: true, value } : refuse(value, 'an integer');
  let big: bigint;
  if (typeof value === 'bigint') big = value;
  else if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) big = BigInt(value.trim());
  else return refuse(value, 'an integer');
  if (big < INT64_MIN || big > INT64_MAX) return { ok: false, reason: `${big} does not fit a 64-bit BIGINT column; declare the property's minimum/maximum in the tap's schema, or give the column an exact type with the column_types setting (e.g. DECIMAL(20,0))` };
  return { ok: true, value: Number.isSafeInteger(Number(big)) ? Number(big) : big.toString() };
}

/**
 * A DOUBLE column holds a number when the double prints back as the same decimal value: the
 * shortest text that reads back as the double (what JavaScript and Spark print) has the digits of
 * the input. `0.1`, `1e300`, `0E-10` and every number of at most 15 significant digits in the
 * double's range are exact in this sense; `99999999999999.9999` (stored as 100000000000000) and an
 * id beyond 2^53 are not, and are refused unless on_inexact_number is `round`. parseJson keeps the
 * text of every number that is not exact (ExactNumber, BigInt), so a plain number here is exact.
 */
function numberValue(value: unknown, onInexact: 'fail' | 'round'): Conversion {
  if (typeof value === 'number') return Number.isFinite(value) ? { ok: true, value } : refuse(value, 'a finite number');
  const text = typeof value === 'bigint' ? value.toString() : isExactNumber(value) ? value.value : typeof value === 'string' ? value.trim() : undefined;
  const parts = text === undefined ? undefined : decimalParts(text);
  if (text === undefined || !parts) return refuse(value, 'a number');
  const n = Number(text);
  if (!Number.isFinite(n)) return refuse(value, 'a number a DOUBLE can hold');
  if (exactAsDouble(text)) return { ok: true, value: n };
  if (onInexact === 'round') return { ok: true, value: n, altered: 'rounded' };
  return { ok: false, reason: inexactReason(text, n) };
}

/** The error of a number a DOUBLE cannot hold, with the three ways out. */
function inexactReason(text: string, n: number): string {
  return (
    `${shownText(text)} cannot be stored exactly in a DOUBLE column (it would become ${String(n)}); ` +
    `give the column an exact type with the column_types setting (e.g. DECIMAL(38,10)) or default_number_type, ` +
    `add multipleOf to the property with the extractor's schema extra, or set on_inexact_number to round`
  );
}

/** Exact decimal text, checked against the column's DECIMAL(precision, scale) before it is staged. */
function decimalValue(value: unknown, precision: number, scale: number): Conversion {
  const text =
    typeof value === 'number' ? (Number.isFinite(value) ? String(value) : undefined)
    : typeof value === 'bigint' ? value.toString()
    : isExactNumber(value) ? value.value
    : typeof value === 'string' ? value.trim()
    : undefined;
  const parts = text === undefined ? undefined : decimalParts(text);
  if (!parts) return refuse(value, 'a decimal number');
  const type = `DECIMAL(${precision},${scale})`;
  if (fractionDigits(parts) > scale) {
    return { ok: false, reason: `${shownText(plainText(parts))} has more than ${scale} digits after the decimal point, so it does not fit ${type}; fix the tap's value, or give the column a larger scale (column_types, or the schema's multipleOf)` };
  }
  if (integerDigits(parts) > precision - scale) {
    // At Spark's largest precision a larger one is no way out: only fewer digits after the point or text are.
    const fix =
      precision < DECIMAL_PRECISION
        ? "give the column a larger precision (column_types, or the schema's maximum)"
        : `no DECIMAL of scale ${scale} holds it: give the column a smaller scale or STRING (the number's exact text) with column_types`;
    return { ok: false, reason: `${shownText(plainText(parts))} has more than ${precision - scale} digits before the decimal point, so it does not fit ${type}; fix the tap's value, or ${fix}` };
  }
  return { ok: true, value: plainText(parts) };
}

function shown(value: unknown): string {
  return shownText(typeof value === 'bigint' ? value.toString() : stringifyJson(value));
}

/** A value's text in an error line, cut after 60 characters. */
function shownText(text: string): string {
  return text.length > 60 ? text.slice(0, 60) + '…' : text;
}

function refuse(value: unknown, expected: string): Conversion {
  return { ok: false, reason: `expected ${expected}, got ${shown(value)}` };
}
