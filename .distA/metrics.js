/** Names shared with the SDK so dashboards built for SDK targets read ours too. */
export const METRIC = {
    recordCount: 'record_count',
    batchCount: 'batch_count',
    batchProcessingTime: 'batch_processing_time',
    syncDuration: 'sync_duration',
};
export class Metrics {
    log;
    constructor(log) {
        this.log = log;
    }
    counter(metric, value, tags = {}) {
        this.emit({ type: 'counter', metric, value, tags });
    }
    timer(metric, seconds, tags = {}) {
        this.emit({ type: 'timer', metric, value: seconds, tags });
    }
    /** Runs `task` and records its duration with `status: succeeded|failed`. */
    async time(metric, tags, task) {
        const started = performance.now();
        let status = 'failed';
        try {
            const result = await task();
            status = 'succeeded';
            return result;
        }
        finally {
            this.timer(metric, (performance.now() - started) / 1000, { ...tags, status });
        }
    }
    /** One batch load: its duration and, when it committed, its rows. */
    batchLoaded(batch) {
        const tags = { stream: batch.stream, table: batch.table, mode: batch.mode };
        this.timer(METRIC.batchProcessingTime, batch.seconds, { ...tags, status: batch.ok ? 'succeeded' : 'failed' });
        if (batch.ok)
            this.counter(METRIC.recordCount, batch.rows, tags);
    }
    emit(point) {
        const stream = typeof point.tags.stream === 'string' ? point.tags.stream : undefined;
        this.log.info('METRIC', { metric_info: point, logger: 'target-iomete.metrics', ...(stream ? { stream } : {}) });
    }
}
//# sourceMappingURL=metrics.js.map