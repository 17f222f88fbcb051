import type { Logger } from './logging.js';

/**
 * Meltano SDK metric events: logged as `METRIC: {"type":...,"metric":...,"value":...,"tags":{...}}`
 * in text logs, or as `"message":"METRIC","metric_info":{...}` in structured logs, which is what
 * Meltano and SDK log tooling read. Timers are in seconds, as the SDK's.
 */
type MetricType = 'counter' | 'timer';

export interface MetricPoint {
  type: MetricType;
  metric: string;
  value: number;
  tags: Record<string, string | number | boolean>;
}

/** Names shared with the SDK so dashboards built for SDK targets read ours too. */
export const METRIC = {
  recordCount: 'record_count',
  batchCount: 'batch_count',
  batchProcessingTime: 'batch_processing_time',
  syncDuration: 'sync_duration',
} as const;

export interface BatchLoaded {
  stream: string;
  /** Fully qualified table name. */
  table: string;
  rows: number;
  seconds: number;
  /** merge, insert or overwrite. */
  mode: string;
  ok: boolean;
}

export class Metrics {
  constructor(private readonly log: Logger) {}

  counter(metric: string, value: number, tags: MetricPoint['tags'] = {}): void {
    this.emit({ type: 'counter', metric, value, tags });
  }

  timer(metric: string, seconds: number, tags: MetricPoint['tags'] = {}): void {
    this.emit({ type: 'timer', metric, value: seconds, tags });
  }

  /** Runs `task` and records its duration with `status: succeeded|failed`. */
  async time<T>(metric: string, tags: MetricPoint['tags'], task: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let status = 'failed';
    try {
      const result = await task();
      status = 'succeeded';
      return result;
    } finally {
      this.timer(metric, (performance.now() - started) / 1000, { ...tags, status });
    }
  }

  /** One batch load: its duration and, when it committed, its rows. */
  batchLoaded(batch: BatchLoaded): void {
    const tags = { stream: batch.stream, table: batch.table, mode: batch.mode };
    this.timer(METRIC.batchProcessingTime, batch.seconds, { ...tags, status: batch.ok ? 'succeeded' : 'failed' });
    if (batch.ok) this.counter(METRIC.recordCount, batch.rows, tags);
  }

  private emit(point: MetricPoint): void {
    const stream = typeof point.tags.stream === 'string' ? point.tags.stream : undefined;
    this.log.info('METRIC', { metric_info: point, logger: 'target-iomete.metrics', ...(stream ? { stream } : {}) });
  }
}
