import { ageTrigger } from '../batching/flush-policy.js';
import type { TargetConfig } from '../config/config.js';
import type { Logger } from '../logging.js';
import type { StateEmitter } from '../state/state-emitter.js';
import type { Progress } from './progress.js';
import type { Sink } from './sink.js';
import type { Sinks } from './sinks.js';

export interface FlushParts {
  config: TargetConfig;
  log: Logger;
  progress: Progress;
  /** The load coordinator (loading/load-coordinator.ts), as far as flushes use it. */
  coordinator: { readonly failure: Error | undefined; waitForCapacity(): Promise<void>; drain(): Promise<void> };
  states: StateEmitter;
}

/**
 * When batches close across streams: a full batch (size trigger, from its Sink), a batch open
 * too long (age trigger, from the router's timer), and the full flush at the end of the input.
 * Each runs inside the router's exclusive task (R1).
 */
export class Flushes {
  constructor(
    private readonly sinks: Sinks,
    private readonly parts: FlushParts,
  ) {}

  /** A size or age trigger fired for `sinks`: flush them, or every stream with flush_all_streams. */
  async due(sinks: readonly Sink[]): Promise<void> {
    if (this.parts.config.flush_all_streams) {
      await this.all();
      return;
    }
    for (const sink of sinks) sink.close();
    await this.parts.progress.wait('loads', this.parts.coordinator.waitForCapacity());
  }

  /**
   * Loads every stream's pending rows and waits for every job; the latest state becomes safe. At
   * the end of the input (`last`), tables of streams that loaded no rows are created too.
   */
  async all(last = false): Promise<void> {
    const { config, progress, coordinator, states } = this.parts;
    // With flush_all_streams one state after the drain covers every commit during it.
    await states.gather(config.flush_all_streams, async () => {
      for (const sink of this.sinks.values()) {
        sink.close();
        if (last) sink.finish();
      }
      await progress.wait('loads', coordinator.drain());
    });
    await states.emit(false);
  }

  /** Flushes the batches open longer than batch_wait_limit_seconds. */
  async stale(): Promise<void> {
    const { config, log, coordinator } = this.parts;
    if (coordinator.failure) return;
    const now = Date.now();
    const stale: Sink[] = [];
    for (const sink of this.sinks.values()) {
      const open = sink.openBatch;
      const reason = open && ageTrigger(open, config, now);
      if (reason) {
        log.info(`Flush triggered by ${reason} in '${sink.stream}'`);
        stale.push(sink);
      }
    }
    if (stale.length > 0) await this.due(stale);
  }
}
