/**
 * Pure: the hand-written statements of --bare-merge, the Spark-side floor of one flush: merge a
 * staged batch file into a table as directly as Spark allows. Written here on purpose, not taken
 * from src/sql/statements.ts, so that the target's statements are measured against something
 * they did not produce.
 */

export interface TableColumn {
  name: string;
  /** Spark type as DESCRIBE prints it, e.g. bigint, decimal(38,9). */
  type: string;
}

export interface BareMergeInput {
  /** Fully qualified, quoted table name. */
  table: string;
  columns: readonly TableColumn[];
  /** Name of the key column (as in `columns`). */
  key: string;
  /** s3a:// URL of the staged file. */
  location: string;
  /**
   * Smallest and largest key of the batch: the MERGE then matches only target rows in that range,
   * as the target's MERGE does, so that Iceberg skips files that cannot hold a batch key.
   */
  keyRange?: { min: number; max: number };
}

export interface TimedStatement {
  sql: string;
  /** The MERGE itself, timed on its own too. */
  isMerge: boolean;
}

export function ident(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

function literal(text: string): string {
  return "'" + text.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}

function sameType(a: string, b: string): boolean {
  const norm = (t: string) => t.replace(/\s+/g, '').toLowerCase().replace(/^long$/, 'bigint').replace(/^integer$/, 'int');
  return norm(a) === norm(b);
}

function merge(table: string, key: string, source: string, range?: BareMergeInput['keyRange']): string {
  const within = range ? ` AND t.${ident(key)} BETWEEN ${range.min} AND ${range.max}` : '';
  return `MERGE INTO ${table} t USING (${source}) s ON t.${ident(key)} = s.${ident(key)}${within} WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *`;
}

/** The last row of each key: MERGE takes at most one source row per target row. */
function lastPerKey(projection: string, from: string, keyExpression: string, order: string): string {
  return `SELECT ${projection} FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY ${keyExpression} ORDER BY ${order} DESC) AS __rank FROM ${from}) WHERE __rank = 1`;
}

/**
 * Today's staging (gzip JSON lines, field c<i> holding the table's i-th column, `seq` the row's
 * position): a temporary view with the fields' JSON types, the MERGE casting to the table's
 * types, the view dropped. Three statements, as the target sends them.
 */
export function jsonLinesMerge(input: BareMergeInput, view = 'bare_stage'): TimedStatement[] {
  const jsonType = (type: string) => (/^(double|boolean)$/i.test(type) ? type.toUpperCase() : 'STRING');
  const fields = input.columns.map((c, i) => `${ident(`c${i}`)} ${jsonType(c.type)}`);
  const projection = input.columns
    .map((c, i) => `${sameType(jsonType(c.type), c.type) ? ident(`c${i}`) : `CAST(${ident(`c${i}`)} AS ${c.type})`} AS ${ident(c.name)}`)
    .join(', ');
  const keyIndex = input.columns.findIndex((c) => c.name === input.key);
  if (keyIndex < 0) throw new Error(`key column ${input.key} is not a column of ${input.table}`);
  return [
    { sql: `CREATE OR REPLACE TEMPORARY VIEW ${ident(view)} (${[...fields, '`seq` BIGINT'].join(', ')}) USING json OPTIONS (path ${literal(input.location)}, mode 'FAILFAST')`, isMerge: false },
    { sql: merge(input.table, input.key, lastPerKey(projection, ident(view), ident(`c${keyIndex}`), '`seq`'), input.keyRange), isMerge: true },
    { sql: `DROP VIEW IF EXISTS ${ident(view)}`, isMerge: false },
  ];
}

/**
 * Which file field feeds each table column: the field of the same name (any case), else the
 * positional c<i> field, else none (NULL). Throws when the key has no field.
 */
export function matchFields(columns: readonly TableColumn[], fields: readonly TableColumn[], key: string): Array<TableColumn | undefined> {
  const byName = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
  const matched = columns.map((c, i) => byName.get(c.name.toLowerCase()) ?? byName.get(`c${i}`));
  if (!matched[columns.findIndex((c) => c.name === key)]) throw new Error(`the staged file has no field for the key column ${key}`);
  return matched;
}

/**
 * A typed Parquet file: one MERGE reading the file by path (only then does Spark offer the hidden
 * `_metadata.row_index`, the row order of the file), casting only where the file's type differs.
 */
export function parquetMerge(input: BareMergeInput, fields: readonly TableColumn[]): TimedStatement[] {
  const matched = matchFields(input.columns, fields, input.key);
  const projection = input.columns
    .map((c, i) => {
      const field = matched[i];
      const value = !field ? `CAST(NULL AS ${c.type})` : sameType(field.type, c.type) ? ident(field.name) : `CAST(${ident(field.name)} AS ${c.type})`;
      return `${value} AS ${ident(c.name)}`;
    })
    .join(', ');
  const keyField = matched[input.columns.findIndex((c) => c.name === input.key)] as TableColumn;
  return [{ sql: merge(input.table, input.key, lastPerKey(projection, `parquet.${ident(input.location)}`, ident(keyField.name), '_metadata.row_index'), input.keyRange), isMerge: true }];
}

