/**
 * The one owner of load slots and per-table order. Everything that changes a table while input
 * keeps being read — batch loads, direct file loads, DDL, version retirement — is a job submitted
 * here. The protocol, checked by test/unit/engine-schedules.test.ts and test/unit/load-coordinator.test.ts:
 *
 *  C1  Every submitted job ends exactly once: committed, failed or cancelled. A cancelled job's
 *      `discard` runs (its batch file is removed); a job that ran cleans up after itself.
 *  C2  After the first failure no further job starts: every job not yet started is cancelled, and
 *      `failed` resolves at once, so the reader stops without waiting for the next input line.
 *  C3  Jobs of one lane (a table) run one at a time, in submission order: no DDL while a load of
 *      the same table runs, no later batch overtaking an earlier one.
 *  C4  At most `parallelism` slot jobs (loads) run at once. A slot is taken synchronously when a
 *      job's turn in its lane comes, handed straight to the next waiter when released, and held
 *      only while the job's own work runs (never while waiting for another job).
 *  C5  `onCommitted` runs synchronously when a job's work succeeds, before its lane moves on and
 *      before any `drain` waiting for it resolves, so bookkeeping is never behind what drains see.
 */
export type Outcome = 'committed' | 'failed' | 'cancelled';
export interface Job {
    /** Jobs of one lane (a table) run one at a time, in submission order. */
    lane: string;
    /** Loads take a slot; DDL and single statements do not. */
    slot: boolean;
    /** The work. It cleans up its own resources (files, staged objects) whatever happens. */
    run(): Promise<void>;
    /** The job will never run: remove its resources. */
    discard?(): Promise<void>;
    /** Runs synchronously right after `run` succeeds. */
    onCommitted?(): void;
}
export declare class LoadCoordinator {
    readonly parallelism: number;
    private readonly lanes;
    private slotsInUse;
    private readonly slotWaiters;
    private loadsPending;
    private capacityWaiters;
    private firstFailure;
    private signalFailure;
    /** Resolves with the first failure; never rejects. */
    readonly failed: Promise<Error>;
    private readonly outcomes;
    private jobsRunning;
    constructor(parallelism: number);
    get failure(): Error | undefined;
    /** Jobs whose work is running now. */
    get running(): number;
    /** Slot jobs queued or running. */
    get pendingLoads(): number;
    /** Submits `job`; the promise tells how it ended and never rejects. */
    submit(job: Job): Promise<Outcome>;
    /** Submits `job` and waits for it; throws the run's failure if it (or anything) failed. */
    run(job: Job): Promise<void>;
    /** Waits until every job of `lanes` (all when omitted) submitted so far has ended; throws the failure. */
    drain(lanes?: readonly string[]): Promise<void>;
    /** Backpressure: waits while more loads are pending than can run; throws the failure. */
    waitForCapacity(): Promise<void>;
    throwIfFailed(): void;
    /** Marks the run failed (e.g. by the reader): jobs not yet started are cancelled. */
    fail(error: Error): void;
    /** Waits until every submitted job has ended (after a failure: the running ones). Never throws. */
    settle(): Promise<void>;
    private execute;
    private cancel;
    /** Resolves true with a slot taken, or false when the run failed while waiting. */
    private takeSlot;
    private releaseSlot;
    private wakeCapacity;
}
