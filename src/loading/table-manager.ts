import { SchemaEvolutionError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { Column } from '../schema/columns.js';
import { retiredColumnName, typeFit } from '../schema/evolution.js';
import { columnKey, type TableRef } from '../schema/naming.js';
import type { SqlExecutor } from '../spark/executor.js';
import {
  addColumns,
  alterColumnType,
  createSchema,
  createTable,
  describeTable,
  renameColumn,
  listedTables,
  showTables,
  tableName,
  type LoadColumn,
} from '../sql/statements.js';
import { describedColumns } from '../sql/described-columns.js';
import { layoutChosen, newTableLayout, withTableNames, type NewTableLayout, type StreamLayout } from '../schema/table-layout.js';
import { evolveLayout } from './layout-changes.js';
import { afterCreate, partitionExpression, sortOrderText } from '../sql/layout.js';

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
  /** Why columns are added, when it is not the stream's SCHEMA (logged with them). */
  reason?: string;
}

/** A table found absent and not created yet: its columns so far, and why some of them are there. */
export interface DeferredTable {
  ref: TableRef;
  columns: Column[];
  /** A keyed table gets the keyed table properties (merge-on-read). */
  keyed: boolean;
  /** Partition spec, sort order and properties it is created with (the settings over the defaults). */
  layout: NewTableLayout;
  reasons: string[];
}

