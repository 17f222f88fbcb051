import type { StagedValue } from '../schema/values.js';
import { dateDays, timestampMicros, unscaledDecimal, type StagedColumn } from './parquet-layout.js';

/**
 * Pure: the rows of one row group in binary form, column by column, as they are staged. Each
 * column keeps its values in a typed array (text as UTF-8 bytes with end offsets) and a byte per
 * row for NULL, so a row group is a handful of ArrayBuffers: moved to the encoder thread without
 * a copy (encoder-thread.ts), no object per value for the garbage collector to trace while the
 * rows wait, and no BigInt made on the record path (64-bit integers within 2^53 are kept as
 * doubles, which hold them exactly; the few beyond are listed apart). `physicalColumn` turns a
 * column back into the values the Parquet writer takes for the staged values
 * (test/unit/row-block.test.ts).
 */

export type ColumnBlock =
  /** INT64 (integers, timestamp microseconds): `values` where exact as doubles, `big` for the rows beyond 2^53. */
  | { kind: 'int64'; valid: Uint8Array; values: Float64Array; big: Array<[row: number, value: bigint]> }
  | { kind: 'double'; valid: Uint8Array; values: Float64Array }
  | { kind: 'boolean'; valid: Uint8Array; values: Uint8Array }
  | { kind: 'int32'; valid: Uint8Array; values: Int32Array }
  | { kind: 'bytes'; valid: Uint8Array; bytes: Uint8Array; ends: Int32Array }
  /** DECIMAL: unscaled BigInts, rare enough to stay a plain array. */
  | { kind: 'list'; valid: Uint8Array; values: Array<bigint | null> };

/**
 * A text cell whose UTF-8 bytes are `spans.bytes[spans.start[i], spans.end[i])` (i: the column):
 * a record staged from the input's bytes hands its text over this way, so no view object is
 * made per value only to be copied from at once.
 */
export const SPAN: unique symbol = Symbol('text span');
export type Cell = StagedValue | typeof SPAN;

export interface Spans {
  bytes: Uint8Array;
  start: Int32Array;
  end: Int32Array;
}

export interface BlockData {
  rows: number;
  columns: ColumnBlock[];
}

// How each column is stored: one switch in append, no call per cell.
const INTEGER = 0;
const TIMESTAMP = 1;
const DOUBLE = 2;
const BOOLEAN = 3;
const DATE = 4;
const TEXT = 5;
const DECIMAL = 6;

const TAGS: Record<StagedColumn['kind'], number> = { integer: INTEGER, timestamp: TIMESTAMP, number: DOUBLE, boolean: BOOLEAN, date: DATE, string: TEXT, json: TEXT, decimal: DECIMAL };

const encoder = new TextEncoder();

/** The rows of the row group being filled. */
export class RowBlock {
  rows = 0;
  /** Estimated value bytes (text bytes, 8 per other value): the row group's size limit. */
  bytes = 0;
  private readonly tags: Uint8Array;
  private capacity: number;
  private valid!: Uint8Array[];
  /** Per column, by tag: Float64Array (INTEGER, TIMESTAMP, DOUBLE), Uint8Array (BOOLEAN), Int32Array (DATE, and TEXT end offsets). */
  private values!: Array<Float64Array | Uint8Array | Int32Array | undefined>;
  private big!: Array<Array<[number, bigint]>>;
  private text!: Array<Uint8Array | undefined>;
  private used!: Int32Array;
  private decimals!: Array<Array<bigint | null>>;
  /** Room for text per text column when a row group starts (the last one's most). */
  private textBytes = 0;

  constructor(
    private readonly columns: readonly StagedColumn[],
    private readonly initialCapacity = 256,
  ) {
    this.tags = Uint8Array.from(columns, (c) => TAGS[c.kind]);
    this.capacity = initialCapacity;
    this.reset();
  }

  /** Appends one row (cell i for column i; SPAN cells are read from `spans`); returns its estimated bytes. */
  append(cells: readonly Cell[], spans?: Spans): number {
    const row = this.rows;
    if (row === this.capacity) this.grow();
    const { tags, valid, values } = this;
    let bytes = 0;
    for (let i = 0; i < tags.length; i += 1) {
      const value = cells[i]!;
      const tag = tags[i]!;
      if (value === null) {
        valid[i]![row] = 0;
        // A NULL text row keeps the previous end: its value is empty.
        if (tag === TEXT) values[i]![row] = this.used[i]!;
        continue;
      }
      valid[i]![row] = 1;
      switch (tag) {
        case INTEGER:
          // Staged integers are numbers, or text beyond 2^53.
          if (typeof value === 'number') values[i]![row] = value;
          else this.bigValue(i, row, BigInt(value as string));
          bytes += 8;
          break;
        case TIMESTAMP:
          // Microseconds (staged from the input's bytes) or the staging text.
          if (typeof value === 'number') values[i]![row] = value;
          else this.bigValue(i, row, typeof value === 'bigint' ? value : timestampMicros(value as string));
          bytes += 8;
          break;
        case DOUBLE:
          values[i]![row] = value as number;
          bytes += 8;
          break;
        case BOOLEAN:
          values[i]![row] = value ? 1 : 0;
          bytes += 8;
          break;
        case DATE:
          values[i]![row] = dateDays(value as string);
          bytes += 8;
          break;
        case TEXT:
          bytes += value === SPAN ? this.spanValue(i, row, spans!) : this.textValue(i, row, value as string | Uint8Array);
          break;
        default:
          this.decimals[i]![row] = unscaledDecimal(value as string, this.columns[i]!.scale ?? 0);
          bytes += 8;
      }
    }
    this.rows = row + 1;
    this.bytes += bytes;
    return bytes;
  }

