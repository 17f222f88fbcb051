import type { StagedValue } from '../schema/values.js';
import { dateDays, timestampMicros, unscaledDecimal, type StagedColumn } from './parquet-layout.js';

/**
 * Pure: the rows of one row group in binary form, column by column, as they are staged. Each
 * column keeps its values in typed arrays (text as UTF-8 bytes with end offsets) and a byte per
 * row for NULL, so a row group is a handful of ArrayBuffers: moved to the encoder thread without
 * a copy (encoder-thread.ts), and no object per value for the garbage collector to trace while
 * the rows wait to be encoded. `physicalColumn` turns a column back into the values the Parquet
 * writer takes, the same as physicalValues gives for the staged values (test/unit/row-block.test.ts).
 */

export type ColumnBlock =
  | { kind: 'int64'; valid: Uint8Array; values: BigInt64Array }
  | { kind: 'double'; valid: Uint8Array; values: Float64Array }
  | { kind: 'boolean'; valid: Uint8Array; values: Uint8Array }
  | { kind: 'int32'; valid: Uint8Array; values: Int32Array }
  | { kind: 'bytes'; valid: Uint8Array; bytes: Uint8Array; ends: Int32Array }
  /** DECIMAL: unscaled BigInts, rare enough to stay a plain array. */
  | { kind: 'list'; valid: Uint8Array; values: Array<bigint | null> };

export interface BlockData {
  rows: number;
  columns: ColumnBlock[];
}

const encoder = new TextEncoder();

/** One column's growing storage. */
abstract class ColumnBuilder {
  valid: Uint8Array;
  constructor(protected capacity: number) {
    this.valid = new Uint8Array(capacity);
  }

  grow(rows: number): void {
    if (rows < this.capacity) return;
    this.capacity *= 2;
    this.valid = grown(this.valid, this.capacity);
    this.growValues(this.capacity);
  }

  abstract growValues(capacity: number): void;
  /** Stores a non-NULL staged value at `row`; returns its estimated size in bytes. */
  abstract set(row: number, value: Exclude<StagedValue, null>): number;
  abstract block(rows: number): ColumnBlock;
}

type Typed = BigInt64Array | Float64Array | Uint8Array | Int32Array;

/** A column of fixed-size values: one typed array, the value converted as it is stored. */
class TypedBuilder<A extends Typed> extends ColumnBuilder {
  private values: A;
  constructor(
    capacity: number,
    private readonly kind: 'int64' | 'double' | 'boolean' | 'int32',
    private readonly make: (length: number) => A,
    private readonly convert: (value: Exclude<StagedValue, null>) => A[number],
  ) {
    super(capacity);
    this.values = make(capacity);
  }
  growValues(capacity: number): void {
    const next = this.make(capacity);
    next.set(this.values as never);
    this.values = next;
  }
  set(row: number, value: Exclude<StagedValue, null>): number {
    this.values[row] = this.convert(value);
    return 8;
  }
  block(rows: number): ColumnBlock {
    return { kind: this.kind, valid: this.valid.subarray(0, rows), values: this.values.subarray(0, rows) } as ColumnBlock;
  }
}

/** Text: UTF-8 bytes back to back; `ends[row]` is where the row's bytes end (a NULL row has none). */
class BytesBuilder extends ColumnBuilder {
  private bytes = new Uint8Array(64 * 1024);
  private used = 0;
  private ends: Int32Array;
  constructor(capacity: number) {
    super(capacity);
    this.ends = new Int32Array(capacity);
  }
  growValues(capacity: number): void {
    this.ends = grown(this.ends, capacity);
  }
  set(row: number, value: Exclude<StagedValue, null>): number {
    let length: number;
    if (value instanceof Uint8Array) {
      length = value.length;
      this.room(length);
      this.bytes.set(value, this.used);
    } else {
      const text = value as string;
      // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
      this.room(text.length * 3);
      length = encoder.encodeInto(text, this.bytes.subarray(this.used)).written;
    }
    this.used += length;
    this.ends[row] = this.used;
    return length;
  }
  /** A NULL row keeps the previous end: its value is empty. */
  setNull(row: number): void {
    this.ends[row] = this.used;
  }
  block(rows: number): ColumnBlock {
    return { kind: 'bytes', valid: this.valid.subarray(0, rows), bytes: this.bytes.subarray(0, this.used), ends: this.ends.subarray(0, rows) };
  }
  private room(length: number): void {
    if (this.used + length <= this.bytes.length) return;
    this.bytes = grown(this.bytes, Math.max(this.bytes.length * 2, this.used + length));
  }
}