/**
 * Keeps each target table in step with its stream's schema: creates schemas and tables, adds new
 * columns in one statement, widens types Iceberg can widen, and applies the type change policy to
 * the rest. The table's shape is read once per run and then cached, so a steady-state flush sends
 * no DDL at all.
 *
 * A table found absent is not created at once: its first batch load creates it with
 * `CREATE TABLE ... AS SELECT` (takeDeferred), one statement instead of a CREATE and a MERGE.
 * Columns added before then (the version columns of a stream whose ACTIVATE_VERSION follows its
 * SCHEMA) join the deferred column list, so that one statement holds them instead of an ALTER
 * after it. Any other change of the table first creates it (ensure, materialize), and so does the
 * end of the run for a table that got no batch (materializeAll). All calls for one table come
 * from jobs of its lane, one at a time.
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
  /** Per table: column key (naming.ts columnKey) -> column type as the table has it. */
  private readonly known = new Map<string, Map<string, string>>();
  /** Tables found absent whose creation waits for their first batch, by table name. */
  private readonly deferred = new Map<string, DeferredTable>();

  constructor(
    private readonly sql: SqlExecutor,
    private readonly policy: 'fail' | 'rename',
    private readonly log: Logger,
    /** What the layout settings choose for a stream (none by default). */
    private readonly layoutOf: (stream: string) => StreamLayout = () => ({ properties: {} }),
  ) {}

  /**
   * The deferred table `ref`, which the caller now takes over: its next statement must create the
   * table (CREATE TABLE ... AS SELECT). Undefined when the table exists or was created.
   */
  takeDeferred(ref: TableRef): DeferredTable | undefined {
    const key = tableName(ref);
    const pending = this.deferred.get(key);
    if (!pending) return undefined;
    this.deferred.delete(key);
    this.logCreation(pending);
    return pending;
  }

  /** Creates `ref` now if its creation was deferred (before a statement that needs the table). */
  async materialize(ref: TableRef): Promise<void> {
    const pending = this.deferred.get(tableName(ref));
    if (!pending) return;
    this.logCreation(pending);
    // Spark cannot put a sort order into CREATE TABLE: it follows at once.
    await this.sql.query(createTable(pending.ref, pending.columns, pending.keyed, pending.layout));
    for (const statement of afterCreate(pending.ref, pending.layout)) await this.sql.query(statement);
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
      existing = await this.discover(request);
      this.known.set(key, existing);
    }
    // A new layout before the first batch of the old one: additions join the deferred columns;
    // any other change needs the table now, then alters it.
    const pending = this.deferred.get(key);
    if (pending && !this.onlyAdds(pending, request.columns)) await this.materialize(request.table);
    const missing: Column[] = [];
    for (const column of request.columns) {
      const current = existing.get(columnKey(column.name));
      if (current === undefined) {
        missing.push(column);
        continue;
      }
      const fit = typeFit(current, column);
      if (fit === 'widen') {
        this.log.info(`Widening ${key}.${column.name} from ${current} to ${column.type}`);
        await this.sql.query(alterColumnType(request.table, column.name, column.type));
        existing.set(columnKey(column.name), column.type);
      } else if (fit === 'conflict') {
        await this.resolveConflict(request, column, current, existing);
        missing.push(column);
      }
    }
    if (missing.length > 0) {
      const names = missing.map((c) => c.name).join(', ');
      const deferred = this.deferred.get(key);
      if (deferred) {
        deferred.columns.push(...missing);
        if (request.reason) deferred.reasons.push(`${names} for ${request.reason}`);
      } else {
        this.log.info(`Adding ${missing.length} column(s) to ${key}${request.reason ? ` for ${request.reason}` : ''}: ${names}`);
        await this.sql.query(addColumns(request.table, missing));
      }
      missing.forEach((c) => existing.set(columnKey(c.name), c.type));
    }
    const columns = request.columns.map((column) => ({ column, tableType: existing.get(columnKey(column.name)) ?? column.type }));
    // Every requested column is in the table by now, so equal counts mean no column besides them.
    return { columns, wholeTable: existing.size === new Set(request.columns.map((c) => columnKey(c.name))).size };
  }

  private logCreation(table: DeferredTable): void {
    const { partition, sort } = table.layout;
    const layout = [
      ...(partition.length > 0 ? [`partitioned by ${partition.map(partitionExpression).join(', ')}`] : []),
      ...(sort.length > 0 ? [`sorted by ${sortOrderText(sort)}`] : []),
    ];
    this.log.info(`Creating table ${tableName(table.ref)}${layout.length > 0 ? ` ${layout.join(', ')}` : ''}${table.reasons.length > 0 ? ` with ${table.reasons.join('; ')}` : ''}`);
  }

  /** True when `columns` keep every deferred column as it is (they may add others). */
  private onlyAdds(deferred: DeferredTable, columns: readonly Column[]): boolean {
    const requested = new Map(columns.map((c) => [columnKey(c.name), c.type]));
    return deferred.columns.every((c) => requested.get(columnKey(c.name)) === c.type);
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
    for (let n = 2; existing.has(columnKey(retired)); n += 1) retired = `${retiredColumnName(column.name, current)}_${n}`;
    this.log.warn(`${what}; renaming the old column to ${retired} and adding ${column.name} anew`);
    await this.sql.query(renameColumn(request.table, column.name, retired));
    existing.delete(columnKey(column.name));
    existing.set(columnKey(retired), current);
  }

  /**
   * The table's current columns and types, creating the schema, and deferring the table's creation
   * if it is absent. An existing table's layout is brought to what the settings choose.
   */
  private async discover(request: TableRequest): Promise<Map<string, string>> {
    const { table: ref, columns, stream } = request;
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
      listing = this.sql.query(showTables(ref)).then(listedTables);
      this.listings.set(schemaKey, listing);
      listing.catch(() => this.listings.delete(schemaKey));
    }
    // The metastore keeps names in lower case; the comparison is exact otherwise.
    const exists = (await listing).has(ref.table.toLowerCase());
    const wanted = this.layoutOf(stream);
    if (!exists) {
      const layout = withTableNames(newTableLayout(wanted, request.keyColumns), columns.map((c) => c.name));
      this.deferred.set(tableName(ref), { ref, columns: [...columns], keyed: request.keyColumns.length > 0, layout, reasons: [] });
      return new Map(columns.map((c) => [columnKey(c.name), c.type]));
    }
    const rows = await this.sql.query(describeTable(ref));
    const described = describedColumns(rows);
    if (layoutChosen(wanted)) {
      const named = withTableNames(wanted, described.map((c) => c.name));
      await evolveLayout(this.sql, ref, stream, named, rows, this.log);
    }
    return new Map(described.map(({ name, type }) => [columnKey(name), type]));
  }
}
