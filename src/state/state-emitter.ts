import type { StateTracker } from './state-tracker.js';
import type { StateWriter } from './state-writer.js';

/**
 * Writes the tracker's answer to stdout (R3): one write at a time, each the tracker's answer when
 * it is written, so states come out in order. With load_method overwrite no state is written
 * before the run ends successfully (a resumed run would overwrite the table with the remainder).
 * Every state the run writes passes through `emit`: a step that must run before a state is
 * written belongs there.
 */
export class StateEmitter {
  private queue: Promise<void> = Promise.resolve();
  /** A full flush is waiting for every load (see gathering). */
  private gathering = false;

  constructor(
    private readonly tracker: StateTracker,
    private readonly writer: Pick<StateWriter, 'write'>,
    private readonly overwrite: boolean,
    /** Fails the run (a state write failed outside any awaited path). */
    private readonly fail: (error: unknown) => void,
    /** Runs before each state is written (exactly-once appends record what it covers: loading/append-commits.ts A2). */
    private readonly beforeWrite: () => Promise<void> = async () => undefined,
  ) {}

  /** A load committed: write what it made safe, unless a full flush writes one state for all. */
  committed(): void {
    if (!this.gathering) void this.emit(false).catch((e: unknown) => this.fail(e));
  }

  /**
   * Runs `drain` with commits writing no state of their own when `together` (flush_all_streams):
   * the one written after the drain covers them all, so every stream advances together. Else
   * each commit writes what it made safe, which keeps the replay after a crash short.
   */
  async gather(together: boolean, drain: () => Promise<void>): Promise<void> {
    this.gathering = together;
    try {
      await drain();
    } finally {
      this.gathering = false;
    }
  }

  /** Writes the tracker's current answer after any write already queued; `final` at the end of a successful run. */
  emit(final: boolean): Promise<void> {
    if (this.overwrite && !final) return this.queue;
    const write = this.queue.then(async () => {
      const state = this.tracker.takeEmittable(final);
      if (state === undefined) return;
      await this.beforeWrite();
      await this.writer.write(state);
    });
    this.queue = write.catch(() => undefined);
    return write;
  }
}
