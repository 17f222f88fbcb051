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

export function sizeTrigger(batch: BatchMeasures, limits: FlushLimits): string | undefined {
  if (batch.rows >= limits.batch_size_rows) return `batch_size_rows (${limits.batch_size_rows}) reached`;
  if (batch.bytes >= limits.batch_max_bytes) return `batch_max_bytes (${limits.batch_max_bytes}) reached`;
  return undefined;
}

/**
 * The limit of a full batch that waits for the tap's next STATE (an exactly-once append stream's:
 * engine/sink.ts): twice either size setting, so a tap that sends no STATE still flushes.
 */
export function hardSizeTrigger(batch: BatchMeasures, limits: FlushLimits): string | undefined {
  if (batch.rows >= 2 * limits.batch_size_rows) return `twice batch_size_rows (${limits.batch_size_rows}) reached without a STATE`;
  if (batch.bytes >= 2 * limits.batch_max_bytes) return `twice batch_max_bytes (${limits.batch_max_bytes}) reached without a STATE`;
  return undefined;
}

export function ageTrigger(batch: BatchMeasures, limits: FlushLimits, now: number): string | undefined {
  const limit = limits.batch_wait_limit_seconds;
  if (limit === undefined || batch.rows === 0) return undefined;
  return now - batch.startedAt >= limit * 1000 ? `batch_wait_limit_seconds (${limit}) reached` : undefined;
}

/**
 * Parallel loads: -1 = one per core, N = N, capped by the maximum. 0 = one per stream: loads of a
 * stream never overlap, so allowing the maximum gives each stream with pending rows its own load.
 */
export function effectiveParallelism(parallelism: number, max: number, cores: number): number {
  const wanted = parallelism === 0 ? max : parallelism === -1 ? cores : parallelism;
  return Math.max(1, Math.min(wanted, max));
}
