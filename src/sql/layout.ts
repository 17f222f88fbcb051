import type { TableRef } from '../schema/naming.js';
import type { NewTableLayout, PartitionField, SortField } from '../schema/table-layout.js';
import { quoteIdentifier, quoteString, qualifiedName } from './quote.js';

/**
 * Pure builders of the statements that set a table's Iceberg layout (partition spec, sort order,
 * table properties), and readers of how Spark describes them back. Every column goes through
 * quoteIdentifier, every property through quoteString; transform arguments must be whole numbers.
 */

function table(ref: TableRef): string {
  return qualifiedName(ref.catalog, ref.schema, ref.table);
}

/** A transform's argument: a whole number from 1 (never text spliced into SQL). */
function argument(n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`A partition transform argument must be a whole number from 1, got ${n}`);
  return n;
}

/** Spark's expression of a partition field: `days(\`T\`)`, `bucket(16, \`ID\`)`, `\`C\``. */
export function partitionExpression(field: PartitionField): string {
  const column = quoteIdentifier(field.column);
  const t = field.transform;
  switch (t.kind) {
    case 'identity':
      return column;
    case 'bucket':
      return `bucket(${argument(t.buckets)}, ${column})`;
    case 'truncate':
      return `truncate(${argument(t.width)}, ${column})`;
    default:
      return `${t.kind}s(${column})`;
  }
}

/** ` PARTITIONED BY (...)` and ` TBLPROPERTIES (...)` of a new table, each when it has any (with leading spaces). */
export function createClauses(layout: Pick<NewTableLayout, 'partition' | 'properties'>): string {
  const partition = layout.partition.length > 0 ? ` PARTITIONED BY (${layout.partition.map(partitionExpression).join(', ')})` : '';
  const entries = Object.entries(layout.properties);
  return partition + (entries.length > 0 ? ` TBLPROPERTIES (${propertyList(layout.properties)})` : '');
}

function propertyList(properties: Readonly<Record<string, string>>): string {
  return Object.entries(properties)
    .map(([k, v]) => `${quoteString(k)}=${quoteString(v)}`)
    .join(', ');
}

export function addPartitionField(ref: TableRef, field: PartitionField): string {
  return `ALTER TABLE ${table(ref)} ADD PARTITION FIELD ${partitionExpression(field)}`;
}

export function dropPartitionField(ref: TableRef, field: PartitionField): string {
  return `ALTER TABLE ${table(ref)} DROP PARTITION FIELD ${partitionExpression(field)}`;
}

/**
 * The table's sort order for writes; `[]` removes it. Iceberg also sets `write.distribution-mode`
 * with it (`range` when ordered, `none` when unordered).
 */
export function writeOrderedBy(ref: TableRef, sort: readonly SortField[]): string {
  if (sort.length === 0) return `ALTER TABLE ${table(ref)} WRITE UNORDERED`;
  const fields = sort.map((f) => `${quoteIdentifier(f.column)} ${f.direction.toUpperCase()} NULLS ${f.nulls.toUpperCase()}`);
  return `ALTER TABLE ${table(ref)} WRITE ORDERED BY ${fields.join(', ')}`;
}

/** Iceberg sets this property with a sort order (`range` when ordered, `none` when unordered). */
export const DISTRIBUTION = 'write.distribution-mode';

/**
 * Statements a table created with `layout` needs right after its creation: Spark's CREATE TABLE
 * cannot hold a sort order, so it follows as `WRITE ORDERED BY`, and a distribution mode the
 * settings chose is set again after it (Iceberg sets one with the order).
 */
export function afterCreate(ref: TableRef, layout: NewTableLayout): string[] {
  if (layout.sort.length === 0) return [];
  const distribution = layout.properties[DISTRIBUTION];
  return [writeOrderedBy(ref, layout.sort), ...(distribution === undefined ? [] : [setTableProperties(ref, { [DISTRIBUTION]: distribution })])];
}

