import type { Column } from '../schema/columns.js';
import type { PartitionTransform } from '../schema/table-layout.js';
import { MAX_TERMS, partitionValue, type PartitionTouch } from '../sql/compaction-filter.js';
import { KeyRange } from './key-range.js';

/**
 * What an open batch writes into the source column of one partition field: KeyRange's smallest
 * and largest value (compared as Spark compares the type) and, up to `cap`, the distinct values
 * the partition field keeps (sql/compaction-filter.ts partitionValue: a day number for `day`, the
 * first W code points for truncate[W] of text, the value for identity). Maintenance compacts only those partitions (loading/touched-partitions.ts).
 * A column type KeyRange has no order for (DOUBLE, BOOLEAN, JSON text) is not tracked.
 */
export class PartitionRange extends KeyRange {
  private values: Map<string, number | bigint | string> | undefined = new Map();
  /** The last text counted (runs of one value are common): skipped without decoding it again. */
  private lastText: Buffer | undefined;
  private lastValue: number | bigint | string | undefined;

  constructor(
    column: Pick<Column, 'name' | 'type' | 'kind' | 'scale'>,
    index: number,
    readonly transform: PartitionTransform,
    private readonly cap = MAX_TERMS,
  ) {
    super(column, index);
  }

  protected override countedValue(value: number | bigint): void {
    if (!this.values) return;
    const partition = partitionValue(this.transform, this.column.type, value);
    // Rows of one partition mostly come together: the same as the last one needs no set lookup.
    if (partition === this.lastValue) return;
    this.lastValue = partition;
    this.keep(partition);
  }

  protected override countedText(bytes: Uint8Array, start: number, end: number): void {
    if (!this.values) return;
    if (this.lastText?.equals(bytes.subarray(start, end))) return;
    this.lastText = Buffer.from(bytes.subarray(start, end));
    this.keep(partitionValue(this.transform, this.column.type, this.lastText.toString('utf8')));
  }

  private keep(value: number | bigint | string): void {
    const key = typeof value === 'string' ? `s${value}` : String(value);
    if (this.values!.has(key)) return;
    // Past the cap only the range is kept: a longer list would not be used (compactionWhere).
    if (this.values!.size >= this.cap) this.values = undefined;
    else this.values!.set(key, value);
  }

  /** What the batch wrote into the column, or undefined when the type is not tracked or no row was counted. */
  touch(): PartitionTouch | undefined {
    const bounds = this.bounds();
    if (!bounds) return undefined;
    return { ...bounds, transform: this.transform, ...(this.values ? { values: [...this.values.values()] } : {}) };
  }
}

function before(a: number | bigint | string, b: number | bigint | string): boolean {
  // Text in Spark's order (UTF-8 bytes); numbers and bigints compare exactly with each other.
  return typeof a === 'string' && typeof b === 'string' ? Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')) < 0 : a < b;
}

/** Two touches of one field (earlier and later batches) as one; the values list is dropped past `cap`. */
export function mergeTouch(a: PartitionTouch, b: PartitionTouch, cap = MAX_TERMS): PartitionTouch {
  const merged: PartitionTouch = { column: a.column, type: a.type, transform: a.transform, nulls: a.nulls || b.nulls };
  const min = a.min === undefined ? b.min : b.min === undefined || before(a.min, b.min) ? a.min : b.min;
  const max = a.max === undefined ? b.max : b.max === undefined || before(b.max, a.max) ? a.max : b.max;
  if (min !== undefined) merged.min = min;
  if (max !== undefined) merged.max = max;
  if (a.values && b.values) {
    const union = new Map([...a.values, ...b.values].map((v) => [typeof v === 'string' ? `s${v}` : String(v), v]));
    if (union.size <= cap) merged.values = [...union.values()];
  }
  return merged;
}
