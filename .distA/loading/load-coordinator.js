export class LoadCoordinator {
    parallelism;
    lanes = new Map();
    slotsInUse = 0;
    slotWaiters = [];
    loadsPending = 0;
    capacityWaiters = [];
    firstFailure;
    signalFailure;
    /** Resolves with the first failure; never rejects. */
    failed = new Promise((resolve) => (this.signalFailure = resolve));
    outcomes = new Set();
    jobsRunning = 0;
    constructor(parallelism) {
        this.parallelism = parallelism;
        if (!Number.isInteger(parallelism) || parallelism < 1)
            throw new Error(`parallelism must be a positive integer, not ${parallelism}`);
    }
    get failure() {
        return this.firstFailure;
    }
    /** Jobs whose work is running now. */
    get running() {
        return this.jobsRunning;
    }
    /** Slot jobs queued or running. */
    get pendingLoads() {
        return this.loadsPending;
    }
    /** Submits `job`; the promise tells how it ended and never rejects. */
    submit(job) {
        if (job.slot)
            this.loadsPending += 1;
        const previous = this.lanes.get(job.lane) ?? Promise.resolve();
        const outcome = previous.then(() => this.execute(job));
        const settled = outcome.then(() => undefined);
        this.lanes.set(job.lane, settled);
        this.outcomes.add(outcome);
        void settled.then(() => {
            this.outcomes.delete(outcome);
            if (this.lanes.get(job.lane) === settled)
                this.lanes.delete(job.lane);
        });
        return outcome;
    }
    /** Submits `job` and waits for it; throws the run's failure if it (or anything) failed. */
    async run(job) {
        const outcome = await this.submit(job);
        if (outcome !== 'committed')
            throw this.firstFailure ?? new Error('job cancelled');
    }
    /** Waits until every job of `lanes` (all when omitted) submitted so far has ended; throws the failure. */
    async drain(lanes) {
        const waits = lanes ? lanes.map((l) => this.lanes.get(l)).filter((p) => p !== undefined) : [...this.outcomes];
        await Promise.all(waits);
        this.throwIfFailed();
    }
    /** Backpressure: waits while more loads are pending than can run; throws the failure. */
    async waitForCapacity() {
        while (this.loadsPending > this.parallelism && !this.firstFailure) {
            await new Promise((resolve) => this.capacityWaiters.push(resolve));
        }
        this.throwIfFailed();
    }
    throwIfFailed() {
        if (this.firstFailure)
            throw this.firstFailure;
    }
    /** Marks the run failed (e.g. by the reader): jobs not yet started are cancelled. */
    fail(error) {
        if (this.firstFailure)
            return;
        this.firstFailure = error;
        this.signalFailure(error);
        // Jobs waiting for a slot are woken to be cancelled (their slot turn is never taken).
        this.slotWaiters.splice(0).forEach((wake) => wake());
        this.wakeCapacity();
    }
    /** Waits until every submitted job has ended (after a failure: the running ones). Never throws. */
    async settle() {
        while (this.outcomes.size > 0)
            await Promise.all([...this.outcomes]);
    }
    async execute(job) {
        let outcome;
        if (this.firstFailure) {
            outcome = await this.cancel(job);
        }
        else if (job.slot && !(await this.takeSlot())) {
            outcome = await this.cancel(job);
        }
        else {
            this.jobsRunning += 1;
            try {
                await job.run();
                job.onCommitted?.();
                outcome = 'committed';
            }
            catch (e) {
                this.fail(e instanceof Error ? e : new Error(String(e)));
                outcome = 'failed';
            }
            finally {
                this.jobsRunning -= 1;
                if (job.slot)
                    this.releaseSlot();
            }
        }
        if (job.slot) {
            this.loadsPending -= 1;
            this.wakeCapacity();
        }
        return outcome;
    }
    async cancel(job) {
        await job.discard?.().catch(() => undefined);
        return 'cancelled';
    }
    /** Resolves true with a slot taken, or false when the run failed while waiting. */
    takeSlot() {
        if (this.slotsInUse < this.parallelism) {
            this.slotsInUse += 1;
            return true;
        }
        return new Promise((resolve) => {
            // Woken either with a slot handed over (count unchanged) or by a failure (no slot).
            this.slotWaiters.push(() => resolve(this.firstFailure === undefined));
        });
    }
    releaseSlot() {
        const next = this.firstFailure ? undefined : this.slotWaiters.shift();
        if (next)
            next();
        else
            this.slotsInUse -= 1;
    }
    wakeCapacity() {
        this.capacityWaiters.splice(0).forEach((wake) => wake());
    }
}
//# sourceMappingURL=load-coordinator.js.map