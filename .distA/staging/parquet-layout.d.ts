import type { SchemaElement } from 'hyparquet-writer';
import { type ValueKind } from '../schema/columns.js';
import type { StagedValue } from '../schema/values.js';
/**
 * Pure: how the staged values of a batch are typed in its Parquet file, so Spark reads every
 * column with the table's type and no cast: BIGINT as INT64, DOUBLE, BOOLEAN, text as UTF-8
 * byte arrays (byte-exact, NULL distinct from ''), TIMESTAMP as INT64 microseconds since the
 * epoch adjusted to UTC, DATE as INT32 days, DECIMAL(38,s) as a 16-byte two's-complement
 * integer. Field i is named `c<i>` (see stageField): any property name stays safe in the file.
 * The record order of the batch is the row order of the file (Spark's `_metadata.row_index`).
 */
/** What the layout needs to know of a column. */
export interface StagedColumn {
    kind: ValueKind;
    /** For `decimal`: digits after the decimal point. */
    scale?: number;
}
/** Name of the staged field that holds column i; fixed ASCII names keep any property name safe in the file. */
export declare function stageField(index: number): string;
/** The Parquet schema of a batch file with these columns (every field optional: NULL is a value). */
export declare function parquetSchema(columns: readonly StagedColumn[]): SchemaElement[];
/**
 * Key-value metadata of every batch file. Spark reads dates before 1582 and timestamps before 1900
 * of a Parquet file without a writer version by `spark.sql.parquet.datetimeRebaseModeInRead`,
 * which defaults to refusing them; the values here are proleptic Gregorian (the calendar Spark 3
 * writes), and the version key says exactly that, so such dates load unchanged.
 */
export declare const FILE_METADATA: {
    key: string;
    value: string;
}[];
/**
 * The column's staged values (as convertValue produces them) as the values the Parquet writer
 * takes for its type. Values were checked when staged, so a value that does not parse here is a
 * bug, not bad input.
 */
export declare function physicalValues(column: StagedColumn, values: readonly StagedValue[]): unknown[];
/** Days from 1970-01-01 to a proleptic Gregorian date (any year, no Date object involved). */
export declare function daysFromCivil(year: number, month: number, day: number): number;
/** Microseconds since the epoch of a staged timestamp (`YYYY-MM-DD HH:MM:SS.ffffffZ`, UTC). */
export declare function timestampMicros(text: string): bigint;
/** Days since the epoch of a staged date (`YYYY-MM-DD`). */
export declare function dateDays(text: string): number;
/** The unscaled integer of a staged decimal (plain text such as `-12.5`) at `scale` digits. */
export declare function unscaledDecimal(text: string, scale: number): bigint;
