import { decimalOf, decimalType, type Column, type SparkType } from '../schema/columns.js';
import { decimalText } from '../singer/decimal-text.js';
import { BATCHED_AT, DELETED_AT, EXTRACTED_AT, TABLE_VERSION } from '../schema/metadata.js';
import { columnKey, type TableRef } from '../schema/naming.js';
import { stageField } from '../staging/parquet-layout.js';
import { qualifiedName, quoteIdentifier, quoteString } from './quote.js';
import { createClauses } from './layout.js';
import type { NewTableLayout } from '../schema/table-layout.js';

/**
 * Pure builders for every statement the target sends. Each returns the exact text, so tests pin
 * it down and the loader only sequences them.
 */

export function tableName(ref: TableRef): string {
  return qualifiedName(ref.catalog, ref.schema, ref.table);
}

export function createSchema(ref: Pick<TableRef, 'catalog' | 'schema'>): string {
  return `CREATE SCHEMA IF NOT EXISTS ${qualifiedName(ref.catalog, ref.schema)}`;
}

function columnList(columns: readonly Pick<Column, 'name' | 'type'>[]): string {
  return columns.map((c) => `${quoteIdentifier(c.name)} ${c.type}`).join(', ');
}

/**
 * Properties of a table created for a keyed stream, whose every load is a MERGE: merge-on-read
 * (format version 2) writes the updated rows and small delete files instead of rewriting every
 * data file that holds an updated row (copy-on-write), so a flush costs what its batch holds,
 * not what the table holds (docs/benchmarks.md). Reads apply the delete files until compaction.
 */
export const KEYED_TABLE_PROPERTIES: Readonly<Record<string, string>> = { 'format-version': '2', 'write.merge.mode': 'merge-on-read' };

/** `layout`: the table's partition spec and properties (schema/table-layout.ts newTableLayout); without it, the keyed defaults. */
export function createTable(ref: TableRef, columns: readonly Pick<Column, 'name' | 'type'>[], keyed = false, layout?: NewTableLayout): string {
  return `CREATE TABLE IF NOT EXISTS ${tableName(ref)} (${columnList(columns)}) USING iceberg${tableProperties(keyed, layout)}`;
}

/** The PARTITIONED BY and TBLPROPERTIES clauses of a new table (with a leading space), or ''. */
function tableProperties(keyed: boolean, layout?: NewTableLayout): string {
  return createClauses(layout ?? { partition: [], properties: keyed ? KEYED_TABLE_PROPERTIES : {} });
}

export function addColumns(ref: TableRef, columns: readonly Pick<Column, 'name' | 'type'>[]): string {
  return `ALTER TABLE ${tableName(ref)} ADD COLUMNS (${columnList(columns)})`;
}

/** Iceberg-legal widening only (int to bigint, float to double, decimal precision up). */
export function alterColumnType(ref: TableRef, column: string, type: string): string {
  return `ALTER TABLE ${tableName(ref)} ALTER COLUMN ${quoteIdentifier(column)} TYPE ${type}`;
}

export function renameColumn(ref: TableRef, from: string, to: string): string {
  return `ALTER TABLE ${tableName(ref)} RENAME COLUMN ${quoteIdentifier(from)} TO ${quoteIdentifier(to)}`;
}

export function describeTable(ref: TableRef): string {
  return `DESCRIBE TABLE ${tableName(ref)}`;
}

/**
 * All tables of a schema; the caller compares names exactly. No `LIKE`: Spark reads its pattern as
 * a regular expression, so a name such as `ORDERS(V2)` would never match itself.
 */
export function showTables(ref: Pick<TableRef, 'catalog' | 'schema'>): string {
  return `SHOW TABLES IN ${qualifiedName(ref.catalog, ref.schema)}`;
}

