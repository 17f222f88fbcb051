import { Worker } from 'node:worker_threads';
/** Row groups handed over but not yet written, over all files, before the record path waits. */
const MAX_ROW_GROUPS_IN_FLIGHT = 8;
/**
 * The main thread's side of the encoding thread (encode-worker.ts), the one owner of it: batch
 * files send their row groups here and the thread encodes, compresses and writes them while the
 * main thread goes on parsing. Requests are answered in the order they are sent. The thread does
 * not keep the process alive while idle, and is started on first use.
 *
 * Invariants: every request is answered exactly once (by its reply, or by the thread's failure);
 * at most MAX_ROW_GROUPS_IN_FLIGHT row groups are queued before `saturated` asks the record path
 * to wait, so memory is bounded whatever the input rate.
 */
export class BatchEncoder {
    static instance;
    worker;
    broken;
    ids = 0;
    seq = 0;
    pending = new Map();
    rowGroups = 0;
    drained;
    /** The process's encoder. */
    static shared() {
        BatchEncoder.instance ??= new BatchEncoder();
        return BatchEncoder.instance;
    }
    newFileId() {
        return ++this.ids;
    }
    /** Sends a request; the promise settles with its reply (rejects with the file system's code). */
    send(request) {
        if (this.broken !== undefined)
            return Promise.reject(new Error(this.broken));
        const worker = this.start();
        const seq = ++this.seq;
        const rows = request.op === 'rows';
        if (rows)
            this.rowGroups += 1;
        const done = new Promise((resolve, reject) => this.pending.set(seq, { resolve, reject, rows }));
        if (this.pending.size === 1)
            worker.ref();
        worker.postMessage({ ...request, seq });
        return done;
    }
    /** Resolves once fewer row groups are queued than the limit; undefined when that is already so. */
    get saturated() {
        if (this.rowGroups < MAX_ROW_GROUPS_IN_FLIGHT)
            return undefined;
        if (!this.drained) {
            let resolve;
            const promise = new Promise((r) => (resolve = r));
            this.drained = { promise, resolve };
        }
        return this.drained.promise;
    }
    start() {
        if (this.worker)
            return this.worker;
        // The thread's module sits beside this one: .js when built, .mjs in the wheel's bundle, .ts
        // run from the sources (tests, under tsx), where a worker does not inherit tsx's loader and
        // registers it itself.
        const here = import.meta.url;
        const extension = /\.(ts|mjs|js)$/.exec(here)?.[1] ?? 'js';
        const module = new URL(`./encode-worker.${extension}`, here);
        const worker = extension === 'ts'
            ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); })`, { eval: true })
            : new Worker(module);
        worker.unref();
        worker.on('message', (reply) => this.settle(reply.seq, reply.error));
        const fail = (why) => {
            this.broken = why;
            for (const seq of [...this.pending.keys()])
                this.settle(seq, why);
            this.worker = undefined;
        };
        worker.on('error', (e) => fail(`the encoding thread failed: ${e.message}`));
        worker.on('exit', (code) => {
            if (this.pending.size > 0 || code !== 0)
                fail(`the encoding thread exited (code ${code})`);
        });
        this.worker = worker;
        return worker;
    }
    settle(seq, error) {
        const waiting = this.pending.get(seq);
        if (!waiting)
            return;
        this.pending.delete(seq);
        if (waiting.rows)
            this.rowGroups -= 1;
        if (this.pending.size === 0)
            this.worker?.unref();
        if (this.drained && this.rowGroups < MAX_ROW_GROUPS_IN_FLIGHT) {
            this.drained.resolve();
            this.drained = undefined;
        }
        if (error === undefined)
            waiting.resolve();
        else
            waiting.reject(new Error(error));
    }
}
//# sourceMappingURL=batch-encoder.js.map