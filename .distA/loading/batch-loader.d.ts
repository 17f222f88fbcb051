import type { Logger } from '../logging.js';
import type { Metrics } from '../metrics.js';
import type { Progress } from '../engine/progress.js';
import type { ExecutorPool } from '../spark/executor-pool.js';
import type { BatchFile } from '../staging/batch-file.js';
import type { ObjectStore } from '../storage/object-store.js';
import { type LoadColumn, type LoadPlan } from '../sql/statements.js';
export interface BatchToLoad extends Omit<LoadPlan, 'batch'> {
    stream: string;
    columns: readonly LoadColumn[];
    file: BatchFile;
}
/**
 * Loads one finished batch file: upload, then one MERGE / INSERT that reads the staged Parquet
 * file by path, and in every case removes the staged object and the local file, keeping the
 * original error.
 */
export declare class BatchLoader {
    private readonly pool;
    private readonly store;
    private readonly keyPrefix;
    private readonly log;
    private readonly metrics?;
    private readonly progress?;
    private sequence;
    readonly runId: string;
    constructor(pool: ExecutorPool, store: ObjectStore, keyPrefix: string, log: Logger, metrics?: Metrics | undefined, progress?: Progress | undefined);
    load(batch: BatchToLoad): Promise<void>;
    /**
     * Loads a tap's Parquet file straight from S3 (no download, no re-encoding) when its fields fit
     * the table's columns. Returns false, having loaded nothing, when they do not.
     */
    loadParquetFile(batch: Omit<BatchToLoad, 'file'>, location: string): Promise<boolean>;
    /**
     * Sends the load statement of `plan` in `sql`'s session, with a wide MERGE's session settings
     * around it (see wideMergeSettings). Returns the statement's own milliseconds.
     */
    private runLoad;
    private cleanup;
}
