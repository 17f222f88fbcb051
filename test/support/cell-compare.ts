import { isLosslessNumber, parse } from 'lossless-json';
import { qualifiedName, quoteIdentifier } from '../../src/sql/quote.js';

/**
 * Every cell of a Postgres or MySQL/MariaDB table compared with the lakehouse table a tap-to-target
 * run made of it. Both sides are read as text (the database through its client, the lakehouse
 * through thrift) and each value
 * is brought to one exact form for its kind before comparing: decimals as their exact decimal value
 * (`0.0000` = `0E-10` = `0`), doubles as the double they denote, timestamps as UTC microseconds,
 * JSON with sorted keys and exact numbers, durations as microseconds. Nothing is compared through a rounding conversion.
 */

export type Kind = 'text' | 'integer' | 'boolean' | 'decimal' | 'double' | 'timestamp' | 'date' | 'time' | 'duration' | 'bytes' | 'json' | 'array';

export interface TableSpec {
  /** The tap's stream name. */
  stream: string;
  /** The source table, as SQL (`public.numbers`, `shop."Order Items"`, `` shop.`Order Items` ``). */
  source: string;
  /** The source database's name in the differences (default `Postgres`). */
  origin?: string;
  /** The table the target makes of the stream. */
  table: string;
  /** Primary key columns; none: the rows are compared as a multiset. */
  key: string[];
  columns: Record<string, Kind>;
}

/** One row's cells in the order of `columns`, as text (NULL as null). */
export type Cells = Array<string | null>;

const pgIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Postgres text of a column, in the form its kind is compared in. */
function postgresExpression(column: string, kind: Kind): string {
  const c = pgIdentifier(column);
  switch (kind) {
    // json_build_array keeps a character(n) value padded, as the tap sends it (::text would trim it).
    case 'text':
      return c;
    // extract(epoch) of a timestamp without time zone reads it as UTC, which is what the tap sends.
    case 'timestamp':
      return `(extract(epoch from ${c}) * 1000000)::bigint::text`;
    case 'array':
      return `to_json(${c})::text`;
    // Hex digits without Postgres's \x prefix, as the tap sends bytea.
    case 'bytes':
      return `encode(${c}, 'hex')`;
    default:
      return `${c}::text`;
  }
}

/** The query that returns a Postgres table's rows, one JSON array of texts per line (for psql -At). */
export function postgresQuery(spec: TableSpec): string {
  const cells = Object.entries(spec.columns).map(([column, kind]) => postgresExpression(column, kind));
  return `SELECT json_build_array(${cells.join(', ')}) FROM ${spec.source};`;
}

export function parsePostgresRows(output: string): Cells[] {
  return output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Cells);
}