export function setTableProperties(ref: TableRef, properties: Readonly<Record<string, string>>): string {
  if (Object.keys(properties).length === 0) throw new Error('SET TBLPROPERTIES needs a property');
  return `ALTER TABLE ${table(ref)} SET TBLPROPERTIES (${propertyList(properties)})`;
}

export function showTableProperties(ref: TableRef): string {
  return `SHOW TBLPROPERTIES ${table(ref)}`;
}

/** The `sort-order` table property as Iceberg writes it for `sort` (names unquoted), '' for none. */
export function sortOrderText(sort: readonly SortField[]): string {
  return sort.map((f) => `${f.column} ${f.direction.toUpperCase()} NULLS ${f.nulls.toUpperCase()}`).join(', ');
}

/** `col` or `` `co``l` `` as Spark prints a column in a transform: the name. */
function describedName(text: string): string {
  const t = text.trim();
  return t.startsWith('`') && t.endsWith('`') && t.length >= 2 ? t.slice(1, -1).replace(/``/g, '`') : t;
}

const DESCRIBED_TRANSFORM = /^(years|months|days|hours|bucket|truncate|void)\((?:(\d+),\s*)?(.+)\)$/;
const TRANSFORM_KINDS: Record<string, 'year' | 'month' | 'day' | 'hour'> = { years: 'year', months: 'month', days: 'day', hours: 'hour' };

/** A partition field as Spark describes it (`days(ts)`, `bucket(16, id)`, `` `a b` ``); undefined for a void (dropped) field. */
export function parsePartitionExpression(text: string): PartitionField | undefined {
  const m = DESCRIBED_TRANSFORM.exec(text.trim());
  // A quoted identity column may itself hold parentheses: only an unquoted text is a transform.
  if (!m || text.trim().startsWith('`')) return { column: describedName(text), transform: { kind: 'identity' } };
  const [, name, n, column] = m as unknown as [string, string, string | undefined, string];
  if (name === 'void') return undefined;
  if (name === 'bucket' || name === 'truncate') {
    const value = Number(n);
    return { column: describedName(column), transform: name === 'bucket' ? { kind: 'bucket', buckets: value } : { kind: 'truncate', width: value } };
  }
  return { column: describedName(column), transform: { kind: TRANSFORM_KINDS[name]! } };
}

/**
 * The partition fields in the rows of `DESCRIBE TABLE`, in spec order: its `# Partitioning`
 * section, or, when every field is an identity, the `# Partition Information` section Spark
 * prints instead (a `# col_name` header, then one row per column, with its type).
 */
export function describedPartitioning(rows: readonly Record<string, unknown>[]): PartitionField[] {
  const start = rows.findIndex((row) => String(row.col_name ?? '').trim() === '# Partitioning');
  if (start < 0) return identityPartitioning(rows);
  const fields: PartitionField[] = [];
  for (const row of rows.slice(start + 1)) {
    const name = String(row.col_name ?? '');
    if (!/^Part \d+$/.test(name)) break;
    const field = parsePartitionExpression(String(row.data_type ?? ''));
    if (field) fields.push(field);
  }
  return fields;
}

function identityPartitioning(rows: readonly Record<string, unknown>[]): PartitionField[] {
  const start = rows.findIndex((row) => String(row.col_name ?? '').trim() === '# Partition Information');
  if (start < 0) return [];
  const fields: PartitionField[] = [];
  for (const row of rows.slice(start + 1)) {
    const name = String(row.col_name ?? '');
    if (name === '# col_name') continue;
    if (name === '' || String(row.data_type ?? '').trim() === '') break;
    fields.push({ column: name, transform: { kind: 'identity' } });
  }
  return fields;
}

/** The rows of `SHOW TBLPROPERTIES` as a map. */
export function describedProperties(rows: readonly Record<string, unknown>[]): Map<string, string> {
  return new Map(rows.map((row) => [String(row.key ?? ''), String(row.value ?? '')]));
}
