import { SchemaEvolutionError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { Column } from '../schema/columns.js';
import { retiredColumnName, typeFit } from '../schema/evolution.js';
import type { TableRef } from '../schema/naming.js';
import type { SqlExecutor } from '../spark/executor.js';
import {
  addColumns,
  alterColumnType,
  createSchema,
  createTable,
  describeTable,
  renameColumn,
  showTables,
  tableName,
  type LoadColumn,
} from '../sql/statements.js';
import { describedColumns } from '../sql/described-columns.js';

/** What a batch of the requested columns meets in the table. */
export interface TableFit {
  /** Each requested column with its type in the table. */
  columns: LoadColumn[];
  /** The table has exactly the requested columns, none besides (a wide MERGE can then name none). */
  wholeTable: boolean;
}

export interface TableRequest {
  stream: string;
  table: TableRef;
  columns: readonly Column[];
  /** Key columns are never renamed, whatever the policy. */
  keyColumns: readonly string[];
}

/**
 * Keeps each target table in step with its stream's schema: creates schemas and tables, adds new
 * columns in one statement, widens types Iceberg can widen, and applies the type change policy to
 * the rest. The table's shape is read once per run and then cached, so a steady-state flush sends
 * no DDL at all.
 *
 * With `deferCreation`, a table found absent is not created at once: its first batch load creates
 * it with `CREATE TABLE ... AS SELECT` (takeDeferred), one statement instead of a CREATE and a
 * MERGE. Any other change of the table first creates it (ensure, materialize), and so does the end
 * of the run for a table that got no batch (materializeAll). All calls for one table come from
 * jobs of its lane, one at a time.
 */
export class TableManager {
  /** Per schema: its CREATE SCHEMA, sent once even when DDL jobs of several of its tables run at once. */
  private readonly schemas = new Map<string, Promise<unknown>>();
  /**
   * Per schema: the names (lower case) of the tables it held when this run first looked, listed
   * once: each table is looked up once per run, and a table that appears after the listing makes
   * its CREATE TABLE ... AS SELECT fail rather than be written twice.
   */
  private readonly listings = new Map<string, Promise<Set<string>>>();
  /** Per table: upper-cased column name -> column type as the table has it. */
  private readonly known = new Map<string, Map<string, string>>();
  /** Tables found absent whose creation waits for their first batch: the columns to create. */
  private readonly deferred = new Map<string, { ref: TableRef; columns: readonly Column[] }>();

  constructor(
    private readonly sql: SqlExecutor,
    private readonly policy: 'fail' | 'rename',
    private readonly log: Logger,
    private readonly deferCreation = false,
  ) {}

  /**
   * The columns of `ref` when its creation was deferred, which the caller now takes over: its
   * next statement must create the table (CREATE TABLE ... AS SELECT). Undefined otherwise.
   */
  takeDeferred(ref: TableRef): readonly Column[] | undefined {
    const key = tableName(ref);
    const pending = this.deferred.get(key);
    this.deferred.delete(key);
    return pending?.columns;
  }

  /** Creates `ref` now if its creation was deferred (before a statement that needs the table). */
  async materialize(ref: TableRef): Promise<void> {
    const pending = this.deferred.get(tableName(ref));
    if (!pending) return;
    await this.sql.query(createTable(ref, pending.columns));
    this.deferred.delete(tableName(ref));
  }

  /** Creates every table still deferred: streams that sent no record still get their table. */
  async materializeAll(): Promise<void> {
    for (const { ref } of [...this.deferred.values()]) await this.materialize(ref);
  }

  /** Makes the table fit `columns` and says what the batch meets there. */
  async ensure(request: TableRequest): Promise<TableFit> {
    const key = tableName(request.table);
    let existing = this.known.get(key);
    if (existing === undefined) {
      existing = await this.discover(request.table, request.columns);
      this.known.set(key, existing);
    } else {
      // A new layout before the first batch of the old one: the table is needed now.
      await this.materialize(request.table);
    }
    const missing: Column[] = [];
    for (const column of request.columns) {
      const current = existing.get(column.name.toUpperCase());
      if (current === undefined) {
        missing.push(column);
        continue;
      }
      const fit = typeFit(current, column);
      if (fit === 'widen') {
        this.log.info(`Widening ${key}.${column.name} from ${current} to ${column.type}`);
        await this.sql.query(alterColumnType(request.table, column.name, column.type));
        existing.set(column.name.toUpperCase(), column.type);
      } else if (fit === 'conflict') {
        await this.resolveConflict(request, column, current, existing);
        missing.push(column);
      }
    }
    if (missing.length > 0) {
      this.log.info(`Adding ${missing.length} column(s) to ${key}: ${missing.map((c) => c.name).join(', ')}`);
      await this.sql.query(addColumns(request.table, missing));
      missing.forEach((c) => existing.set(c.name.toUpperCase(), c.type));
    }
    const columns = request.columns.map((column) => ({ column, tableType: existing.get(column.name.toUpperCase()) ?? column.type }));
    // Every requested column is in the table by now, so equal counts mean no column besides them.
    return { columns, wholeTable: existing.size === new Set(request.columns.map((c) => c.name.toUpperCase())).size };
  }

  private async resolveConflict(request: TableRequest, column: Column, current: string, existing: Map<string, string>): Promise<void> {
    const what = `Stream '${request.stream}': column ${column.name} of ${tableName(request.table)} is ${current.toUpperCase()} but the schema now makes it ${column.type}`;
    if (this.policy === 'fail') {
      throw new SchemaEvolutionError(
        `${what}. Iceberg cannot change this type in place. Set 'type_change_policy' to 'rename' to keep the old column aside and add a new one, or alter the table by hand.`,
      );
    }
    if (request.keyColumns.includes(column.name)) {
      throw new SchemaEvolutionError(`${what}. It is a key column, so it is never renamed; alter the table by hand.`);
    }
    let retired = retiredColumnName(column.name, current);
    for (let n = 2; existing.has(retired.toUpperCase()); n += 1) retired = `${retiredColumnName(column.name, current)}_${n}`;
    this.log.warn(`${what}; renaming the old column to ${retired} and adding ${column.name} anew`);
    await this.sql.query(renameColumn(request.table, column.name, retired));
    existing.delete(column.name.toUpperCase());
    existing.set(retired.toUpperCase(), current);
  }

  /** The table's current columns and types, creating schema and table if absent. */
  private async discover(ref: TableRef, columns: readonly Column[]): Promise<Map<string, string>> {
    const schemaKey = `${ref.catalog}.${ref.schema}`.toLowerCase();
    let created = this.schemas.get(schemaKey);
    if (!created) {
      created = this.sql.query(createSchema(ref));
      this.schemas.set(schemaKey, created);
      // A failure fails this job (and so the run); later jobs retry rather than reuse it.
      created.catch(() => this.schemas.delete(schemaKey));
    }
    await created;
    let listing = this.listings.get(schemaKey);
    if (!listing) {
      listing = this.sql.query(showTables(ref)).then((rows) => new Set(rows.filter((row) => row.isTemporary !== true).map((row) => String(row.tableName ?? '').toLowerCase())));
      this.listings.set(schemaKey, listing);
      listing.catch(() => this.listings.delete(schemaKey));
    }
    // The metastore keeps names in lower case; the comparison is exact otherwise.
    const exists = (await listing).has(ref.table.toLowerCase());
    if (!exists) {
      if (this.deferCreation) {
        this.log.info(`Creating table ${tableName(ref)} with its first batch`);
        this.deferred.set(tableName(ref), { ref, columns });
      } else {
        this.log.info(`Creating table ${tableName(ref)}`);
        await this.sql.query(createTable(ref, columns));
      }
      return new Map(columns.map((c) => [c.name.toUpperCase(), c.type]));
    }
    const described = describedColumns(await this.sql.query(describeTable(ref)));
    return new Map(described.map(({ name, type }) => [name.toUpperCase(), type]));
  }
}