const mysqlIdentifier = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** MySQL/MariaDB text of a column, in the form its kind is compared in (read with the session's time_zone at +00:00). */
function mysqlExpression(column: string, kind: Kind): string {
  const c = mysqlIdentifier(column);
  switch (kind) {
    // MySQL's BOOL: zero is false, anything else true (a BIT(n) too).
    case 'boolean':
      return `CASE WHEN ${c} IS NULL THEN NULL WHEN ${c} <> 0 THEN 'true' ELSE 'false' END`;
    // A FLOAT as the double it holds, not the 6 digits MySQL prints of it.
    case 'double':
      return `CAST(CAST(${c} AS DOUBLE) AS CHAR)`;
    // DATE, DATETIME (read as UTC, as the tap sends them) and TIMESTAMP (in the session's UTC).
    case 'timestamp':
      return `CAST(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', ${c}) AS CHAR)`;
    case 'bytes':
      return `HEX(${c})`;
    // Anything else as its text: a JSON column's too (JSON_ARRAY would embed it as JSON).
    default:
      return `CAST(${c} AS CHAR)`;
  }
}

/** The query that returns a MySQL/MariaDB table's rows, one JSON array of texts per line (for `mariadb --batch --raw`). */
export function mysqlQuery(spec: TableSpec): string {
  const cells = Object.entries(spec.columns).map(([column, kind]) => mysqlExpression(column, kind));
  return `SET time_zone = '+00:00'; SELECT JSON_ARRAY(${cells.join(', ')}) FROM ${spec.source};`;
}

/** Lakehouse text of a column of the given Spark type, in the form its kind is compared in. */
function lakehouseExpression(column: string, sparkType: string): string {
  const c = quoteIdentifier(column);
  if (sparkType.startsWith('timestamp')) return `CAST(unix_micros(${c}) AS STRING)`;
  if (/^(array|map|struct)/.test(sparkType)) return `to_json(${c})`;
  return `CAST(${c} AS STRING)`;
}

/**
 * The query that returns a lakehouse table's rows as texts, given its columns as DESCRIBE lists
 * them (names matched to the tap's property names ignoring case: Spark resolves them so).
 */
export function lakehouseQuery(schema: string, spec: TableSpec, described: Array<[string, string]>, where?: string): string {
  const types = new Map(described.map(([name, type]) => [name.toLowerCase(), type.toLowerCase()]));
  const cells = Object.keys(spec.columns).map((column) => {
    const type = types.get(column.toLowerCase());
    if (type === undefined) throw new Error(`${spec.table} has no column for property ${column} (columns: ${described.map(([n]) => n).join(', ')})`);
    return `${lakehouseExpression(column, type)} AS ${quoteIdentifier(column)}`;
  });
  return `SELECT ${cells.join(', ')} FROM ${qualifiedName('spark_catalog', schema, spec.table)}${where ? ` WHERE ${where}` : ''}`;
}

/** A decimal number's exact value as `<sign><digits>e<exponent>` without superfluous zeros. */
export function exactDecimal(text: string): string {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match || `${match[2]}${match[3] ?? ''}` === '') throw new Error(`not a decimal number: ${text}`);
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  let digits = `${whole}${fraction}`.replace(/^0+/, '');
  let scale = Number(exponent) - fraction.length;
  if (digits === '') return '0';
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    scale += 1;
  }
  return `${sign === '-' ? '-' : ''}${digits}e${scale}`;
}

/** True when a JSON number's text survives a double: the double's shortest text has the same value. */
export function fitsDouble(text: string): boolean {
  return exactDecimal(text) === exactDecimal(String(Number(text)));
}

