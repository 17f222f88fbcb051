import { isObject } from '../singer/json.js';
import { selectsStream } from '../mapping/stream-mapper.js';
import { KEYED_TABLE_PROPERTIES } from '../sql/statements.js';
import { columnKey } from './naming.js';
import type { Column } from './columns.js';

/**
 * Pure: the Iceberg layout a user chooses per stream (`partition_by`, `sort_by`,
 * `table_properties`), read from the settings, checked where it can be (the text when the
 * configuration is read, the columns when the stream's SCHEMA arrives), and the layout a new table
 * gets (the target's defaults under the user's choices).
 */

/** An Iceberg partition transform (Iceberg's own names: identity, year, ..., bucket[N], truncate[W]). */
export type PartitionTransform =
  | { kind: 'identity' | 'year' | 'month' | 'day' | 'hour' }
  | { kind: 'bucket'; buckets: number }
  | { kind: 'truncate'; width: number };

export interface PartitionField {
  /** The column as the setting names it (compared with table columns as Spark does, ignoring case). */
  column: string;
  transform: PartitionTransform;
}

export interface SortField {
  column: string;
  direction: 'asc' | 'desc';
  nulls: 'first' | 'last';
}

/** What the settings choose for one stream's table; a part no setting selects is left as the table has it. */
export interface StreamLayout {
  /** Undefined: no `partition_by` entry selects the stream. `[]`: unpartitioned. */
  partition?: PartitionField[];
  /** Undefined: no `sort_by` entry selects the stream. `[]`: unsorted. */
  sort?: SortField[];
  /** The properties `table_properties` sets (only those: others are left as the table has them). */
  properties: Record<string, string>;
}

/** The layout a table is created with: the user's choices over the target's defaults. */
export interface NewTableLayout {
  partition: PartitionField[];
  sort: SortField[];
  properties: Record<string, string>;
}

export interface LayoutSettings {
  partition_by?: Record<string, unknown>;
  sort_by?: Record<string, unknown>;
  table_properties?: Record<string, unknown>;
}

/**
 * The sort order a new keyed table gets when no `sort_by` entry selects its stream: none today.
 * The one place to change it (e.g. to `keyColumns.map(...)` so each data file covers a narrow key
 * range); `sort_by` always wins, also `[]`.
 */
function defaultSortOrder(keyColumns: readonly string[]): SortField[] {
  void keyColumns;
  return [];
}

/** The target's properties for a new table of a keyed stream (merge-on-read, format 2) or of an unkeyed one (none). */
function defaultTableProperties(keyed: boolean): Record<string, string> {
  return keyed ? { ...KEYED_TABLE_PROPERTIES } : {};
}

const TIME_TRANSFORMS: Record<string, PartitionTransform['kind']> = {
  identity: 'identity',
  year: 'year',
  years: 'year',
  month: 'month',
  months: 'month',
  day: 'day',
  days: 'day',
  hour: 'hour',
  hours: 'hour',
};
const ARGUMENT_TRANSFORM = /^(bucket|truncate)\[(\d+)\]$/;
/** Iceberg stores N and W as Java ints. */
const MAX_ARGUMENT = 2147483647;
const TRANSFORMS_ALLOWED = 'use identity, year, month, day, hour, bucket[N] or truncate[W] (N, W whole numbers from 1 to 2147483647)';

/** The transform a text names (Iceberg's spelling, any case; Spark's plural `days` too), or the problem with it. */
export function parseTransform(text: unknown): PartitionTransform | { problem: string } {
  if (typeof text !== 'string') return { problem: `must be a transform name; ${TRANSFORMS_ALLOWED}` };
  const name = text.trim().toLowerCase();
  const simple = TIME_TRANSFORMS[name];
  if (simple) return { kind: simple } as PartitionTransform;
  const m = ARGUMENT_TRANSFORM.exec(name.replace(/\s+/g, ''));
  if (!m) return { problem: `'${text}' is not a partition transform; ${TRANSFORMS_ALLOWED}` };
  const n = Number(m[2]);
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_ARGUMENT) return { problem: `'${text}' needs a ${m[1] === 'bucket' ? 'bucket count' : 'width'} from 1 to ${MAX_ARGUMENT}` };
  return m[1] === 'bucket' ? { kind: 'bucket', buckets: n } : { kind: 'truncate', width: n };
}

