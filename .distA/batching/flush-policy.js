/** Pure: whether a stream's pending batch is due, and why (the reason is logged). */
export function sizeTrigger(batch, limits) {
    if (batch.rows >= limits.batch_size_rows)
        return `batch_size_rows (${limits.batch_size_rows}) reached`;
    if (batch.bytes >= limits.batch_max_bytes)
        return `batch_max_bytes (${limits.batch_max_bytes}) reached`;
    return undefined;
}
export function ageTrigger(batch, limits, now) {
    const limit = limits.batch_wait_limit_seconds;
    if (limit === undefined || batch.rows === 0)
        return undefined;
    return now - batch.startedAt >= limit * 1000 ? `batch_wait_limit_seconds (${limit}) reached` : undefined;
}
/**
 * Parallel loads: -1 = one per core, N = N, capped by the maximum. 0 = one per stream: loads of a
 * stream never overlap, so allowing the maximum gives each stream with pending rows its own load.
 */
export function effectiveParallelism(parallelism, max, cores) {
    const wanted = parallelism === 0 ? max : parallelism === -1 ? cores : parallelism;
    return Math.max(1, Math.min(wanted, max));
}
//# sourceMappingURL=flush-policy.js.map