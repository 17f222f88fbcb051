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
 *      the same table runs, no load before the DDL submitted ahead of it (the table's CREATE),
 *      no later batch overtaking an earlier one.
 *  C4  At most `parallelism` slot jobs (loads and DDL) run at once. A slot is taken synchronously
 *      when a job's turn in its lane comes, handed straight to the next waiter when released, and
 *      held only while the job's own work runs (never while waiting for another job). Only jobs
 *      that hold a batch file count towards backpressure: DDL queued behind busy slots never
 *      stops the reading.
 *  C5  `onCommitted` runs synchronously when a job's work succeeds, before its lane moves on and
 *      before any `drain` waiting for it resolves, so bookkeeping is never behind what drains see.
 */

export type Outcome = 'committed' | 'failed' | 'cancelled';

export interface Job {
  /** Jobs of one lane (a table) run one at a time, in submission order. */
  lane: string;
  /** Loads and DDL take a slot; single statements (version retirement) do not. */
  slot: boolean;
  /**
   * Counts towards backpressure (`waitForCapacity`, `pendingLoads`): a job holding a batch file.
   * Defaults to `slot`; DDL sets it false, so reading goes on while table set-up waits for a slot.
   */
  backpressure?: boolean;
  /** The work. It cleans up its own resources (files, staged objects) whatever happens. */
  run(): Promise<void>;
  /** The job will never run: remove its resources. */
  discard?(): Promise<void>;
  /** Runs synchronously right after `run` succeeds. */
  onCommitted?(): void;
}

export class LoadCoordinator {
  private readonly lanes = new Map<string, Promise<void>>();
  private slotsInUse = 0;
  private readonly slotWaiters: Array<() => void> = [];
  private loadsPending = 0;
  private capacityWaiters: Array<() => void> = [];
  private firstFailure: Error | undefined;
  private signalFailure!: (e: Error) => void;
  /** Resolves with the first failure; never rejects. */
  readonly failed: Promise<Error> = new Promise((resolve) => (this.signalFailure = resolve));
  private readonly outcomes = new Set<Promise<Outcome>>();
  private jobsRunning = 0;

  constructor(readonly parallelism: number) {
    if (!Number.isInteger(parallelism) || parallelism < 1) throw new Error(`parallelism must be a positive integer, not ${parallelism}`);
  }

  get failure(): Error | undefined {
    return this.firstFailure;
  }

  /** Jobs whose work is running now. */
  get running(): number {
    return this.jobsRunning;
  }

  /** Jobs that count towards backpressure (loads), queued or running. */
  get pendingLoads(): number {
    return this.loadsPending;
  }

  /** Submits `job`; the promise tells how it ended and never rejects. */
  submit(job: Job): Promise<Outcome> {
    if (counted(job)) this.loadsPending += 1;
    const previous = this.lanes.get(job.lane) ?? Promise.resolve();
    const outcome = previous.then(() => this.execute(job));
    const settled = outcome.then(() => undefined);
    this.lanes.set(job.lane, settled);
    this.outcomes.add(outcome);
    void settled.then(() => {
      this.outcomes.delete(outcome);
      if (this.lanes.get(job.lane) === settled) this.lanes.delete(job.lane);
    });
    return outcome;
  }

  /** Submits `job` and waits for it; throws the run's failure if it (or anything) failed. */
  async run(job: Job): Promise<void> {
    const outcome = await this.submit(job);
    if (outcome !== 'committed') throw this.firstFailure ?? new Error('job cancelled');
  }

  /** Waits until every job of `lanes` (all when omitted) submitted so far has ended; throws the failure. */
  async drain(lanes?: readonly string[]): Promise<void> {
    const waits = lanes ? lanes.map((l) => this.lanes.get(l)).filter((p) => p !== undefined) : [...this.outcomes];
    await Promise.all(waits);
    this.throwIfFailed();
  }

  /** Backpressure: waits while more loads are pending than can run; throws the failure. */
  async waitForCapacity(): Promise<void> {
    while (this.loadsPending > this.parallelism && !this.firstFailure) {
      await new Promise<void>((resolve) => this.capacityWaiters.push(resolve));
    }
    this.throwIfFailed();
  }

  throwIfFailed(): void {
    if (this.firstFailure) throw this.firstFailure;
  }

  /** Marks the run failed (e.g. by the reader): jobs not yet started are cancelled. */
  fail(error: Error): void {
    if (this.firstFailure) return;
    this.firstFailure = error;
    this.signalFailure(error);
    // Jobs waiting for a slot are woken to be cancelled (their slot turn is never taken).
    this.slotWaiters.splice(0).forEach((wake) => wake());
    this.wakeCapacity();
  }

  /** Waits until every submitted job has ended (after a failure: the running ones). Never throws. */
  async settle(): Promise<void> {
    while (this.outcomes.size > 0) await Promise.all([...this.outcomes]);
  }

  private async execute(job: Job): Promise<Outcome> {
    let outcome: Outcome;
    if (this.firstFailure) {
      outcome = await this.cancel(job);
    } else if (job.slot && !(await this.takeSlot())) {
      outcome = await this.cancel(job);
    } else {
      this.jobsRunning += 1;
      try {
        await job.run();
        job.onCommitted?.();
        outcome = 'committed';
      } catch (e) {
        this.fail(e instanceof Error ? e : new Error(String(e)));
        outcome = 'failed';
      } finally {
        this.jobsRunning -= 1;
        if (job.slot) this.releaseSlot();
      }
    }
    if (counted(job)) {
      this.loadsPending -= 1;
      this.wakeCapacity();
    }
    return outcome;
  }

  private async cancel(job: Job): Promise<Outcome> {
    await job.discard?.().catch(() => undefined);
    return 'cancelled';
  }

  /** Resolves true with a slot taken, or false when the run failed while waiting. */
  private takeSlot(): Promise<boolean> | boolean {
    if (this.slotsInUse < this.parallelism) {
      this.slotsInUse += 1;
      return true;
    }
    return new Promise<boolean>((resolve) => {
      // Woken either with a slot handed over (count unchanged) or by a failure (no slot).
      this.slotWaiters.push(() => resolve(this.firstFailure === undefined));
    });
  }

  private releaseSlot(): void {
    const next = this.firstFailure ? undefined : this.slotWaiters.shift();
    if (next) next();
    else this.slotsInUse -= 1;
  }

  private wakeCapacity(): void {
    this.capacityWaiters.splice(0).forEach((wake) => wake());
  }
}

function counted(job: Job): boolean {
  return job.backpressure ?? job.slot;
}
