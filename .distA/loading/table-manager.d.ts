import type { Logger } from '../logging.js';
import type { Column } from '../schema/columns.js';
import type { TableRef } from '../schema/naming.js';
import type { SqlExecutor } from '../spark/executor.js';
import { type LoadColumn } from '../sql/statements.js';
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
 */
export declare class TableManager {
    private readonly sql;
    private readonly policy;
    private readonly log;
    private readonly schemas;
    /** Per table: upper-cased column name -> column type as the table has it. */
    private readonly known;
    constructor(sql: SqlExecutor, policy: 'fail' | 'rename', log: Logger);
    /** Makes the table fit `columns` and says what the batch meets there. */
    ensure(request: TableRequest): Promise<TableFit>;
    private resolveConflict;
    /** The table's current columns and types, creating schema and table if absent. */
    private discover;
}
