import type { Column } from '../schema/columns.js';
import type { TableRef } from '../schema/naming.js';
/**
 * Pure builders for every statement the target sends. Each returns the exact text, so tests pin
 * it down and the loader only sequences them.
 */
export declare function tableName(ref: TableRef): string;
export declare function createSchema(ref: Pick<TableRef, 'catalog' | 'schema'>): string;
export declare function createTable(ref: TableRef, columns: readonly Pick<Column, 'name' | 'type'>[]): string;
export declare function addColumns(ref: TableRef, columns: readonly Pick<Column, 'name' | 'type'>[]): string;
/** Iceberg-legal widening only (int to bigint, float to double, decimal precision up). */
export declare function alterColumnType(ref: TableRef, column: string, type: string): string;
export declare function renameColumn(ref: TableRef, from: string, to: string): string;
export declare function describeTable(ref: TableRef): string;
/**
 * All tables of a schema; the caller compares names exactly. No `LIKE`: Spark reads its pattern as
 * a regular expression, so a name such as `ORDERS(V2)` would never match itself.
 */
export declare function showTables(ref: Pick<TableRef, 'catalog' | 'schema'>): string;
/** A column of a staged batch and the type it has in the table (values are cast when they differ). */
export interface LoadColumn {
    column: Column;
    tableType: string;
}
/**
 * A staged batch as the SQL side sees it: a Parquet file read by path in the load statement
 * itself (no view). `staged`: a batch file the target wrote, typed exactly as the columns (fields
 * c0..cN, see staging/parquet-layout.ts), so no value needs a cast. `parquet`: a tap's own
 * Parquet file, read by property name without re-encoding (see `fileFields`).
 */
export interface StagedBatch {
    /** `s3a://bucket/key` of the staged file. */
    location: string;
    format: 'staged' | 'parquet';
    columns: readonly LoadColumn[];
    /** For `parquet`: the file field feeding each column, or undefined when the file lacks it. */
    fileFields?: ReadonlyArray<FileField | undefined>;
}
/** A field of a Parquet file as Spark describes it. */
export interface FileField {
    name: string;
    /** Spark type text, e.g. `bigint`, `string`, `struct<a:int>`. */
    type: string;
}
/** The fields of a Parquet file as Spark reads them (no view needed: the query names the file). */
export declare function describeFile(location: string): string;
/**
 * Pure: the file field feeding each column, or undefined when a Parquet file cannot be loaded as
 * it is, so its records take the record path with its checks: a key column missing, nested data
 * for a column that is not JSON text, or text for a typed column (dates, numbers and booleans
 * written as text are parsed by the record path's rules, which Spark's casts do not share).
 * `_SDC_EXTRACTED_AT` and `_SDC_TABLE_VERSION` come from the message on the record path (a BATCH
 * message carries neither), so the file's own fields of those names are not read.
 */
export declare function matchFileFields(columns: readonly Column[], fields: readonly FileField[], keyColumns: readonly string[]): Array<FileField | undefined> | undefined;
/**
 * `CAST(expression AS to)` that fails the statement instead of changing a value. Spark (ANSI mode
 * off, the default) makes a failed cast NULL and rounds or truncates numbers (1.5 into BIGINT is
 * 1, 123456789012 into DECIMAL(10,2) is NULL); here such a row stops the load with raise_error,
 * naming stream, column and value. Casts into DOUBLE and text cannot lose a value that the
 * column type promises to keep, so they stay plain.
 */
export declare function checkedCast(expression: string, from: string, to: string, column: string, stream?: string): string;
export type LoadMode = 'merge' | 'insert' | 'overwrite';
/** How one batch goes into its table. */
export interface LoadPlan {
    table: TableRef;
    batch: StagedBatch;
    mode: LoadMode;
    /** Key columns (table names). A merge joins on them; any mode keeps one row per key. */
    keyColumns: readonly string[];
    /** The batch carries every column of the table and the table no other (see namesNoColumn). */
    wholeTable?: boolean;
    /** Rows whose `_SDC_DELETED_AT` is set are deleted (merge) or skipped (insert, overwrite). */
    hardDelete: boolean;
    /** Named in the errors of values that do not fit their column. */
    stream?: string;
    /**
     * For a tap's Parquet file: a row whose key is null fails the load (primary_key_required), as
     * the record path refuses such a record. Batches the target staged were checked row by row.
     */
    refuseNullKeys?: boolean;
}
export declare function loadStatement(plan: LoadPlan): string;
/**
 * After ACTIVATE_VERSION: rows of older table versions are gone from the source. They are deleted,
 * or marked deleted at `deletedAt` (UTC text) when rows are kept. Rows without a version (loaded
 * before the stream was versioned) are left alone: nothing says they are older.
 */
export declare function retireOldVersions(table: TableRef, version: number, hardDelete: boolean, deletedAt: string): string;
/** From this many columns on, a MERGE is planned without the ColumnPruning rule (see wideMergeSettings). */
export declare const WIDE_MERGE_COLUMNS = 500;
/**
 * True when a MERGE says `UPDATE SET *` / `INSERT *`: a wide batch carrying exactly the table's
 * columns. The same assignments, by name, but Spark 3.5 resolves each written-out assignment
 * against source and target columns together, at a cost that grows with the width, and a star one
 * against the source only (4,000 columns, 20 rows: 57 s instead of 76 s). A star takes the table's
 * columns from Spark's view of the table, so the load refreshes that view first (wideMergeSettings):
 * a view cached before this run's own ADD COLUMNS would otherwise leave the new columns out
 * silently. Narrow batches keep the explicit lists, which also hold when a column is added to the
 * table by hand during the run (a star MERGE then fails, naming the column the batch lacks).
 */
export declare function namesNoColumn(plan: Pick<LoadPlan, 'mode' | 'batch' | 'wholeTable'>): boolean;
/**
 * Session statements around the load of a wide batch, or undefined. Spark 3.5 rebuilds a MERGE's
 * whole input column list for every output column each time ColumnPruning rewrites the plan, so
 * planning a MERGE grows with the square of the width (2,000 columns: 52 s with the rule, 19.5 s
 * without, same rows). Pruning is an optimisation only (results cannot change), and it is off
 * only for this statement: `after` puts the session back.
 */
export declare function wideMergeSettings(plan: Pick<LoadPlan, 'mode' | 'batch' | 'wholeTable' | 'table'>): {
    before: string;
    refresh?: string;
    after: string;
} | undefined;
