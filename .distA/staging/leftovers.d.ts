import type { Logger } from '../logging.js';
import type { ObjectStore } from '../storage/object-store.js';
/**
 * Leftovers of runs that were killed (kill -9, OOM, a lost container): batch files in temp_dir
 * and staged objects under the S3 prefix. Every run announces itself with a marker — a file
 * `<runId>.run` in temp_dir and an object `<prefix>_runs/<runId>.json` — refreshed every minute
 * and removed when the run ends. At start, a run removes what belongs to dead runs:
 *
 *  L1  A run is dead when its marker has not been refreshed for `staleAfterMs` (15 min), or, for
 *      a local marker, when it names this host and its process no longer exists.
 *  L2  Files of the target's naming (`<runId>-...`, `batch-*.parquet`) are removed when their run
 *      is dead, or when they have no marker, are older than the oldest live run (a live run only
 *      creates files after it started) and older than `orphanAfterMs` (24 h: a run of a version
 *      without markers may still be using them).
 *  L3  Staged objects live under `<prefix><runId>/`; that folder is removed when the run is dead
 *      by L1 (the S3 marker's name carries host and pid). Objects of unknown runs are left alone
 *      (the README recommends a lifecycle rule for the prefix).
 */
export declare const MARKER_SUFFIX = ".run";
export declare const RUNS_FOLDER = "_runs/";
export interface LeftoverOptions {
    runId: string;
    tempDir: string;
    store: ObjectStore;
    /** The S3 prefix of staged objects (s3_key_prefix). */
    prefix: string;
    log: Logger;
    staleAfterMs?: number;
    orphanAfterMs?: number;
    heartbeatMs?: number;
    now?: () => number;
    isAlive?: (pid: number) => boolean;
}
export declare class RunMarkers {
    private readonly options;
    private timer?;
    private readonly staleAfterMs;
    private readonly now;
    private readonly started;
    constructor(options: LeftoverOptions);
    private get localMarker();
    /** Host and pid are in the name, so a run on the same host can tell a dead run without reading it. */
    private get remoteMarker();
    /** Writes this run's markers, then removes what dead runs left. Cleanup problems are warnings only. */
    start(): Promise<void>;
    /** Removes this run's markers (the run's own files and objects are cleaned by its loads). */
    finish(): Promise<void>;
    private refresh;
    private sweepLocal;
    private sweepRemote;
}
