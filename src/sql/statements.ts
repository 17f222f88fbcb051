import type { Column, SparkType } from '../schema/columns.js';
import type { TableRef } from '../schema/naming.js';
import { qualifiedName, quoteIdentifier, quoteString } from './quote.js';

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

export function createTable(ref: TableRef, columns: readonly Pick<Column, 'name' | 'type'>[]): string {
  return `CREATE TABLE IF NOT EXISTS ${tableName(ref)} (${columnList(columns)}) USING iceberg`;
}

export function addColumns(ref: TableRef, columns: readonly Pick<Column, 'name' | 'type'>[]): string {
  return `ALTER TABLE ${tableName(ref)} ADD COLUMNS (${columnList(columns)})`;
}

export function describeTable(ref: TableRef): string {
  return `DESCRIBE TABLE ${tableName(ref)}`;
}

export function showTables(ref: Pick<TableRef, 'catalog' | 'schema' | 'table'>): string {
  return `SHOW TABLES IN ${qualifiedName(ref.catalog, ref.schema)} LIKE ${quoteString(ref.table)}`;
}

/** A staged batch as the SQL side sees it: its view name, file location and column layout. */
export interface StagedBatch {
  view: string;
  /** `s3a://bucket/key` of the staged file. */
  location: string;
  format: 'json';
  columns: readonly Column[];
}

/** Name of the staged field that holds column i; fixed ASCII names keep any property name safe in the file. */
export function stageField(index: number): string {
  return `c${index}`;
}

/** Name of the staged field holding the record's position in the batch (last one wins on duplicate keys). */
export const SEQUENCE_FIELD = 'seq';

const STAGE_TYPES: Record<SparkType, string> = {
  BIGINT: 'BIGINT',
  DOUBLE: 'DOUBLE',
  BOOLEAN: 'BOOLEAN',
  STRING: 'STRING',
  // Dates and timestamps are staged as normalised UTC text and cast in the load statement, so no
  // reader-side parsing option can reinterpret them.
  TIMESTAMP: 'STRING',
  DATE: 'STRING',
};

export function createStageView(batch: StagedBatch): string {
  const fields = batch.columns.map((c, i) => `${quoteIdentifier(stageField(i))} ${STAGE_TYPES[c.type]}`);
  fields.push(`${quoteIdentifier(SEQUENCE_FIELD)} BIGINT`);
  return (
    `CREATE OR REPLACE TEMPORARY VIEW ${quoteIdentifier(batch.view)} (${fields.join(', ')}) ` +
    `USING ${batch.format} OPTIONS (path ${quoteString(batch.location)}, mode 'FAILFAST')`
  );
}

export function dropView(view: string): string {
  return `DROP VIEW IF EXISTS ${quoteIdentifier(view)}`;
}

function stagedExpression(column: Column, index: number): string {
  const field = quoteIdentifier(stageField(index));
  if (column.type === 'TIMESTAMP' || column.type === 'DATE') return `CAST(${field} AS ${column.type})`;
  return field;
}

/** The batch as rows named like the table's columns. */
function sourceSelect(batch: StagedBatch, keys: readonly string[]): string {
  const projection = batch.columns.map((c, i) => `${stagedExpression(c, i)} AS ${quoteIdentifier(c.name)}`).join(', ');
  if (keys.length === 0) return `SELECT ${projection} FROM ${quoteIdentifier(batch.view)}`;
  const keyFields = keys.map((k) => quoteIdentifier(stageField(indexOfColumn(batch.columns, k)))).join(', ');
  // A tap may send the same key several times in one batch; MERGE accepts one source row per
  // target row, so only the last occurrence of each key is kept.
  return (
    `SELECT ${projection} FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY ${keyFields} ` +
    `ORDER BY ${quoteIdentifier(SEQUENCE_FIELD)} DESC) AS ${quoteIdentifier('__rank')} ` +
    `FROM ${quoteIdentifier(batch.view)}) WHERE ${quoteIdentifier('__rank')} = 1`
  );
}

function indexOfColumn(columns: readonly Column[], name: string): number {
  const index = columns.findIndex((c) => c.name === name);
  if (index < 0) throw new Error(`Key column ${name} is not among the batch columns`);
  return index;
}

/** Upsert a keyed batch: update matching rows (only the columns the batch carries), insert the rest. */
export function mergeBatch(ref: TableRef, batch: StagedBatch, keyColumns: readonly string[]): string {
  const on = keyColumns.map((k) => `t.${quoteIdentifier(k)} <=> s.${quoteIdentifier(k)}`).join(' AND ');
  const names = batch.columns.map((c) => quoteIdentifier(c.name));
  const set = names.map((n) => `t.${n} = s.${n}`).join(', ');
  return (
    `MERGE INTO ${tableName(ref)} t USING (${sourceSelect(batch, keyColumns)}) s ON ${on} ` +
    `WHEN MATCHED THEN UPDATE SET ${set} ` +
    `WHEN NOT MATCHED THEN INSERT (${names.join(', ')}) VALUES (${names.map((n) => `s.${n}`).join(', ')})`
  );
}

/** Append a batch without keys. */
export function insertBatch(ref: TableRef, batch: StagedBatch): string {
  const names = batch.columns.map((c) => quoteIdentifier(c.name)).join(', ');
  return `INSERT INTO ${tableName(ref)} (${names}) ${sourceSelect(batch, [])}`;
}
