import { type SchemaElement } from 'hyparquet';
/**
 * Reads the records of a local Parquet file (a Singer BATCH file) one row group at a time, with
 * hyparquet. Parquet cannot be read front to back (the schema and row-group offsets sit in the
 * footer), so this is the streaming unit: memory holds one decoded row group, never the file.
 * Taps write one row group per batch file unless the batch is very large (pyarrow's default
 * row group holds 1Mi rows).
 */
export declare function parquetFileRecords(path: string): AsyncGenerator<Record<string, unknown>>;
/**
 * Scales of the top-level DECIMAL columns, whose values get their floating-point error rounded
 * away. The schema is a flattened tree: the root, then each element followed by its children.
 */
export declare function topLevelDecimalScales(schema: readonly SchemaElement[]): Map<string, number>;
