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
  /** Why columns are added, when it is not the stream's SCHEMA (logged with them). */
  reason?: string;
}

/** A table the run will create: its columns so far, and why some of them are there. */
interface PlannedTable {
  ref: TableRef;
  columns: Column[];
  /** A keyed table gets the keyed table properties (merge-on-read). */
  keyed: boolean;
  reasons: string[];
}

/**
 * Keeps each target table in step with its stream's schema: creates schemas and tables, adds new
 * columns in one statement, widens types Iceberg can widen, and applies the type change policy to
 * the rest. The table's shape is read once per run and then cached, so a steady-state flush sends
 * no DDL at all. A table that does not exist is created by `create`, called before the first
 * statement that needs it: columns added before then (the version columns of a stream whose
 * ACTIVATE_VERSION follows its SCHEMA) go into the one CREATE instead of an ALTER after it.
 */
export class TableManager {
  private readonly schemas = new Set<string>();
  /** Per table: column key (naming.ts columnKey) -> column type as the table has it. */
  private readonly known = new Map<string, Map<string, string>>();
  /** Tables found absent and not created yet, by table name. */
  private readonly planned = new Map<string, PlannedTable>();

  constructor(
    private readonly sql: SqlExecutor,
    private readonly policy: 'fail' | 'rename',
    private readonly log: Logger,
  ) {}

  /** Makes the table fit `columns` and says what the batch meets there. */
  async ensure(request: TableRequest): Promise<TableFit> {
    const key = tableName(request.table);
    let existing = this.known.get(key);
    if (existing === undefined) {
      existing = await this.discover(request.table, request.columns, request.keyColumns.length > 0);
      this.known.set(key, existing);
    }
    const planned = this.planned.get(key);
    if (planned && !this.onlyAdds(planned, request.columns)) await this.create(request.table);
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
      const pending = this.planned.get(key);
      if (pending) {
        pending.columns.push(...missing);
        if (request.reason) pending.reasons.push(`${names} for ${request.reason}`);
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

  /** Creates the table if it was found absent and is not created yet; else nothing. */
  async create(ref: TableRef): Promise<void> {
    const key = tableName(ref);
    const planned = this.planned.get(key);
    if (!planned) return;
    this.log.info(`Creating table ${key}${planned.reasons.length > 0 ? ` with ${planned.reasons.join('; ')}` : ''}`);
    await this.sql.query(createTable(planned.ref, planned.columns, planned.keyed));
    this.planned.delete(key);
  }

  /** True when `columns` keep every planned column as it is (they may add others). */
  private onlyAdds(planned: PlannedTable, columns: readonly Column[]): boolean {
    const requested = new Map(columns.map((c) => [columnKey(c.name), c.type]));
    return planned.columns.every((c) => requested.get(columnKey(c.name)) === c.type);
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

  /** The table's current columns and types, creating schema and table if absent. */
  private async discover(ref: TableRef, columns: readonly Column[], keyed: boolean): Promise<Map<string, string>> {
    const schemaKey = `${ref.catalog}.${ref.schema}`.toLowerCase();
    if (!this.schemas.has(schemaKey)) {
      await this.sql.query(createSchema(ref));
      this.schemas.add(schemaKey);
    }
    const tables = await this.sql.query(showTables(ref));
    // The metastore keeps names in lower case; the comparison is exact otherwise.
    const exists = tables.some((row) => String(row.tableName ?? '').toLowerCase() === ref.table.toLowerCase() && row.isTemporary !== true);
    if (!exists) {
      this.planned.set(tableName(ref), { ref, columns: [...columns], keyed, reasons: [] });
      return new Map(columns.map((c) => [columnKey(c.name), c.type]));
    }
    const described = describedColumns(await this.sql.query(describeTable(ref)));
    return new Map(described.map(({ name, type }) => [columnKey(name), type]));
  }
}
