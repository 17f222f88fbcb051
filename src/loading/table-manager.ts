import type { Logger } from '../logging.js';
import type { Column } from '../schema/columns.js';
import type { TableRef } from '../schema/naming.js';
import type { SqlExecutor } from '../spark/executor.js';
import { addColumns, createSchema, createTable, describeTable, showTables, tableName } from '../sql/statements.js';

/**
 * Keeps each target table's columns in step with its stream's schema: creates schemas and tables,
 * adds new columns in one statement. The table shape is read once per run and then cached, so a
 * steady-state flush sends no DDL.
 */
export class TableManager {
  private readonly schemas = new Set<string>();
  private readonly known = new Map<string, Set<string>>();

  constructor(
    private readonly sql: SqlExecutor,
    private readonly log: Logger,
  ) {}

  async ensure(ref: TableRef, columns: readonly Column[]): Promise<void> {
    const key = tableName(ref);
    let existing = this.known.get(key);
    if (existing === undefined) {
      existing = await this.discover(ref, columns);
      this.known.set(key, existing);
    }
    const missing = columns.filter((c) => !existing.has(c.name.toUpperCase()));
    if (missing.length > 0) {
      this.log.info(`Adding ${missing.length} column(s) to ${key}: ${missing.map((c) => c.name).join(', ')}`);
      await this.sql.query(addColumns(ref, missing));
      missing.forEach((c) => existing.add(c.name.toUpperCase()));
    }
  }

  /** The table's current column names (upper-cased), creating schema and table if absent. */
  private async discover(ref: TableRef, columns: readonly Column[]): Promise<Set<string>> {
    const schemaKey = `${ref.catalog}.${ref.schema}`.toLowerCase();
    if (!this.schemas.has(schemaKey)) {
      await this.sql.query(createSchema(ref));
      this.schemas.add(schemaKey);
    }
    const tables = await this.sql.query(showTables(ref));
    const exists = tables.some((row) => String(row.tableName ?? '').toLowerCase() === ref.table.toLowerCase());
    if (!exists) {
      this.log.info(`Creating table ${tableName(ref)}`);
      await this.sql.query(createTable(ref, columns));
      return new Set(columns.map((c) => c.name.toUpperCase()));
    }
    const described = await this.sql.query(describeTable(ref));
    const names = new Set<string>();
    for (const row of described) {
      const name = String(row.col_name ?? '');
      // DESCRIBE ends the column list with a blank row and '# Partitioning' sections.
      if (name === '' || name.startsWith('#')) break;
      names.add(name.toUpperCase());
    }
    return names;
  }
}