class DecimalBuilder extends ColumnBuilder {
  private values: Array<bigint | null> = [];
  constructor(
    capacity: number,
    private readonly scale: number,
  ) {
    super(capacity);
  }
  growValues(): void {}
  set(row: number, value: Exclude<StagedValue, null>): number {
    this.values[row] = unscaledDecimal(value as string, this.scale);
    return 8;
  }
  block(rows: number): ColumnBlock {
    const values = Array.from({ length: rows }, (_, i) => (this.valid[i] ? (this.values[i] ?? null) : null));
    return { kind: 'list', valid: this.valid.subarray(0, rows), values };
  }
}

function builderFor(column: StagedColumn, capacity: number): ColumnBuilder {
  switch (column.kind) {
    case 'integer':
      // Staged integers are numbers, or text beyond 2^53.
      return new TypedBuilder(capacity, 'int64', (n) => new BigInt64Array(n), (v) => BigInt(v as number | string));
    case 'timestamp':
      // Microseconds (staged from the input's bytes) or the staging text.
      return new TypedBuilder(capacity, 'int64', (n) => new BigInt64Array(n), (v) => (typeof v === 'bigint' ? v : timestampMicros(v as string)));
    case 'number':
      return new TypedBuilder(capacity, 'double', (n) => new Float64Array(n), (v) => v as number);
    case 'boolean':
      return new TypedBuilder(capacity, 'boolean', (n) => new Uint8Array(n), (v) => (v ? 1 : 0));
    case 'date':
      return new TypedBuilder(capacity, 'int32', (n) => new Int32Array(n), (v) => dateDays(v as string));
    case 'decimal':
      return new DecimalBuilder(capacity, column.scale ?? 0);
    case 'string':
    case 'json':
      return new BytesBuilder(capacity);
  }
}

/** The rows of the row group being filled. */
export class RowBlock {
  private builders: ColumnBuilder[];
  rows = 0;
  /** Estimated value bytes (text bytes, 8 per other value): the row group's size limit. */
  bytes = 0;

  constructor(
    private readonly columns: readonly StagedColumn[],
    private readonly capacity = 1024,
  ) {
    this.builders = columns.map((c) => builderFor(c, capacity));
  }

  /** Appends one row (cell i for column i); returns its estimated bytes. */
  append(cells: readonly StagedValue[]): number {
    const row = this.rows;
    let bytes = 0;
    for (let i = 0; i < cells.length; i += 1) {
      const builder = this.builders[i]!;
      builder.grow(row);
      const value = cells[i]!;
      if (value === null) {
        builder.valid[row] = 0;
        if (builder instanceof BytesBuilder) builder.setNull(row);
      } else {
        builder.valid[row] = 1;
        bytes += builder.set(row, value);
      }
    }
    this.rows = row + 1;
    this.bytes += bytes;
    return bytes;
  }

  /** The rows so far, with the buffers to transfer (views of the builders' own: no copy); the block starts over empty. */
  take(): { data: BlockData; transfer: ArrayBuffer[] } {
    const columns = this.builders.map((b) => b.block(this.rows));
    const data = { rows: this.rows, columns };
    this.builders = this.columns.map((c) => builderFor(c, this.capacity));
    this.rows = 0;
    this.bytes = 0;
    const transfer: ArrayBuffer[] = [];
    for (const c of columns) {
      transfer.push(c.valid.buffer as ArrayBuffer);
      if (c.kind === 'bytes') transfer.push(c.bytes.buffer as ArrayBuffer, c.ends.buffer as ArrayBuffer);
      else if (c.kind !== 'list') transfer.push(c.values.buffer as ArrayBuffer);
    }
    return { data, transfer };
  }
}

/** The values the Parquet writer takes for one column of a block (NULL as null). */
export function physicalColumn(block: ColumnBlock, rows: number): unknown[] {
  const out = new Array<unknown>(rows);
  const { valid } = block;
  switch (block.kind) {
    case 'bytes': {
      let start = 0;
      for (let i = 0; i < rows; i += 1) {
        const end = block.ends[i]!;
        out[i] = valid[i] ? block.bytes.subarray(start, end) : null;
        start = end;
      }
      return out;
    }
    case 'boolean':
      for (let i = 0; i < rows; i += 1) out[i] = valid[i] ? block.values[i] === 1 : null;
      return out;
    case 'list':
      for (let i = 0; i < rows; i += 1) out[i] = valid[i] ? block.values[i] : null;
      return out;
    default:
      for (let i = 0; i < rows; i += 1) out[i] = valid[i] ? block.values[i] : null;
      return out;
  }
}

function grown<T extends Uint8Array | Int32Array | Float64Array | BigInt64Array>(array: T, length: number): T {
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array as never);
  return next;
}
