/**
 * Sessions for parallel loads. Temporary views live in one session, so each concurrent load gets a
 * session of its own for its whole view-load-drop sequence; sessions are opened on demand, up to
 * `size`, and reused.
 */
export class ExecutorPool {
    create;
    size;
    idle = [];
    all = [];
    waiting = [];
    constructor(create, size) {
        this.create = create;
        this.size = size;
    }
    async withExecutor(work) {
        const executor = await this.acquire();
        try {
            return await work(executor);
        }
        finally {
            this.release(executor);
        }
    }
    /** Any session, for statements that need no session state (DDL). */
    query(sql) {
        return this.withExecutor((executor) => executor.query(sql));
    }
    async close() {
        await Promise.all(this.all.map((e) => e.close()));
    }
    acquire() {
        const free = this.idle.pop();
        if (free)
            return Promise.resolve(free);
        if (this.all.length < this.size) {
            const created = this.create();
            this.all.push(created);
            return Promise.resolve(created);
        }
        return new Promise((resolve) => this.waiting.push(resolve));
    }
    release(executor) {
        const next = this.waiting.shift();
        if (next)
            next(executor);
        else
            this.idle.push(executor);
    }
}
/** The pool seen as one executor (for code that runs one statement at a time). */
export function poolExecutor(pool) {
    return { query: (sql) => pool.query(sql), close: () => pool.close() };
}
//# sourceMappingURL=executor-pool.js.map