import type { Row, SqlExecutor } from './executor.js';
/**
 * Sessions for parallel loads. Temporary views live in one session, so each concurrent load gets a
 * session of its own for its whole view-load-drop sequence; sessions are opened on demand, up to
 * `size`, and reused.
 */
export declare class ExecutorPool {
    private readonly create;
    private readonly size;
    private readonly idle;
    private readonly all;
    private readonly waiting;
    constructor(create: () => SqlExecutor, size: number);
    withExecutor<T>(work: (sql: SqlExecutor) => Promise<T>): Promise<T>;
    /** Any session, for statements that need no session state (DDL). */
    query(sql: string): Promise<Row[]>;
    close(): Promise<void>;
    private acquire;
    private release;
}
/** The pool seen as one executor (for code that runs one statement at a time). */
export declare function poolExecutor(pool: ExecutorPool): SqlExecutor;
