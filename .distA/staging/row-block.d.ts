import type { StagedValue } from '../schema/values.js';
import { type StagedColumn } from './parquet-layout.js';
/**
 * Pure: the rows of one row group in binary form, column by column, as they are staged. Each
 * column keeps its values in a typed array (text as UTF-8 bytes with end offsets) and a byte per
 * row for NULL, so a row group is a handful of ArrayBuffers: moved to the encoder thread without
 * a copy (encoder-thread.ts), no object per value for the garbage collector to trace while the
 * rows wait, and no BigInt made on the record path (64-bit integers within 2^53 are kept as
 * doubles, which hold them exactly; the few beyond are listed apart). `physicalColumn` turns a
 * column back into the values the Parquet writer takes, the same as physicalValues gives for the
 * staged values (test/unit/row-block.test.ts).
 */
export type ColumnBlock = 
/** INT64 (integers, timestamp microseconds): `values` where exact as doubles, `big` for the rows beyond 2^53. */
{
    kind: 'int64';
    valid: Uint8Array;
    values: Float64Array;
    big: Array<[row: number, value: bigint]>;
} | {
    kind: 'double';
    valid: Uint8Array;
    values: Float64Array;
} | {
    kind: 'boolean';
    valid: Uint8Array;
    values: Uint8Array;
} | {
    kind: 'int32';
    valid: Uint8Array;
    values: Int32Array;
} | {
    kind: 'bytes';
    valid: Uint8Array;
    bytes: Uint8Array;
    ends: Int32Array;
}
/** DECIMAL: unscaled BigInts, rare enough to stay a plain array. */
 | {
    kind: 'list';
    valid: Uint8Array;
    values: Array<bigint | null>;
};
/**
 * A text cell whose UTF-8 bytes are `spans.bytes[spans.start[i], spans.end[i])` (i: the column):
 * a record staged from the input's bytes hands its text over this way, so no view object is
 * made per value only to be copied from at once.
 */
export declare const SPAN: unique symbol;
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
/** The rows of the row group being filled. */
export declare class RowBlock {
    private readonly columns;
    private readonly initialCapacity;
    rows: number;
    /** Estimated value bytes (text bytes, 8 per other value): the row group's size limit. */
    bytes: number;
    private readonly tags;
    private capacity;
    private valid;
    /** Per column, by tag: Float64Array (INTEGER, TIMESTAMP, DOUBLE), Uint8Array (BOOLEAN), Int32Array (DATE, and TEXT end offsets). */
    private values;
    private big;
    private text;
    private used;
    private decimals;
    constructor(columns: readonly StagedColumn[], initialCapacity?: number);
    /** Appends one row (cell i for column i; SPAN cells are read from `spans`); returns its estimated bytes. */
    append(cells: readonly Cell[], spans?: Spans): number;
    /** The rows so far, with the buffers to transfer (views of the block's own: no copy); the block starts over empty. */
    take(): {
        data: BlockData;
        transfer: ArrayBuffer[];
    };
    private reset;
    private grow;
    /** An INT64 value: a double where it is exact, else listed apart. */
    private bigValue;
    /** A SPAN cell: its bytes copied from the input (byte by byte when short: cheaper than set()). */
    private spanValue;
    /** Text: UTF-8 bytes back to back; the row's end offset goes into its values. */
    private textValue;
}
/** The values the Parquet writer takes for one column of a block (NULL as null). */
export declare function physicalColumn(block: ColumnBlock, rows: number): unknown[];
