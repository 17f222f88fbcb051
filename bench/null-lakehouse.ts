/**
 * A SQL executor that does no work, for measuring the engine alone (--stage-only). It keeps just
 * enough catalog to answer what the table manager asks (SHOW TABLES, DESCRIBE TABLE after CREATE /
 * ALTER) and answers every other statement (views, MERGE, INSERT, DROP VIEW, whatever a staging
 * format needs) with no rows. Every statement is logged like the counting proxy logs them, so the
 * statements per flush come out of the same code. Unlike test/support/fake-lakehouse.ts it never
 * reads staged files: keeping batches in memory would distort the memory and CPU measured.
 */
import type { Row, SqlExecutor } from '../src/spark/executor.js';
import { loadTableOf, type StatementRecord } from './flush-stats.js';
import { statementKind } from './thrift-messages.js';

export interface ColumnDef {
  name: string;
  type: string;
}

const PART = '(?:`(?:[^`]|``)*`|[A-Za-z0-9_]+)';
const QUALIFIED = `${PART}(?:\\.${PART})*`;
const CREATE_TABLE = new RegExp(`^CREATE TABLE (?:IF NOT EXISTS )?(${QUALIFIED})\\s*\\(`, 'i');
const ADD_COLUMNS = new RegExp(`^ALTER TABLE (${QUALIFIED}) ADD COLUMNS\\s*\\(`, 'i');
const ALTER_TYPE = new RegExp(`^ALTER TABLE (${QUALIFIED}) ALTER COLUMN (${PART}) TYPE (.+)$`, 'is');
const RENAME = new RegExp(`^ALTER TABLE (${QUALIFIED}) RENAME COLUMN (${PART}) TO (${PART})$`, 'i');
const SHOW_TABLES = new RegExp(`^SHOW TABLES IN (${QUALIFIED})`, 'i');
const DESCRIBE_TABLE = new RegExp(`^DESCRIBE TABLE (${QUALIFIED})`, 'i');

export class NullLakehouse {
  /** Columns by table, the name's parts lower-cased and joined by dots. */
  readonly tables = new Map<string, ColumnDef[]>();
  readonly log: StatementRecord[] = [];
  private sessions = 0;

  connect(): SqlExecutor {
    const session = String(++this.sessions);
    return { query: async (sql) => this.answer(session, sql), close: async () => undefined };
  }

  answer(session: string, sql: string): Row[] {
    const text = sql.trim();
    const loadTable = loadTableOf(text);
    this.log.push({ session, kind: statementKind(text), calls: 1, ...(loadTable !== undefined ? { loadTable } : {}) });
    let m = CREATE_TABLE.exec(text);
    if (m) {
      const key = tableKey(m[1] as string);
      if (!this.tables.has(key)) this.tables.set(key, columnDefs(text, m[0].length));
      return [];
    }
    if ((m = ADD_COLUMNS.exec(text))) {
      this.columnsOf(m[1] as string).push(...columnDefs(text, m[0].length));
      return [];
    }
    if ((m = ALTER_TYPE.exec(text))) {
      const column = this.columnsOf(m[1] as string).find((c) => c.name.toLowerCase() === unquote(m![2] as string).toLowerCase());
      if (column) column.type = (m[3] as string).trim();
      return [];
    }
    if ((m = RENAME.exec(text))) {
      const column = this.columnsOf(m[1] as string).find((c) => c.name.toLowerCase() === unquote(m![2] as string).toLowerCase());
      if (column) column.name = unquote(m[3] as string);
      return [];
    }
    if ((m = SHOW_TABLES.exec(text))) {
      const schema = `${tableKey(m[1] as string)}.`;
      return [...this.tables.keys()].filter((k) => k.startsWith(schema) && !k.slice(schema.length).includes('.')).map((k) => ({ namespace: '', tableName: k.slice(schema.length), isTemporary: false }));
    }
    if ((m = DESCRIBE_TABLE.exec(text))) {
      const columns = this.tables.get(tableKey(m[1] as string));
      if (!columns) throw new Error(`[TABLE_OR_VIEW_NOT_FOUND] The table or view ${m[1]} cannot be found.`);
      return columns.map((c) => ({ col_name: c.name, data_type: c.type, comment: null }));
    }
    return [];
  }

  private columnsOf(name: string): ColumnDef[] {
    const columns = this.tables.get(tableKey(name));
    if (!columns) throw new Error(`[TABLE_OR_VIEW_NOT_FOUND] The table or view ${name} cannot be found.`);
    return columns;
  }
}

/** Pure: `a`.`B`.c -> a.b.c (backticks removed, lower case), the catalog's view of a name. */
export function tableKey(qualified: string): string {
  return splitName(qualified)
    .map((p) => p.toLowerCase())
    .join('.');
}

/** Pure: the parts of a dotted name, backtick quoting removed. */
export function splitName(qualified: string): string[] {
  return [...qualified.matchAll(new RegExp(PART, 'g'))].map((m) => unquote(m[0]));
}

function unquote(part: string): string {
  return part.startsWith('`') ? part.slice(1, -1).replace(/``/g, '`') : part;
}

/**
 * Pure: the `name TYPE` items of the parenthesised list that starts at `start` (just after its
 * opening parenthesis). Commas inside types (DECIMAL(38,9), STRUCT<a:INT,b:INT>) and inside
 * quoted names do not split items.
 */
export function columnDefs(text: string, start: number): ColumnDef[] {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let from = start;
  for (let i = start; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '`') quoted = text[i + 1] === '`' ? (i += 1, true) : false;
      continue;
    }
    if (ch === '`') quoted = true;
    else if (ch === '(' || ch === '<') depth += 1;
    else if ((ch === ')' || ch === '>') && depth > 0) depth -= 1;
    else if (ch === ',' && depth === 0) {
      items.push(text.slice(from, i));
      from = i + 1;
    } else if (ch === ')' && depth === 0) {
      items.push(text.slice(from, i));
      break;
    }
  }
  return items
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const name = new RegExp(`^${PART}`).exec(item)?.[0] ?? '';
      return { name: unquote(name), type: item.slice(name.length).trim() };
    });
}
