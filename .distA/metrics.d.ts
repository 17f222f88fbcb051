import type { Logger } from './logging.js';
/**
 * Meltano SDK metric events: logged as `METRIC: {"type":...,"metric":...,"value":...,"tags":{...}}`
 * in text logs, or as `"message":"METRIC","metric_info":{...}` in structured logs, which is what
 * Meltano and SDK log tooling read. Timers are in seconds, as the SDK's.
 */
export type MetricType = 'counter' | 'timer';
export interface MetricPoint {
    type: MetricType;
    metric: string;
    value: number;
    tags: Record<string, string | number | boolean>;
}
/** Names shared with the SDK so dashboards built for SDK targets read ours too. */
export declare const METRIC: {
    readonly recordCount: "record_count";
    readonly batchCount: "batch_count";
    readonly batchProcessingTime: "batch_processing_time";
    readonly syncDuration: "sync_duration";
};
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
export declare class Metrics {
    private readonly log;
    constructor(log: Logger);
    counter(metric: string, value: number, tags?: MetricPoint['tags']): void;
    timer(metric: string, seconds: number, tags?: MetricPoint['tags']): void;
    /** Runs `task` and records its duration with `status: succeeded|failed`. */
    time<T>(metric: string, tags: MetricPoint['tags'], task: () => Promise<T>): Promise<T>;
    /** One batch load: its duration and, when it committed, its rows. */
    batchLoaded(batch: BatchLoaded): void;
    private emit;
}
