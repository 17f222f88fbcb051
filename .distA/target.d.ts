import type { Readable } from 'node:stream';
import { type OpenS3Object } from './batching/batch-messages.js';
import type { TargetConfig } from './config/config.js';
import { Progress } from './engine/progress.js';
import type { Logger } from './logging.js';
import type { Metrics } from './metrics.js';
import type { SqlExecutor } from './spark/executor.js';
import type { StateWriter } from './state/state-writer.js';
import type { ObjectStore } from './storage/object-store.js';
export interface TargetDeps {
    config: TargetConfig;
    /** Opens s3:// files named by BATCH messages (default: an S3 client from the config). */
    openS3Object?: OpenS3Object;
    /** Opens a new lakehouse session; called once per parallel load slot. */
    connect: () => SqlExecutor;
    store: ObjectStore;
    state: Pick<StateWriter, 'write'>;
    log: Logger;
    /** METRIC lines per batch load (Meltano reads them from the log). */
    metrics?: Metrics;
}
export interface RunSummary {
    records: number;
    batches: number;
    /** True when the run stopped early on a signal (pending rows were still loaded). */
    interrupted: boolean;
}
/**
 * The engine's front: reads Singer messages and routes each one a single hop down —
 * RECORD to its stream's sink (record -> cells -> batch file), full batches and every table
 * change to the load coordinator (slots, per-table order, failure), STATE to the state tracker
 * (the safe-state rule). It keeps no protocol of its own beyond these invariants:
 *
 *  R1  Messages and timer-driven flushes run one at a time (`exclusive`), in input order.
 *  R2  Every change is registered with the tracker as a hold before any later STATE is seen, and
 *      committed only by the coordinator's `onCommitted` of the job that made it durable.
 *  R3  States are written one at a time, each the tracker's answer at the time of writing, so
 *      they come out in order. With load_method overwrite no state is written before the run
 *      ends successfully (a resumed run would overwrite the table with only the remainder).
 *  R4  A failure anywhere (input, load, state write) stops reading at once; queued loads are
 *      cancelled, running ones are waited for, batch files are removed, and the first error is
 *      what the run rejects with.
 */
export declare class Target {
    private readonly deps;
    private readonly sinks;
    /** The sinks again, by the UTF-8 bytes of their stream name: a scanned line's stream is found without decoding it. */
    private readonly sinkNames;
    private readonly tracker;
    /** Which stream writes which table: two streams of one run never share a table. */
    private readonly registry;
    /** `stream_maps`: messages are mapped before the sinks see them. */
    private readonly mapper?;
    private readonly pool;
    private readonly tables;
    private readonly loader;
    private readonly coordinator;
    private readonly tempDir;
    private exclusiveQueue;
    private stateQueue;
    private holds;
    /** A full flush is waiting for every load (see flushAll). */
    private draining;
    private opener?;
    /** Counts and clocks for the progress lines and the closing summary. */
    readonly progress: Progress;
    constructor(deps: TargetDeps);
    run(input: Readable, signal?: AbortSignal): Promise<RunSummary>;
    /**
     * Reads lines until the input ends, the signal aborts it, or a load fails (whichever first). A
     * chunk of lines is handled in one exclusive task, awaiting only where a message waits (a flush
     * at capacity, DDL): the common record costs no promise.
     */
    private readAll;
    /** The chunk's lines in order; a RECORD the scanner reads is staged from its bytes, any other line is parsed. */
    private handleChunk;
    /**
     * The RECORD path for a line read by scanRecordLine: the same steps as handle() -> onRecord(),
     * with the row staged from the bytes (StreamSink.addScanned). False when the line is not such
     * a record, or its stream cannot take it; handle() then reads the line.
     */
    private handleScanned;
    /** Runs `task` after every task queued before it (R1). */
    private exclusive;
    /** Handles one line; returns a promise only when the message has to wait (R1 holds either way). */
    private handle;
    /** Dispatches messages in order, synchronously until one of them has to wait. */
    private dispatchAll;
    private dispatch;
    private onSchema;
    /** Makes the table fit the sink's layout: a DDL job in the table's lane, awaited. */
    private shapeTable;
    /** `source` is the tap's stream of the record (for state); `file` names the BATCH file row it came from. */
    private onRecord;
    /** Stages the record; waits only when it fills the batch and the load has to wait for a slot. */
    private addRecord;
    /** After a record is staged: its position joins the hold, and a full batch is flushed. */
    private held;
    /** The sink of the stream whose name is `bytes[start, end)`; byte comparisons for the first few streams. */
    private sinkNamed;
    private sinkFor;
    /** Records of BATCH files take the RECORD path one by one (streamed, never a whole file in memory). */
    private onBatch;
    /**
     * A Parquet file already on S3 is loaded by the lakehouse itself when its fields fit the table
     * (top-level properties, no flattening or validation asked for): a load job in the table's lane
     * after the rows staged before it, awaited because a file that does not fit takes the record path.
     */
    private loadParquetDirectly;
    private defaultOpener;
    private onActivateVersion;
    /** From now on rows record their table version (loading what was staged without it first). */
    private startVersioning;
    /** A size or age trigger fired for `sinks`: flush them, or every stream with flush_all_streams. */
    private flushDue;
    /** Loads every stream's pending rows and waits for every job; the latest state becomes safe. */
    private flushAll;
    /** Hands the sink's open batch to the coordinator as a load job in the table's lane. */
    private closeBatch;
    private loadJob;
    private submit;
    private startWaitLimitTimer;
    private flushStale;
    /** Writes the tracker's current answer, after any write already queued (R3). */
    private emitState;
}
