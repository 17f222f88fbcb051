/** One row of a result, keyed by column name. BIGINT and DECIMAL arrive as exact strings. */
export type Row = Record<string, string | number | boolean | null>;
/** Runs Spark SQL on the lakehouse. The one seam to the SQL endpoint. */
export interface SqlExecutor {
    /** Runs a statement and returns its rows (empty for DDL/DML). */
    query(sql: string): Promise<Row[]>;
    close(): Promise<void>;
}