/** The tables in the rows of showTables, lower case as the metastore keeps them (temporary views left out). */
export function listedTables(rows: readonly Record<string, unknown>[]): Set<string> {
  return new Set(rows.filter((row) => row.isTemporary !== true).map((row) => String(row.tableName ?? '').toLowerCase()));
}

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
export function describeFile(location: string): string {
  return `DESCRIBE QUERY SELECT * FROM parquet.${quoteIdentifier(location)}`;
}

const COMPLEX_TYPE = /^(struct|array|map)</i;

/**
 * Pure: the file field feeding each column, or undefined when a Parquet file cannot be loaded as
 * it is, so its records take the record path with its checks: a key column missing, nested data
 * for a column that is not JSON text, or text for a typed column (dates, numbers and booleans
 * written as text are parsed by the record path's rules, which Spark's casts do not share).
 * `_SDC_EXTRACTED_AT` and `_SDC_TABLE_VERSION` come from the message on the record path (a BATCH
 * message carries neither), so the file's own fields of those names are not read.
 */
export function matchFileFields(columns: readonly Column[], fields: readonly FileField[], keyColumns: readonly string[]): Array<FileField | undefined> | undefined {
  const byName = new Map(fields.map((f) => [columnKey(f.name), f]));
  const matched = columns.map((column) => (column.name === EXTRACTED_AT || column.name === TABLE_VERSION ? undefined : byName.get(columnKey(column.property))));
  for (const [i, column] of columns.entries()) {
    const field = matched[i];
    if (field && COMPLEX_TYPE.test(field.type) && column.kind !== 'json') return undefined;
    if (field && /^string$/i.test(field.type) && column.type !== 'STRING') return undefined;
    if (!field && keyColumns.includes(column.name)) return undefined;
  }
  return matched;
}

/** A column's value from a tap's Parquet file (nested values become JSON text). */
function fileExpression(column: Column, field: FileField | undefined, stream?: string): string {
  if (column.name === BATCHED_AT) return 'current_timestamp()';
  if (!field) return `CAST(NULL AS ${column.type})`;
  const name = quoteIdentifier(field.name);
  if (COMPLEX_TYPE.test(field.type)) return `to_json(${name})`;
  return sameType(field.type, column.type) ? name : checkedCast(name, field.type, column.type, column.name, stream);
}

function sameType(a: string, b: string): boolean {
  const norm = (t: string) => t.replace(/\s+/g, '').toUpperCase().replace(/^LONG$/, 'BIGINT').replace(/^INTEGER$/, 'INT');
  return norm(a) === norm(b);
}

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INT|INTEGER|BIGINT|LONG|FLOAT|REAL|DOUBLE|DECIMAL(\(.*\))?)$/i;
const INTEGER_TYPE = /^(TINYINT|SMALLINT|INT|INTEGER|BIGINT|LONG)$/i;
const APPROXIMATE = /^(FLOAT|REAL|DOUBLE)$/i;

/**
 * `CAST(expression AS to)` that fails the statement instead of changing a value. Spark (ANSI mode
 * off, the default) makes a failed cast NULL and rounds or truncates numbers (1.5 into BIGINT is
 * 1, 123456789012 into DECIMAL(10,2) is NULL); here such a row stops the load with raise_error,
 * naming stream, column and value. Casts into DOUBLE and text cannot lose a value that the
 * column type promises to keep, so they stay plain.
 */
export function checkedCast(expression: string, from: string, to: string, column: string, stream?: string): string {
  const cast = `CAST(${expression} AS ${to})`;
  // Text holds any value; a double takes a double as it is. An integer or a decimal the double
  // cannot hold exactly is refused, as on the record path (on_inexact_number): the round trip
  // through DOUBLE must give the value back (Spark reads a double's shortest text into a decimal).
  if (/^STRING$/i.test(to.trim()) || (APPROXIMATE.test(to.trim()) && !INTEGER_TYPE.test(from.trim()) && !/^DECIMAL/i.test(from.trim()))) return cast;
  const changed = NUMERIC_TYPE.test(from.trim()) && NUMERIC_TYPE.test(to.trim()) ? ` OR CAST(${cast} AS ${from}) <> ${expression}` : '';
  const where = `${stream !== undefined ? `Stream '${stream}', column` : 'Column'} ${column}: value `;
  const why = ` (${from.toUpperCase()}) cannot be stored as ${to.toUpperCase()} without changing it; fix the value in the tap, or alter the column to a type that holds it`;
  return (
    `CASE WHEN ${expression} IS NOT NULL AND (${cast} IS NULL${changed}) ` +
    `THEN raise_error(concat(${quoteString(where)}, CAST(${expression} AS STRING), ${quoteString(why)})) ELSE ${cast} END`
  );
}

