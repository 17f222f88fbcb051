import type { Logger } from '../logging.js';
/** What the run is doing to one batch right now, for the progress line. */
export type Phase = 'upload' | 'load';
/**
 * Counts what a run reads, stages and loads, for the periodic progress line and the closing
 * summary. Only counts and clocks: the router, sinks and loader tell it what happened; it never
 * decides anything. Time is split into reading input (waiting for the tap), staging (turning
 * messages into batch files), uploading and loading (summed over parallel loads).
 */
export declare class Progress {
    private readonly log;
    private readonly now;
    readonly counts: {
        lines: number;
        schemas: number;
        records: number;
        states: number;
        batches: number;
        committed: number;
    };
    readonly seconds: {
        read: number;
        stage: number;
        upload: number;
        load: number;
    };
    private readonly rowsByTable;
    private readonly running;
    private nextId;
    private readonly started;
    private lastReport;
    private timer?;
    constructor(log: Logger, now?: () => number);
    /** Logs a progress line every `seconds` (0: never). */
    start(seconds: number, waiting?: () => number): void;
    stop(): void;
    message(type: string): void;
    /** A record that came in a BATCH file. */
    batchRecord(): void;
    /** Adds the time of one step to its share. */
    spent(share: keyof Progress['seconds'], ms: number): void;
    /** A batch enters a phase; returns the token to end it with. */
    begin(phase: Phase, what: string): number;
    end(id: number): void;
    committed(table: string, rows: number): void;
    /** The periodic line: throughput since the last one, batches by state, the oldest load. */
    line(pending?: number): string;
    /** The closing summary. */
    summary(): string;
}
