import type { Row, SqlExecutor } from './executor.js';

/** Sessions whose state is unknown (a statement meant to put them back failed). */
const unusable = new WeakSet<SqlExecutor>();

/** Marks `executor` so that its pool closes it on release instead of reusing it (loading/run-compiled.ts). */
export function markUnusable(executor: SqlExecutor): void {
  unusable.add(executor);
}

/**
 * Sessions for parallel loads. Temporary views live in one session, so each concurrent load gets a
 * session of its own for its whole view-load-drop sequence; sessions are opened on demand, up to
 * `size`, and reused; a session marked unusable is closed on release and replaced on demand.
 */
export class ExecutorPool {
  private readonly idle: SqlExecutor[] = [];
  private readonly all: SqlExecutor[] = [];
  private readonly waiting: Array<(executor: SqlExecutor) => void> = [];

  constructor(
    private readonly create: () => SqlExecutor,
    private readonly size: number,
  ) {}

  async withExecutor<T>(work: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    const executor = await this.acquire();
    try {
      return await work(executor);
    } finally {
      this.release(executor);
    }
  }

  /** Any session, for statements that need no session state (DDL). */
  query(sql: string): Promise<Row[]> {
    return this.withExecutor((executor) => executor.query(sql));
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((e) => e.close()));
  }

  private acquire(): Promise<SqlExecutor> {
    const free = this.idle.pop();
    if (free) return Promise.resolve(free);
    if (this.all.length < this.size) {
      const created = this.create();
      this.all.push(created);
      return Promise.resolve(created);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(executor: SqlExecutor): void {
    if (unusable.has(executor)) {
      this.all.splice(this.all.indexOf(executor), 1);
      // Closing is best effort: the session is dropped either way, and the server ends idle sessions.
      void executor.close().catch(() => undefined);
      const next = this.waiting.shift();
      if (next) {
        const created = this.create();
        this.all.push(created);
        next(created);
      }
      return;
    }
    const next = this.waiting.shift();
    if (next) next(executor);
    else this.idle.push(executor);
  }
}

/** The pool seen as one executor (for code that runs one statement at a time). */
export function poolExecutor(pool: ExecutorPool): SqlExecutor {
  return { query: (sql) => pool.query(sql), close: () => pool.close() };
}