/** A time of day (`12:34:56.5`, `12:34:56.500000`) as microseconds since midnight. */
function timeOfDay(text: string): string {
  const match = /^(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) return `not a time: ${text}`;
  const [, h, m, s, fraction = ''] = match;
  return String(((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1_000_000 + Number(fraction.padEnd(6, '0')));
}

/**
 * A duration as microseconds: MySQL's TIME (`-838:59:59.000000`, `25:30:00.250000`) or Python's
 * timedelta text (`34 days, 22:59:59`, `-1 day, 23:59:59.999999`: the days signed, the rest not).
 */
export function durationMicros(text: string): string {
  const match = /^(?:(-?\d+) days?, )?(-?)(\d+):(\d\d):(\d\d)(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) return `not a duration: ${text}`;
  const [, days = '0', sign, h, m, s, fraction = ''] = match;
  const micros = ((BigInt(h as string) * 60n + BigInt(m as string)) * 60n + BigInt(s as string)) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
  return String(BigInt(days) * 86_400_000_000n + (sign === '-' ? -micros : micros));
}

function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  if (isLosslessNumber(value)) return exactDecimal(value.value);
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const object = value as Record<string, unknown>;
  const members = Object.keys(object)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`);
  return `{${members.join(',')}}`;
}

function tryParseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: parse(text) };
  } catch {
    return undefined;
  }
}

/**
 * A json/jsonb value: a JSON string is kept as its text, since the target stores a string value of
 * a mixed-type property as itself; anything else as canonical JSON. JSON `null` is no value: the
 * tap sends jsonb 'null' as a JSON null, which Singer cannot tell from a missing value.
 */
function postgresJson(text: string): string | null {
  const { value } = tryParseJson(text) ?? { value: undefined };
  if (value === null) return null;
  if (typeof value === 'string') return `string ${value}`;
  return `json ${canonicalJson(value)}`;
}

function lakehouseJson(text: string): string {
  const parsed = tryParseJson(text);
  if (parsed === undefined || typeof parsed.value === 'string') return `string ${text}`;
  return `json ${canonicalJson(parsed.value)}`;
}

function canonical(kind: Kind, text: string | null, side: 'postgres' | 'lakehouse'): string | null {
  if (text === null) return null;
  switch (kind) {
    case 'decimal':
      return exactDecimal(text);
    case 'double': {
      const value = Number(text);
      return Object.is(value, -0) ? '-0' : String(value);
    }
    case 'json':
      return side === 'postgres' ? postgresJson(text) : lakehouseJson(text);
    case 'array':
      return canonicalJson(parse(text));
    case 'time':
      return timeOfDay(text);
    case 'duration':
      return durationMicros(text);
    default:
      return text;
  }
}

function canonicalRow(spec: TableSpec, cells: Cells, side: 'postgres' | 'lakehouse'): Cells {
  const kinds = Object.values(spec.columns);
  return cells.map((cell, i) => canonical(kinds[i] as Kind, cell, side));
}

/**
 * What differs between the Postgres rows and the lakehouse rows, one line per cell or row (empty:
 * every cell equal). With `subset`, the lakehouse may lack rows (a run that stopped early), but
 * every row it has must equal Postgres.
 */
export function differences(spec: TableSpec, postgres: Cells[], lakehouse: Cells[], mode: 'equal' | 'subset' = 'equal'): string[] {
  const columns = Object.keys(spec.columns);
  const origin = spec.origin ?? 'Postgres';
  const found: string[] = [];
  const expected = postgres.map((cells) => canonicalRow(spec, cells, 'postgres'));
  const actual = lakehouse.map((cells) => canonicalRow(spec, cells, 'lakehouse'));
  if (spec.key.length === 0) {
    const remaining = new Map<string, number>();
    for (const row of expected) remaining.set(JSON.stringify(row), (remaining.get(JSON.stringify(row)) ?? 0) + 1);
    for (const row of actual) {
      const text = JSON.stringify(row);
      const left = remaining.get(text) ?? 0;
      if (left === 0) found.push(`${spec.table}: row ${text} is not in ${origin}`);
      else remaining.set(text, left - 1);
    }
    if (mode === 'equal') for (const [text, left] of remaining) if (left > 0) found.push(`${spec.table}: row ${text} is missing (${left}x)`);
    return found;
  }
  const keyIndexes = spec.key.map((k) => columns.indexOf(k));
  const keyOf = (row: Cells) => JSON.stringify(keyIndexes.map((i) => row[i]));
  const byKey = new Map(expected.map((row, i) => [keyOf(row), { row, raw: postgres[i] as Cells }]));
  const seen = new Set<string>();
  actual.forEach((row, r) => {
    const key = keyOf(row);
    if (seen.has(key)) found.push(`${spec.table} ${key}: key loaded twice`);
    seen.add(key);
    const source = byKey.get(key);
    if (!source) return void found.push(`${spec.table} ${key}: row is not in ${origin}`);
    columns.forEach((column, i) => {
      if (source.row[i] !== row[i]) found.push(`${spec.table} ${key} ${column}: ${origin.toLowerCase()} ${JSON.stringify(source.raw[i])}, lakehouse ${JSON.stringify((lakehouse[r] as Cells)[i])}`);
    });
  });
  if (mode === 'equal') for (const key of byKey.keys()) if (!seen.has(key)) found.push(`${spec.table} ${key}: row is missing`);
  return found;
}