function stagedExpression(batch: StagedBatch, index: number, stream?: string): string {
  const { column, tableType } = batch.columns[index]!;
  const direct = batch.format === 'parquet';
  const expression = direct ? fileExpression(column, batch.fileFields?.[index], stream) : quoteIdentifier(stageField(index));
  // A staged field has the column's type (decimals are staged as DECIMAL(38,s)); a table column of
  // another type gets a checked cast.
  const from = direct ? column.type : stagedType(column);
  return sameType(tableType, from) ? expression : checkedCast(expression, from, tableType, column.name, stream);
}

/** The type of a column's field in the target's own batch file (parquet-layout.ts). */
function stagedType(column: Pick<Column, 'kind' | 'type' | 'scale'>): string {
  return column.kind === 'decimal' ? decimalType(column.scale ?? 0) : column.type;
}

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
   * The smallest and largest value of key columns in the batch (see KeyRange): a merge then
   * matches only target rows within them (keyRangeCondition). Absent: the whole table is matched.
   */
  keyBounds?: readonly KeyBounds[];
  /**
   * For a tap's Parquet file: a row whose key is null fails the load (primary_key_required), as
   * the record path refuses such a record. Batches the target staged were checked row by row.
   */
  refuseNullKeys?: boolean;
}

/** The batch as rows named like the table's columns; with keys, only the last record of each key. */
function sourceSelect(batch: StagedBatch, keys: readonly string[], stream?: string, nonNullKeys: readonly string[] = []): string {
  const projection = batch.columns
    .map((c, i) => {
      const expression = stagedExpression(batch, i, stream);
      const guarded = batch.format === 'parquet' && nonNullKeys.includes(c.column.name) ? nullKeyGuard(expression, c.column, batch.location, stream) : expression;
      return `${guarded} AS ${quoteIdentifier(c.column.name)}`;
    })
    .join(', ');
  // The file is read straight from its path, in this one statement: no view to create and drop,
  // and only then does Spark offer the file's hidden `_metadata` column used for ordering below.
  const from = `parquet.${quoteIdentifier(batch.location)}`;
  if (keys.length === 0) return `SELECT ${projection} FROM ${from}`;
  const keyFields = keys
    .map((k) => {
      const index = indexOfColumn(batch.columns, k);
      return batch.format === 'parquet' ? fileExpression(batch.columns[index]!.column, batch.fileFields?.[index], stream) : quoteIdentifier(stageField(index));
    })
    .join(', ');
  // In a batch file the row order is the record order; Spark exposes it as the file's hidden
  // row_index, which unlike a generated id is deterministic, as MERGE needs.
  const order = '_metadata.row_index';
  // A tap may send the same key several times in one batch; MERGE accepts one source row per
  // target row, so only the last occurrence of each key is kept.
  return (
    `SELECT ${projection} FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY ${keyFields} ` +
    `ORDER BY ${order} DESC) AS ${quoteIdentifier('__rank')} ` +
    `FROM ${from}) WHERE ${quoteIdentifier('__rank')} = 1`
  );
}

