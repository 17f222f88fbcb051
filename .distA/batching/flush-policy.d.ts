/** Pure: whether a stream's pending batch is due, and why (the reason is logged). */
export interface BatchMeasures {
    /** Rows counted towards the batch size: distinct keys for keyed streams, rows otherwise. */
    rows: number;
    /** Uncompressed bytes staged so far. */
    bytes: number;
    /** When the batch's first row arrived (ms since epoch). */
    startedAt: number;
}
export interface FlushLimits {
    batch_size_rows: number;
    batch_max_bytes: number;
    batch_wait_limit_seconds?: number;
}
export declare function sizeTrigger(batch: BatchMeasures, limits: FlushLimits): string | undefined;
export declare function ageTrigger(batch: BatchMeasures, limits: FlushLimits, now: number): string | undefined;
/**
 * Parallel loads: -1 = one per core, N = N, capped by the maximum. 0 = one per stream: loads of a
 * stream never overlap, so allowing the maximum gives each stream with pending rows its own load.
 */
export declare function effectiveParallelism(parallelism: number, max: number, cores: number): number;
