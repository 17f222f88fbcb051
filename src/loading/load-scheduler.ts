/**
 * Runs batch loads in the background while input keeps being read. Loads of one stream run in
 * order (a later batch must not overtake an earlier one of the same table); loads of different
 * streams run side by side up to `parallelism`. A failed load makes every later call fail, so the
 * run stops at the next message instead of emitting state past lost data.
 */
export class LoadScheduler {
  private readonly chains = new Map<string, Promise<void>>();
  private running = 0;
  private queued = 0;
  private wakeups: Array<() => void> = [];
  private failure: Error | undefined;

  constructor(private readonly parallelism: number) {}

  /** Queues `load` for `stream`; `done` runs after it succeeds (state bookkeeping). */
  schedule(stream: string, load: () => Promise<void>, done: () => Promise<void> | void): void {
    this.throwIfFailed();
    this.queued += 1;
    const previous = this.chains.get(stream) ?? Promise.resolve();
    const next = previous.then(async () => {
      try {
        if (this.failure) return;
        await this.until(() => this.running < this.parallelism);
        this.running += 1;
        try {
          await load();
          await done();
        } finally {
          this.running -= 1;
        }
      } catch (e) {
        this.failure ??= e instanceof Error ? e : new Error(String(e));
      } finally {
        this.queued -= 1;
        this.wake();
      }
    });
    this.chains.set(stream, next);
  }

  /** True while any load is queued or running. */
  get busy(): boolean {
    return this.queued > 0;
  }

  /** Waits for the loads of `streams` (all when omitted), then reports any failure. */
  async settle(streams?: readonly string[]): Promise<void> {
    const chains = streams ? streams.map((s) => this.chains.get(s)) : [...this.chains.values()];
    await Promise.all(chains);
    this.throwIfFailed();
  }

  /**
   * Backpressure: waits while more loads are queued than can run, so input is not read faster
   * than it is loaded (queued batches are files on disk, this bounds how many).
   */
  async waitForCapacity(): Promise<void> {
    await this.until(() => this.queued <= this.parallelism || this.failure !== undefined);
    this.throwIfFailed();
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  private async until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise<void>((resolve) => this.wakeups.push(resolve));
  }

  private wake(): void {
    const wakeups = this.wakeups;
    this.wakeups = [];
    wakeups.forEach((wake) => wake());
  }
}