function nullKeyGuard(expression: string, column: Column, location: string, stream?: string): string {
  const message =
    `${stream !== undefined ? `Stream '${stream}': k` : 'K'}ey property '${column.property}' is null in a row of batch file ${location}; ` +
    'rows need a key to be merged (set primary_key_required to false to accept null keys)';
  return `CASE WHEN ${expression} IS NULL THEN raise_error(${quoteString(message)}) ELSE ${expression} END`;
}

function indexOfColumn(columns: readonly LoadColumn[], name: string): number {
  const index = columns.findIndex((c) => c.column.name === name);
  if (index < 0) throw new Error(`Column ${name} is not among the batch columns`);
  return index;
}

/** The rows of a batch (alias `alias`) that are deletions (`deleted`), or those that are not. */
function deletedCondition(batch: StagedBatch, alias: string, deleted = true): string {
  indexOfColumn(batch.columns, DELETED_AT);
  return `${alias}.${quoteIdentifier(DELETED_AT)} ${deleted ? 'IS NOT NULL' : 'IS NULL'}`;
}

export function loadStatement(plan: LoadPlan): string {
  switch (plan.mode) {
    case 'merge':
      return mergeBatch(plan);
    case 'insert':
    case 'overwrite':
      return insertBatch(plan);
  }
}

/** The smallest and largest value of one key column in a batch, in the column's type, and whether the batch has NULL keys. */
export interface KeyBounds {
  /** Column name in the table. */
  column: string;
  /** The staged column's type; a bound is used only where the table column has the same type. */
  type: SparkType;
  /** BIGINT: the integer; TIMESTAMP: microseconds since the epoch; DATE: days since the epoch; DECIMAL: the unscaled integer; STRING: the text. Absent when every key is NULL. */
  min?: number | bigint | string;
  max?: number | bigint | string;
  nulls: boolean;
}


/** `value` (as KeyBounds holds it) as a Spark literal of `type`, or undefined for a type without ranges. */
export function keyLiteral(type: SparkType, value: number | bigint | string): string | undefined {
  const integer = (v: number | bigint | string): string => {
    if (typeof v === 'string' || (typeof v === 'number' && !Number.isSafeInteger(v))) throw new Error(`Key bound ${String(v)} of a ${type} column is not an integer`);
    return String(v);
  };
  if (type === 'STRING') {
    if (typeof value !== 'string') throw new Error(`Key bound ${String(value)} of a STRING column is not text`);
    return quoteString(value);
  }
  if (type === 'BIGINT') return integer(value);
  // Typed by functions of integers: no time zone or calendar text involved; Spark folds them into literals before pruning files.
  if (type === 'TIMESTAMP') return `TIMESTAMP_MICROS(${integer(value)})`;
  if (type === 'DATE') return `DATE_FROM_UNIX_DATE(${integer(value)})`;
  const decimal = decimalOf(type);
  if (decimal) {
    return `CAST(${quoteString(decimalText(BigInt(integer(value)), decimal.scale))} AS ${type})`;
  }
  return undefined;
}

/**
 * Pure: the condition on the target (alias `alias`) that keeps every row whose key could match a
 * batch row: per key column with bounds, its value between the batch's smallest and largest
 * (or NULL when the batch has a NULL key: the MERGE matches keys with `<=>`). A static predicate,
 * so Iceberg skips data files (and row groups) whose column statistics lie outside it. Columns
 * without bounds, or whose table type is not the staged type (a value cast into a wider column
 * may order differently, e.g. numbers into text), get no condition. Undefined when no column has one.
 */
export function keyRangeCondition(bounds: readonly KeyBounds[], tableTypes: ReadonlyMap<string, string>, alias = 't'): string | undefined {
  const parts = bounds.flatMap((b) => {
    const tableType = tableTypes.get(b.column);
    if (tableType === undefined || !sameType(tableType, b.type)) return [];
    const column = `${alias}.${quoteIdentifier(b.column)}`;
    if (b.min === undefined || b.max === undefined) return b.nulls ? [`${column} IS NULL`] : [];
    const [low, high] = [keyLiteral(b.type, b.min), keyLiteral(b.type, b.max)];
    if (low === undefined || high === undefined) return [];
    const range = `${column} BETWEEN ${low} AND ${high}`;
    return [b.nulls ? `(${range} OR ${column} IS NULL)` : range];
  });
  return parts.length > 0 ? parts.join(' AND ') : undefined;
}