  /** The rows so far, with the buffers to transfer (views of the block's own: no copy); the block starts over empty. */
  take(): { data: BlockData; transfer: ArrayBuffer[] } {
    const rows = this.rows;
    const transfer: ArrayBuffer[] = [];
    const columns = this.columns.map((_, i): ColumnBlock => {
      const valid = this.valid[i]!.subarray(0, rows);
      const values = this.values[i]!;
      transfer.push(valid.buffer as ArrayBuffer, values.buffer as ArrayBuffer);
      switch (this.tags[i]) {
        case INTEGER:
        case TIMESTAMP:
          return { kind: 'int64', valid, values: (values as Float64Array).subarray(0, rows), big: this.big[i]! };
        case DOUBLE:
          return { kind: 'double', valid, values: (values as Float64Array).subarray(0, rows) };
        case BOOLEAN:
          return { kind: 'boolean', valid, values: (values as Uint8Array).subarray(0, rows) };
        case DATE:
          return { kind: 'int32', valid, values: (values as Int32Array).subarray(0, rows) };
        case TEXT: {
          const text = this.text[i]!;
          transfer.push(text.buffer as ArrayBuffer);
          return { kind: 'bytes', valid, bytes: text.subarray(0, this.used[i]!), ends: (values as Int32Array).subarray(0, rows) };
        }
        default:
          return { kind: 'list', valid, values: Array.from({ length: rows }, (_, r) => (valid[r] ? (this.decimals[i]![r] ?? null) : null)) };
      }
    });
    // The next row group is likely as long as this one: room for its rows (and for as much text
    // per column as this one's longest) from the start.
    this.capacity = Math.max(this.initialCapacity, rows);
    this.textBytes = Math.max(0, ...this.used);
    this.reset();
    return { data: { rows, columns }, transfer };
  }

  private reset(): void {
    const n = this.capacity;
    this.rows = 0;
    this.bytes = 0;
    this.valid = this.columns.map(() => new Uint8Array(n));
    this.values = [...this.tags].map((tag) => (tag === BOOLEAN ? new Uint8Array(n) : tag === DATE || tag === TEXT ? new Int32Array(n) : new Float64Array(n)));
    this.big = this.columns.map(() => []);
    // Text starts small and doubles: a wide stream has hundreds of text columns per row group.
    this.text = [...this.tags].map((tag) => (tag === TEXT ? new Uint8Array(Math.max(1024, this.textBytes)) : undefined));
    this.used = new Int32Array(this.columns.length);
    this.decimals = this.columns.map(() => []);
  }

  private grow(): void {
    this.capacity *= 2;
    this.valid = this.valid.map((a) => grown(a, this.capacity));
    this.values = this.values.map((a) => (a ? grown(a, this.capacity) : a));
  }

  /** An INT64 value: a double where it is exact, else listed apart. */
  private bigValue(i: number, row: number, value: bigint): void {
    const n = Number(value);
    if (Number.isSafeInteger(n)) this.values[i]![row] = n;
    else {
      this.values[i]![row] = 0;
      this.big[i]!.push([row, value]);
    }
  }

  /** A SPAN cell: its bytes copied from the input (byte by byte when short: cheaper than set()). */
  private spanValue(i: number, row: number, spans: Spans): number {
    const source = spans.bytes;
    const from = spans.start[i]!;
    const length = spans.end[i]! - from;
    let at = this.used[i]!;
    let text = this.text[i]!;
    if (at + length > text.length) {
      text = grown(text, Math.max(text.length * 2, at + length));
      this.text[i] = text;
    }
    if (length < 64) for (let k = 0; k < length; k += 1) text[at + k] = source[from + k]!;
    else text.set(source.subarray(from, from + length), at);
    at += length;
    this.used[i] = at;
    this.values[i]![row] = at;
    return length;
  }

  /** Text: UTF-8 bytes back to back; the row's end offset goes into its values. */
  private textValue(i: number, row: number, value: string | Uint8Array): number {
    let at = this.used[i]!;
    let text = this.text[i]!;
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
    const room = value instanceof Uint8Array ? value.length : value.length * 3;
    if (at + room > text.length) {
      text = grown(text, Math.max(text.length * 2, at + room));
      this.text[i] = text;
    }
    const length = value instanceof Uint8Array ? (text.set(value, at), value.length) : encoder.encodeInto(value, text.subarray(at)).written;
    at += length;
    this.used[i] = at;
    this.values[i]![row] = at;
    return length;
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
    case 'int64':
      for (let i = 0; i < rows; i += 1) out[i] = valid[i] ? BigInt(block.values[i]!) : null;
      for (const [row, value] of block.big) out[row] = value;
      return out;
    case 'boolean':
      for (let i = 0; i < rows; i += 1) out[i] = valid[i] ? block.values[i] === 1 : null;
      return out;
    default:
      for (let i = 0; i < rows; i += 1) out[i] = valid[i] ? block.values[i] : null;
      return out;
  }
}

function grown<T extends Uint8Array | Int32Array | Float64Array>(array: T, length: number): T {
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array as never);
  return next;
}