/** Iceberg's name of a transform: `day`, `bucket[16]`. */
export function transformName(t: PartitionTransform): string {
  if (t.kind === 'bucket') return `bucket[${t.buckets}]`;
  if (t.kind === 'truncate') return `truncate[${t.width}]`;
  return t.kind;
}

function columnName(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** One `partition_by` entry: `"<column>"` (identity) or `{"column": ..., "transform": ...}`. */
function parsePartitionField(entry: unknown, where: string, problems: string[]): PartitionField | undefined {
  const shape = `must be a column name or {"column": "<column>", "transform": "<transform>"}`;
  if (typeof entry === 'string') {
    const column = columnName(entry);
    if (!column) problems.push(`'${where}' is empty; name a column`);
    return column ? { column, transform: { kind: 'identity' } } : undefined;
  }
  if (!isObject(entry)) {
    problems.push(`'${where}' ${shape}`);
    return undefined;
  }
  const extra = Object.keys(entry).filter((k) => k !== 'column' && k !== 'transform');
  if (extra.length > 0) problems.push(`'${where}' has unknown key(s) ${extra.map((k) => `'${k}'`).join(', ')}; ${shape.replace('must be', 'an entry is')}`);
  const column = columnName(entry.column);
  if (!column) problems.push(`'${where}.column' must name a column`);
  const transform = entry.transform === undefined ? ({ kind: 'identity' } as const) : parseTransform(entry.transform);
  if ('problem' in transform) problems.push(`'${where}.transform' ${transform.problem}`);
  return column && !('problem' in transform) ? { column, transform } : undefined;
}

/** One `sort_by` entry: `"<column>"` (ascending) or `{"column": ..., "direction": "asc|desc", "nulls": "first|last"}`. */
function parseSortField(entry: unknown, where: string, problems: string[]): SortField | undefined {
  const shape = `must be a column name or {"column": "<column>", "direction": "asc" or "desc", "nulls": "first" or "last"}`;
  if (typeof entry === 'string') {
    const column = columnName(entry);
    if (!column) problems.push(`'${where}' is empty; name a column`);
    return column ? { column, direction: 'asc', nulls: 'first' } : undefined;
  }
  if (!isObject(entry)) {
    problems.push(`'${where}' ${shape}`);
    return undefined;
  }
  const extra = Object.keys(entry).filter((k) => k !== 'column' && k !== 'direction' && k !== 'nulls');
  if (extra.length > 0) problems.push(`'${where}' has unknown key(s) ${extra.map((k) => `'${k}'`).join(', ')}; ${shape.replace('must be', 'an entry is')}`);
  const column = columnName(entry.column);
  if (!column) problems.push(`'${where}.column' must name a column`);
  const direction = entry.direction === undefined ? 'asc' : String(entry.direction).toLowerCase();
  if (direction !== 'asc' && direction !== 'desc') problems.push(`'${where}.direction' must be "asc" or "desc", got ${JSON.stringify(entry.direction)}`);
  // Iceberg's (and Spark's) default: nulls first when ascending, last when descending.
  const nulls = entry.nulls === undefined ? (direction === 'desc' ? 'last' : 'first') : String(entry.nulls).toLowerCase();
  if (nulls !== 'first' && nulls !== 'last') problems.push(`'${where}.nulls' must be "first" or "last", got ${JSON.stringify(entry.nulls)}`);
  if (!column || (direction !== 'asc' && direction !== 'desc') || (nulls !== 'first' && nulls !== 'last')) return undefined;
  return { column, direction, nulls };
}

function parseList<T>(
  setting: 'partition_by' | 'sort_by',
  selector: string,
  list: unknown,
  parse: (entry: unknown, where: string, problems: string[]) => T | undefined,
  problems: string[],
): T[] {
  if (!Array.isArray(list)) {
    problems.push(`'${setting}.${selector}' must be a list of columns, e.g. ${setting === 'partition_by' ? '[{"column": "_sdc_extracted_at", "transform": "day"}]' : '["id"]'}`);
    return [];
  }
  const fields = list.map((entry, i) => parse(entry, `${setting}.${selector}[${i}]`, problems)).filter((f): f is T => f !== undefined);
  return fields;
}

/**
 * Properties Spark or Iceberg keep for themselves: Spark refuses the first ones in TBLPROPERTIES,
 * Iceberg reports the others (and ignores them when set: `sort-order` is `sort_by`'s business).
 */
const RESERVED_PROPERTIES = new Set(['provider', 'location', 'owner', 'external', 'comment', 'is_managed_location', 'sort-order', 'identifier-fields', 'current-snapshot-id', 'format']);

/** A property value as Iceberg keeps it (text); numbers and booleans are written as JSON spells them. */
function propertyValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** Problems of the three settings, each naming the setting, the stream selector and the entry (for resolveConfig). */
export function tableLayoutProblems(config: LayoutSettings): string[] {
  const problems: string[] = [];
  // A setting that is no object at all is reported by the settings schema.
  for (const [selector, list] of Object.entries(isObject(config.partition_by) ? config.partition_by : {})) {
    const fields = parseList('partition_by', selector, list, parsePartitionField, problems);
    const seen = new Set<string>();
    for (const f of fields) {
      const key = `${columnKey(f.column)} ${f.transform.kind}`;
      // Iceberg refuses two fields of one column and transform (and two time transforms of one column).
      const timeKey = ['year', 'month', 'day', 'hour'].includes(f.transform.kind) ? `${columnKey(f.column)} time` : key;
      if (seen.has(key) || seen.has(timeKey)) problems.push(`'partition_by.${selector}' partitions column '${f.column}' twice by ${f.transform.kind === 'identity' ? 'value' : 'the same kind of transform'}; Iceberg allows one`);
      seen.add(key);
      seen.add(timeKey);
    }
  }
  for (const [selector, list] of Object.entries(isObject(config.sort_by) ? config.sort_by : {})) {
    const fields = parseList('sort_by', selector, list, parseSortField, problems);
    const seen = new Set<string>();
    for (const f of fields) {
      if (seen.has(columnKey(f.column))) problems.push(`'sort_by.${selector}' names column '${f.column}' twice; keep one`);
      seen.add(columnKey(f.column));
    }
  }
  for (const [selector, properties] of Object.entries(isObject(config.table_properties) ? config.table_properties : {})) {
    if (!isObject(properties)) {
      problems.push(`'table_properties.${selector}' must be an object of property names and values, e.g. {"write.target-file-size-bytes": "134217728"}`);
      continue;
    }
    for (const [key, value] of Object.entries(properties)) {
      if (key.trim() === '') problems.push(`'table_properties.${selector}' has an empty property name`);
      else if (RESERVED_PROPERTIES.has(key.toLowerCase()))
        problems.push(`'table_properties.${selector}.${key}' is kept by Spark or Iceberg and cannot be set${key === 'sort-order' ? '; use sort_by' : ''}`);
      if (propertyValue(value) === undefined) problems.push(`'table_properties.${selector}.${key}' must be text, a number or a boolean, got ${JSON.stringify(value)}`);
    }
  }
  return problems;
}

/** The entries of `setting` selecting `stream`: patterns first (in order), the exact name last, so later ones win. */
function selecting(setting: Record<string, unknown> | undefined, stream: string): Array<[string, unknown]> {
  const entries = Object.entries(setting ?? {}).filter(([selector]) => selectsStream(selector, stream));
  return [...entries.filter(([selector]) => selector !== stream), ...entries.filter(([selector]) => selector === stream)];
}

/**
 * The layout validated settings choose for `stream` (its name after stream maps), selected as
 * stream maps select streams. A partition spec or sort order comes whole from one entry: the one
 * naming the stream exactly, else the last pattern listed. Properties merge key by key in that order.
 */
export function streamLayoutFor(stream: string, config: LayoutSettings): StreamLayout {
  const ignore: string[] = [];
  const layout: StreamLayout = { properties: {} };
  const partition = selecting(config.partition_by, stream).at(-1);
  if (partition) layout.partition = parseList('partition_by', partition[0], partition[1], parsePartitionField, ignore);
  const sort = selecting(config.sort_by, stream).at(-1);
  if (sort) layout.sort = parseList('sort_by', sort[0], sort[1], parseSortField, ignore);
  for (const [, properties] of selecting(config.table_properties, stream)) {
    for (const [key, value] of Object.entries(isObject(properties) ? properties : {})) {
      const text = propertyValue(value);
      if (text !== undefined) layout.properties[key] = text;
    }
  }
  return layout;
}

/** The partition spec the settings give `stream`'s table (undefined when none selects it): for maintenance restricted to partitions. */
export function partitionFieldsFor(stream: string, config: LayoutSettings): PartitionField[] | undefined {
  return streamLayoutFor(stream, config).partition;
}

/** True when the settings choose anything for the stream (else its existing table is not even looked at). */
export function layoutChosen(layout: StreamLayout): boolean {
  return layout.partition !== undefined || layout.sort !== undefined || Object.keys(layout.properties).length > 0;
}

/** The layout a new table of the stream is created with: the settings' choices over the target's defaults. */
export function newTableLayout(layout: StreamLayout, keyColumns: readonly string[]): NewTableLayout {
  return {
    partition: layout.partition ?? [],
    sort: layout.sort ?? defaultSortOrder(keyColumns),
    properties: { ...defaultTableProperties(keyColumns.length > 0), ...layout.properties },
  };
}

const TEMPORAL = new Set(['TIMESTAMP', 'DATE']);

/** Why `transform` cannot apply to a column of `type` (Iceberg's rules), or undefined. */
function transformTypeProblem(transform: PartitionTransform, type: string): string | undefined {
  const t = type.toUpperCase();
  switch (transform.kind) {
    case 'identity':
      return undefined;
    case 'hour':
      return t === 'TIMESTAMP' ? undefined : 'needs a TIMESTAMP column';
    case 'year':
    case 'month':
    case 'day':
      return TEMPORAL.has(t) ? undefined : 'needs a TIMESTAMP or DATE column';
    case 'truncate':
      return t === 'STRING' || t === 'BIGINT' || t === 'INT' || t.startsWith('DECIMAL') ? undefined : 'needs a STRING, BIGINT or DECIMAL column';
    case 'bucket':
      return t === 'DOUBLE' || t === 'FLOAT' || t === 'BOOLEAN' ? 'cannot hash a DOUBLE or BOOLEAN column' : undefined;
  }
}

/**
 * The first problem of the stream's layout with the columns its SCHEMA gives (names compared as
 * Spark compares them), as one line naming stream, setting and column; undefined when it fits.
 */
export function layoutColumnProblem(stream: string, layout: StreamLayout, columns: readonly Pick<Column, 'name' | 'type'>[]): string | undefined {
  const byKey = new Map(columns.map((c) => [columnKey(c.name), c]));
  const missing = (setting: string, name: string) => {
    const hint = /^_sdc_/i.test(name) ? "; metadata columns exist only with 'add_metadata_columns' (or 'hard_delete') true" : '';
    return `Stream '${stream}': '${setting}' names column '${name}', which the stream's schema does not give (columns: ${columns.map((c) => c.name).join(', ')})${hint}; fix the setting or the tap's schema`;
  };
  for (const field of layout.partition ?? []) {
    const column = byKey.get(columnKey(field.column));
    if (!column) return missing('partition_by', field.column);
    const problem = transformTypeProblem(field.transform, column.type);
    if (problem) return `Stream '${stream}': 'partition_by' transform ${transformName(field.transform)} of column '${column.name}' ${problem}, and the column is ${column.type}; choose another transform or column`;
  }
  for (const field of layout.sort ?? []) {
    if (!byKey.has(columnKey(field.column))) return missing('sort_by', field.column);
  }
  return undefined;
}

/** The layout with each column named as the table names it (`columns`: the table's columns), for exact SQL and comparisons. */
export function withTableNames<T extends { partition?: PartitionField[]; sort?: SortField[] }>(layout: T, columns: readonly string[]): T {
  const byKey = new Map(columns.map((name) => [columnKey(name), name]));
  const named = (column: string) => byKey.get(columnKey(column)) ?? column;
  return {
    ...layout,
    ...(layout.partition ? { partition: layout.partition.map((f) => ({ ...f, column: named(f.column) })) } : {}),
    ...(layout.sort ? { sort: layout.sort.map((f) => ({ ...f, column: named(f.column) })) } : {}),
  };
}