/**
 * Upsert a keyed batch: update matching rows (only the columns the batch carries), insert the rest.
 * See namesNoColumn for the wide form (`UPDATE SET *` / `INSERT *`). With key bounds, only target
 * rows within them are matched: the same rows (no other can equal a batch key), fewer files read.
 */
function mergeBatch({ table, batch, keyColumns, hardDelete, stream, refuseNullKeys, wholeTable, keyBounds }: LoadPlan): string {
  if (keyColumns.length === 0) throw new Error('A merge needs key columns');
  const within = keyBounds ? keyRangeCondition(keyBounds, new Map(batch.columns.map((c) => [c.column.name, c.tableType]))) : undefined;
  // Null-safe equality matches NULL keys (primary_key_required false). A column without NULLs in
  // the batch matches the same rows with plain equality, which Spark plans faster (docs/benchmarks.md).
  const nullFree = new Set((keyBounds ?? []).filter((b) => !b.nulls && b.min !== undefined).map((b) => b.column));
  const on =
    keyColumns.map((k) => `t.${quoteIdentifier(k)} ${nullFree.has(k) ? '=' : '<=>'} s.${quoteIdentifier(k)}`).join(' AND ') + (within ? ` AND ${within}` : '');
  const names = batch.columns.map((c) => quoteIdentifier(c.column.name));
  const star = namesNoColumn({ mode: 'merge', batch, wholeTable });
  const set = star ? '*' : names.map((n) => `t.${n} = s.${n}`).join(', ');
  const insert = star ? '*' : `(${names.join(', ')}) VALUES (${names.map((n) => `s.${n}`).join(', ')})`;
  const deleted = hardDelete ? deletedCondition(batch, 's') : '';
  const kept = hardDelete ? deletedCondition(batch, 's', false) : '';
  return (
    `MERGE INTO ${tableName(table)} t USING (${sourceSelect(batch, keyColumns, stream, refuseNullKeys ? keyColumns : [])}) s ON ${on} ` +
    (hardDelete ? `WHEN MATCHED AND ${deleted} THEN DELETE ` : '') +
    `WHEN MATCHED THEN UPDATE SET ${set} ` +
    `WHEN NOT MATCHED${hardDelete ? ` AND ${kept}` : ''} THEN INSERT ${insert}`
  );
}

/**
 * Creates the table with its first batch, in one statement: the rows a load of `plan.mode` would
 * leave in an empty table (merge and overwrite: the last row of each key; hard deletes skipped).
 * Each column is cast to its table type, so the table gets exactly the columns CREATE TABLE would
 * give it. No `IF NOT EXISTS`: Iceberg commits the table's creation with the rows and fails when
 * the table appeared meanwhile (a killed run's statement still running), so rows are never
 * appended twice unvalidated (see docs/ARCHITECTURE.md).
 */
export function createTableAs(plan: LoadPlan, keyed: boolean, layout?: NewTableLayout): string {
  const { table, batch, mode, keyColumns, hardDelete, stream, refuseNullKeys } = plan;
  const source = sourceSelect(batch, mode === 'insert' ? [] : keyColumns, stream, refuseNullKeys ? keyColumns : []);
  const rows = hardDelete ? `SELECT * FROM (${source}) s WHERE ${deletedCondition(batch, 's', false)}` : `SELECT * FROM (${source}) s`;
  const projection = batch.columns.map(({ column, tableType }) => `CAST(${quoteIdentifier(column.name)} AS ${tableType}) AS ${quoteIdentifier(column.name)}`).join(', ');
  return `CREATE TABLE ${tableName(table)} USING iceberg${tableProperties(keyed, layout)} AS SELECT ${projection} FROM (${rows}) b`;
}

