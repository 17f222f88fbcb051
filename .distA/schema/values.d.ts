import { type Column, type ValueKind } from './columns.js';
/**
 * A staged value: what goes into the batch file for one cell. convertValue gives text, numbers,
 * booleans and NULL; a record staged from the input's bytes (StreamSink.addScanned) also gives
 * UTF-8 bytes for text and microseconds for a timestamp (a number, or a BigInt beyond 2^53),
 * what the batch file stores for those columns (parquet-layout.ts physicalValues, row-block.ts).
 */
export type StagedValue = string | number | boolean | null | Uint8Array | bigint;
export type Conversion = {
    ok: true;
    value: StagedValue;
    warning?: string;
} | {
    ok: false;
    reason: string;
};
/** Settings that change how values are converted. */
export interface ConversionOptions {
    /** `fail` (default): an invalid date or date-time stops the run; `null`: it is stored as NULL with a warning. */
    on_invalid_datetime?: 'fail' | 'null';
}
/**
 * Converts one record value for its column. Pure: the caller decides what a failure means (an
 * error naming stream, line and column). Values that cannot be represented are refused rather
 * than silently changed; the one exception is a date after the year 9999, which becomes the
 * largest storable value with a warning (the original target's documented treatment).
 */
export declare function convertValue(value: unknown, column: Pick<Column, 'kind'> & Partial<Pick<Column, 'scale' | 'name'>>, options?: ConversionOptions): Conversion;
/**
 * The staged value when the common case decides it with one type check, else undefined (the
 * caller then takes convertValue, which owns every rule). Pure; gives exactly what convertValue
 * gives for the values it accepts.
 */
export declare function fastStaged(kind: ValueKind): (value: unknown) => StagedValue | undefined;
