import { civilMonth, daysFromCivil } from '../schema/calendar.js';
import { decimalOf, type SparkType } from '../schema/columns.js';
import { transformName, type PartitionTransform } from '../schema/table-layout.js';
import { quoteIdentifier } from './quote.js';
import { keyLiteral } from './statements.js';

/**
 * Pure: the `where` of `rewrite_data_files` that restricts a compaction to the partitions a run
 * wrote. The predicate is on the partition fields' source columns (the procedure takes no other),
 * written so that Iceberg's inclusive projection of it onto each partition spec selects the
 * partitions the run's rows went to: time transforms and truncate of numbers as half-open ranges
 * of whole partitions (adjacent partitions merged), truncate[W] of text as `startswith` of each
 * partition's W code points (a shorter value is a partition of its own: `=`), identity as a value
 * list, bucket[N] as a value list (a range cannot be projected onto a hash: the buckets of the
 * values are selected, and in them the files whose column bounds may hold a value). Whole
 * partitions matter: Iceberg also prunes the selected partitions' files by their column bounds,
 * so a value list for truncate of text would leave out the partition's older files of other
 * values, which a compaction of the partition should take. Literals are keyLiteral's
 * (TIMESTAMP_MICROS, DATE_FROM_UNIX_DATE, CAST(... AS DECIMAL)): exact for any year and scale, and
 * accepted and folded by the procedure (checked against the local lakehouse).
 */

/** What a run's loads wrote into the source column of one partition field. */
export interface PartitionTouch {
  /** The column as the table names it. */
  column: string;
  type: SparkType;
  transform: PartitionTransform;
  /** Smallest and largest value written (as KeyBounds holds them); absent when every value was NULL. */
  min?: number | bigint | string;
  max?: number | bigint | string;
  nulls: boolean;
  /**
   * The distinct values written, as `partitionValue` gives them: the partition's own number for
   * time transforms and truncate of numbers, the first W code points for truncate[W] of text, the
   * source value otherwise. Absent when there were
   * more than the tracker keeps (then min and max stand for them).
   */
  values?: ReadonlyArray<number | bigint | string>;
}

/** At most this many values or ranges per field; past it a field falls back to one range, or to no restriction. */
export const MAX_TERMS = 64;
/** At most this many characters of predicate; past it fields fall back to one range each, then to the whole table. */
const MAX_WHERE_CHARS = 16_000;

const HOUR_MICROS = 3_600_000_000n;
const DAY_MICROS = 86_400_000_000n;

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && a < 0n !== b < 0n) ? q - 1n : q;
}

/** Days since the epoch of a TIMESTAMP (micros) or DATE (days) value. */
function daysOf(type: SparkType, value: number | bigint): number {
  return type === 'TIMESTAMP' ? Number(floorDiv(BigInt(value), DAY_MICROS)) : Number(value);
}

/** The first `count` code points of `text` (Iceberg's truncate of text counts code points, not UTF-16 units). */
function firstCodePoints(text: string, count: number): string {
  if (text.length <= count) return text;
  let end = 0;
  for (let n = 0; n < count && end < text.length; n += 1) end += text.codePointAt(end)! > 0xffff ? 2 : 1;
  return text.slice(0, end);
}

/**
 * The value a partition field keeps for a source value (as KeyBounds holds it): Iceberg's own
 * partition number for year / month / day / hour (counted from 1970) and truncate of numbers
 * (the truncated value divided by the width), Iceberg's partition value for truncate of text (the
 * first W code points), the value itself for identity and bucket.
 */
export function partitionValue(transform: PartitionTransform, type: SparkType, value: number | bigint | string): number | bigint | string {
  if (typeof value === 'string') return transform.kind === 'truncate' ? firstCodePoints(value, transform.width) : value;
  switch (transform.kind) {
    case 'hour':
      return Number(floorDiv(BigInt(value), HOUR_MICROS));
    case 'day':
      return daysOf(type, value);
    case 'month': {
      const { year, month } = civilMonth(daysOf(type, value));
      return (year - 1970) * 12 + month - 1;
    }
    case 'year':
      return civilMonth(daysOf(type, value)).year - 1970;
    case 'truncate':
      return floorDiv(BigInt(value), BigInt(transform.width));
    default:
      return value;
  }
}

/** Partitions numbered by partitionValue whose source values form ranges (time transforms, truncate of numbers). */
function ranged(touch: Pick<PartitionTouch, 'transform' | 'type'>): boolean {
  const kind = touch.transform.kind;
  return kind === 'year' || kind === 'month' || kind === 'day' || kind === 'hour' || (kind === 'truncate' && touch.type !== 'STRING');
}

/** The first source value (as KeyBounds holds it) of partition `n` of a ranged transform. */
function partitionStart(touch: Pick<PartitionTouch, 'transform' | 'type'>, n: bigint): bigint {
  const t = touch.transform;
  const days = (d: number) => (touch.type === 'TIMESTAMP' ? BigInt(d) * DAY_MICROS : BigInt(d));
  switch (t.kind) {
    case 'hour':
      return n * HOUR_MICROS;
    case 'day':
      return days(Number(n));
    case 'month': {
      const months = Number(n);
      return days(daysFromCivil(1970 + Math.floor(months / 12), (((months % 12) + 12) % 12) + 1, 1));
    }
    case 'year':
      return days(daysFromCivil(1970 + Number(n), 1, 1));
    default:
      return n * BigInt(t.kind === 'truncate' ? t.width : 1);
  }
}

/** Runs of consecutive partition numbers, ascending. */
function runs(values: readonly bigint[]): Array<[bigint, bigint]> {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: Array<[bigint, bigint]> = [];
  for (const v of sorted) {
    const last = out.at(-1);
    if (last && v <= last[1] + 1n) last[1] = v > last[1] ? v : last[1];
    else out.push([v, v]);
  }
  return out;
}