/** Append a batch, or replace the table's rows with it (`overwrite`). */
function insertBatch({ table, batch, mode, keyColumns, hardDelete, stream, refuseNullKeys }: LoadPlan): string {
  const names = batch.columns.map((c) => quoteIdentifier(c.column.name)).join(', ');
  const source = sourceSelect(batch, mode === 'overwrite' ? keyColumns : [], stream, refuseNullKeys ? keyColumns : []);
  const rows = hardDelete ? `SELECT * FROM (${source}) s WHERE ${deletedCondition(batch, 's', false)}` : source;
  return `INSERT ${mode === 'overwrite' ? 'OVERWRITE' : 'INTO'} ${tableName(table)} (${names}) ${rows}`;
}

/**
 * After ACTIVATE_VERSION: rows of older table versions are gone from the source. They are deleted,
 * or marked deleted at `deletedAt` (UTC text) when rows are kept. Rows without a version (loaded
 * before the stream was versioned) are left alone: nothing says they are older.
 */
export function retireOldVersions(table: TableRef, version: number, hardDelete: boolean, deletedAt: string): string {
  const where = retiredRows(version, hardDelete);
  if (hardDelete) return `DELETE FROM ${tableName(table)} WHERE ${where}`;
  return `UPDATE ${tableName(table)} SET ${quoteIdentifier(DELETED_AT)} = CAST(${quoteString(deletedAt)} AS TIMESTAMP) WHERE ${where}`;
}

/**
 * The number of rows retireOldVersions will retire, as `n`: Spark's UPDATE and DELETE on Iceberg
 * return no row count, so it is counted first, in the table's lane (no load of the run between).
 */
export function countOldVersions(table: TableRef, version: number, hardDelete: boolean): string {
  return `SELECT COUNT(*) AS n FROM ${tableName(table)} WHERE ${retiredRows(version, hardDelete)}`;
}

function retiredRows(version: number, hardDelete: boolean): string {
  if (!Number.isSafeInteger(version)) throw new Error(`Table version ${version} is not an integer`);
  const older = `${quoteIdentifier(TABLE_VERSION)} < ${version}`;
  return hardDelete ? older : `${older} AND ${quoteIdentifier(DELETED_AT)} IS NULL`;
}

/** From this many columns on, a MERGE is planned without the ColumnPruning rule (see wideMergeSettings). */
export const WIDE_MERGE_COLUMNS = 500;

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
export function namesNoColumn(plan: Pick<LoadPlan, 'mode' | 'batch' | 'wholeTable'>): boolean {
  return plan.mode === 'merge' && plan.wholeTable === true && plan.batch.columns.length >= WIDE_MERGE_COLUMNS;
}

const EXCLUDED_RULES = 'spark.sql.optimizer.excludedRules';

/**
 * Session statements around the load of a wide batch, or undefined. Spark 3.5 rebuilds a MERGE's
 * whole input column list for every output column each time ColumnPruning rewrites the plan, so
 * planning a MERGE grows with the square of the width (2,000 columns: 52 s with the rule, 19.5 s
 * without, same rows). Pruning is an optimisation only (results cannot change), and it is off
 * only for this statement: `after` puts the session back.
 */
export function wideMergeSettings(plan: Pick<LoadPlan, 'mode' | 'batch' | 'wholeTable' | 'table'>): { before: string; refresh?: string; after: string } | undefined {
  if (plan.mode !== 'merge' || plan.batch.columns.length < WIDE_MERGE_COLUMNS) return undefined;
  return {
    before: `SET ${EXCLUDED_RULES}=org.apache.spark.sql.catalyst.optimizer.ColumnPruning`,
    ...(namesNoColumn(plan) ? { refresh: `REFRESH TABLE ${tableName(plan.table)}` } : {}),
    after: `RESET ${EXCLUDED_RULES}`,
  };
}
