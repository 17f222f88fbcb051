import { dateDays, timestampMicros, unscaledDecimal } from './parquet-layout.js';
/**
 * A text cell whose UTF-8 bytes are `spans.bytes[spans.start[i], spans.end[i])` (i: the column):
 * a record staged from the input's bytes hands its text over this way, so no view object is
 * made per value only to be copied from at once.
 */
export const SPAN = Symbol('text span');
// How each column is stored: one switch in append, no call per cell.
const INTEGER = 0;
const TIMESTAMP = 1;
const DOUBLE = 2;
const BOOLEAN = 3;
const DATE = 4;
const TEXT = 5;
const DECIMAL = 6;
const TAGS = { integer: INTEGER, timestamp: TIMESTAMP, number: DOUBLE, boolean: BOOLEAN, date: DATE, string: TEXT, json: TEXT, decimal: DECIMAL };
const encoder = new TextEncoder();
/** The rows of the row group being filled. */
export class RowBlock {
    columns;
    initialCapacity;
    rows = 0;
    /** Estimated value bytes (text bytes, 8 per other value): the row group's size limit. */
    bytes = 0;
    tags;
    capacity;
    valid;
    /** Per column, by tag: Float64Array (INTEGER, TIMESTAMP, DOUBLE), Uint8Array (BOOLEAN), Int32Array (DATE, and TEXT end offsets). */
    values;
    big;
    text;
    used;
    decimals;
    constructor(columns, initialCapacity = 1024) {
        this.columns = columns;
        this.initialCapacity = initialCapacity;
        this.tags = Uint8Array.from(columns, (c) => TAGS[c.kind]);
        this.capacity = initialCapacity;
        this.reset();
    }
    /** Appends one row (cell i for column i; SPAN cells are read from `spans`); returns its estimated bytes. */
    append(cells, spans) {
        const row = this.rows;
        if (row === this.capacity)
            this.grow();
        const { tags, valid, values } = this;
        let bytes = 0;
        for (let i = 0; i < tags.length; i += 1) {
            const value = cells[i];
            const tag = tags[i];
            if (value === null) {
                valid[i][row] = 0;
                // A NULL text row keeps the previous end: its value is empty.
                if (tag === TEXT)
                    values[i][row] = this.used[i];
                continue;
            }
            valid[i][row] = 1;
            switch (tag) {
                case INTEGER:
                    // Staged integers are numbers, or text beyond 2^53.
                    if (typeof value === 'number')
                        values[i][row] = value;
                    else
                        this.bigValue(i, row, BigInt(value));
                    bytes += 8;
                    break;
                case TIMESTAMP:
                    // Microseconds (staged from the input's bytes) or the staging text.
                    if (typeof value === 'number')
                        values[i][row] = value;
                    else
                        this.bigValue(i, row, typeof value === 'bigint' ? value : timestampMicros(value));
                    bytes += 8;
                    break;
                case DOUBLE:
                    values[i][row] = value;
                    bytes += 8;
                    break;
                case BOOLEAN:
                    values[i][row] = value ? 1 : 0;
                    bytes += 8;
                    break;
                case DATE:
                    values[i][row] = dateDays(value);
                    bytes += 8;
                    break;
                case TEXT:
                    bytes += value === SPAN ? this.spanValue(i, row, spans) : this.textValue(i, row, value);
                    break;
                default:
                    this.decimals[i][row] = unscaledDecimal(value, this.columns[i].scale ?? 0);
                    bytes += 8;
            }
        }
        this.rows = row + 1;
        this.bytes += bytes;
        return bytes;
    }
    /** The rows so far, with the buffers to transfer (views of the block's own: no copy); the block starts over empty. */
    take() {
        const rows = this.rows;
        const transfer = [];
        const columns = this.columns.map((_, i) => {
            const valid = this.valid[i].subarray(0, rows);
            const values = this.values[i];
            transfer.push(valid.buffer, values.buffer);
            switch (this.tags[i]) {
                case INTEGER:
                case TIMESTAMP:
                    return { kind: 'int64', valid, values: values.subarray(0, rows), big: this.big[i] };
                case DOUBLE:
                    return { kind: 'double', valid, values: values.subarray(0, rows) };
                case BOOLEAN:
                    return { kind: 'boolean', valid, values: values.subarray(0, rows) };
                case DATE:
                    return { kind: 'int32', valid, values: values.subarray(0, rows) };
                case TEXT: {
                    const text = this.text[i];
                    transfer.push(text.buffer);
                    return { kind: 'bytes', valid, bytes: text.subarray(0, this.used[i]), ends: values.subarray(0, rows) };
                }
                default:
                    return { kind: 'list', valid, values: Array.from({ length: rows }, (_, r) => (valid[r] ? (this.decimals[i][r] ?? null) : null)) };
            }
        });
        this.capacity = this.initialCapacity;
        this.reset();
        return { data: { rows, columns }, transfer };
    }
    reset() {
        const n = this.capacity;
        this.rows = 0;
        this.bytes = 0;
        this.valid = this.columns.map(() => new Uint8Array(n));
        this.values = [...this.tags].map((tag) => (tag === BOOLEAN ? new Uint8Array(n) : tag === DATE || tag === TEXT ? new Int32Array(n) : new Float64Array(n)));
        this.big = this.columns.map(() => []);
        this.text = [...this.tags].map((tag) => (tag === TEXT ? new Uint8Array(64 * 1024) : undefined));
        this.used = new Int32Array(this.columns.length);
        this.decimals = this.columns.map(() => []);
    }
    grow() {
        this.capacity *= 2;
        this.valid = this.valid.map((a) => grown(a, this.capacity));
        this.values = this.values.map((a) => (a ? grown(a, this.capacity) : a));
    }
    /** An INT64 value: a double where it is exact, else listed apart. */
    bigValue(i, row, value) {
        const n = Number(value);
        if (Number.isSafeInteger(n))
            this.values[i][row] = n;
        else {
            this.values[i][row] = 0;
            this.big[i].push([row, value]);
        }
    }
    /** A SPAN cell: its bytes copied from the input (byte by byte when short: cheaper than set()). */
    spanValue(i, row, spans) {
        const source = spans.bytes;
        const from = spans.start[i];
        const length = spans.end[i] - from;
        let at = this.used[i];
        let text = this.text[i];
        if (at + length > text.length) {
            text = grown(text, Math.max(text.length * 2, at + length));
            this.text[i] = text;
        }
        if (length < 64)
            for (let k = 0; k < length; k += 1)
                text[at + k] = source[from + k];
        else
            text.set(source.subarray(from, from + length), at);
        at += length;
        this.used[i] = at;
        this.values[i][row] = at;
        return length;
    }
    /** Text: UTF-8 bytes back to back; the row's end offset goes into its values. */
    textValue(i, row, value) {
        let at = this.used[i];
        let text = this.text[i];
        // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
        const room = value instanceof Uint8Array ? value.length : value.length * 3;
        if (at + room > text.length) {
            text = grown(text, Math.max(text.length * 2, at + room));
            this.text[i] = text;
        }
        const length = value instanceof Uint8Array ? (text.set(value, at), value.length) : encoder.encodeInto(value, text.subarray(at)).written;
        at += length;
        this.used[i] = at;
        this.values[i][row] = at;
        return length;
    }
}
/** The values the Parquet writer takes for one column of a block (NULL as null). */
export function physicalColumn(block, rows) {
    const out = new Array(rows);
    const { valid } = block;
    switch (block.kind) {
        case 'bytes': {
            let start = 0;
            for (let i = 0; i < rows; i += 1) {
                const end = block.ends[i];
                out[i] = valid[i] ? block.bytes.subarray(start, end) : null;
                start = end;
            }
            return out;
        }
        case 'int64':
            for (let i = 0; i < rows; i += 1)
                out[i] = valid[i] ? BigInt(block.values[i]) : null;
            for (const [row, value] of block.big)
                out[row] = value;
            return out;
        case 'boolean':
            for (let i = 0; i < rows; i += 1)
                out[i] = valid[i] ? block.values[i] === 1 : null;
            return out;
        default:
            for (let i = 0; i < rows; i += 1)
                out[i] = valid[i] ? block.values[i] : null;
            return out;
    }
}
function grown(array, length) {
    const next = new array.constructor(length);
    next.set(array);
    return next;
}
//# sourceMappingURL=row-block.js.map