/** The largest value of the column's type, for a range whose end would pass it (BIGINT, DECIMAL). */
function typeMax(type: SparkType): bigint | undefined {
  if (type === 'BIGINT') return 2n ** 63n - 1n;
  const decimal = decimalOf(type);
  return decimal ? 10n ** BigInt(decimal.precision) - 1n : undefined;
}

function literal(type: SparkType, value: number | bigint | string): string {
  const text = keyLiteral(type, value);
  if (text === undefined) throw new Error(`internal error: no literal of a ${type} partition column`);
  return text;
}

/** `col` within partitions first..last of a ranged transform: half-open for time, inclusive for truncate. */
function rangeOf(touch: PartitionTouch, column: string, [first, last]: [bigint, bigint]): string {
  const low = literal(touch.type, partitionStart(touch, first));
  if (touch.transform.kind === 'truncate') {
    const max = typeMax(touch.type);
    let end = partitionStart(touch, last + 1n) - 1n;
    if (max !== undefined && end > max) end = max;
    const min = max === undefined ? undefined : touch.type === 'BIGINT' ? -(2n ** 63n) : -max;
    const start = partitionStart(touch, first);
    return `${column} BETWEEN ${min !== undefined && start < min ? literal(touch.type, min) : low} AND ${literal(touch.type, end)}`;
  }
  return `${column} >= ${low} AND ${column} < ${literal(touch.type, partitionStart(touch, last + 1n))}`;
}

/** One field's condition, or why it restricts nothing. `maxTerms` 1: ranges only. */
function fieldCondition(touch: PartitionTouch, maxTerms: number): { condition?: string; note?: string } {
  const column = quoteIdentifier(touch.column);
  const field = `${transformName(touch.transform)}(${touch.column})`;
  const terms: string[] = [];
  let note: string | undefined;
  const hasValues = touch.min !== undefined && touch.max !== undefined;
  if (ranged(touch)) {
    const tracked = touch.values ? runs(touch.values.map((v) => BigInt(v as number | bigint))) : undefined;
    let spans = tracked ?? [];
    if (!tracked || tracked.length > maxTerms) {
      spans = hasValues ? [[BigInt(partitionValue(touch.transform, touch.type, touch.min!)), BigInt(partitionValue(touch.transform, touch.type, touch.max!))]] : [];
      if (hasValues) note = `${field}: ${tracked ? `${tracked.length} partition ranges` : 'more partitions than tracked'}, past the cap of ${maxTerms}: one range from the smallest to the largest`;
    }
    const several = spans.length > 1 || (spans.length === 1 && touch.nulls);
    terms.push(...spans.map((span) => (several ? `(${rangeOf(touch, column, span)})` : rangeOf(touch, column, span))));
  } else if (touch.values && touch.values.length <= maxTerms) {
    // Truncate of text: a value of W code points is the partition of every text starting with it.
    const width = touch.transform.kind === 'truncate' ? touch.transform.width : undefined;
    const prefixes = width === undefined ? [] : touch.values.filter((v) => [...(v as string)].length === width);
    const values = touch.values.filter((v) => !prefixes.includes(v));
    if (values.length > 0) terms.push(values.length === 1 ? `${column} = ${literal(touch.type, values[0]!)}` : `${column} IN (${values.map((v) => literal(touch.type, v)).join(', ')})`);
    terms.push(...prefixes.map((p) => `startswith(${column}, ${literal(touch.type, p)})`));
  } else if (touch.transform.kind === 'bucket') {
    return { note: `${field}: ${touch.values ? touch.values.length : 'more'} values, past the cap of ${maxTerms}: no restriction by this field (a range cannot select buckets)` };
  } else if (hasValues) {
    terms.push(`${column} BETWEEN ${literal(touch.type, touch.min!)} AND ${literal(touch.type, touch.max!)}`);
    note = `${field}: ${touch.values ? `${touch.values.length} values` : 'more values than tracked'}, past the cap of ${maxTerms}: one range from the smallest to the largest`;
  }
  if (touch.nulls) terms.push(`${column} IS NULL`);
  if (terms.length === 0) return { note: `${field}: no value written` };
  return { condition: terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`, ...(note ? { note } : {}) };
}

/**
 * The predicate selecting the partitions `touches` describe (fields combined with AND, several
 * values or ranges of one field with OR), or no `where` (compact the whole table) when no field
 * restricts. `notes` say why a field restricts less than it could (for a DEBUG line).
 */
export function compactionWhere(touches: readonly PartitionTouch[], limits: { maxTerms?: number; maxChars?: number } = {}): { where?: string; notes: string[] } {
  const maxTerms = limits.maxTerms ?? MAX_TERMS;
  const maxChars = limits.maxChars ?? MAX_WHERE_CHARS;
  const build = (terms: number) => {
    const fields = touches.map((t) => fieldCondition(t, terms));
    const conditions = fields.flatMap((f) => (f.condition === undefined ? [] : [f.condition]));
    return { where: conditions.length > 0 ? conditions.join(' AND ') : undefined, notes: fields.flatMap((f) => (f.note === undefined ? [] : [f.note])) };
  };
  let built = build(maxTerms);
  if (built.where !== undefined && built.where.length > maxChars) {
    const length = built.where.length;
    built = build(1);
    built.notes.unshift(`the predicate of ${length} characters passed the cap of ${maxChars}: one range per field`);
    if (built.where !== undefined && built.where.length > maxChars) {
      return { notes: [...built.notes, `still ${built.where.length} characters: the whole table is compacted`] };
    }
  }
  return built.where === undefined ? { notes: built.notes } : { where: built.where, notes: built.notes };
}
