import { stringifyJson } from '../singer/json.js';
/**
 * Decides which STATE is safe to emit: one that describes only data already committed. Pure.
 *
 * - A STATE is remembered, not emitted.
 * - If nothing is pending in any stream when it arrives, it is safe at once.
 * - A flush of every stream makes the latest STATE safe.
 * - A flush of some streams copies only their `bookmarks` entries of the latest STATE into the
 *   safe state; other keys keep their safe values.
 * - The same safe state is never handed out twice, and `{}` never.
 */
export class StateTracker {
  private latest: unknown = undefined;
  private safe: unknown = undefined;
  private lastEmitted: string | undefined;

  /** Records a STATE message; `nothingPending` is true when no stream holds unloaded rows. */
  onState(value: unknown, nothingPending: boolean): void {
    this.latest = value;
    if (this.safe === undefined || nothingPending) this.safe = structuredClone(value);
  }

  /** After every stream's pending rows were committed. */
  onFullFlush(): void {
    if (this.latest !== undefined) this.safe = structuredClone(this.latest);
  }

  /** The latest STATE received (a copy), to release later with onStreamsFlushed. */
  latestState(): unknown {
    return this.latest === undefined ? undefined : structuredClone(this.latest);
  }

  /**
   * After the pending rows of `streams` were committed. `asOf` is the latest state when their
   * batches were closed (loads run in the background while later STATEs arrive).
   */
  onStreamsFlushed(streams: readonly string[], asOf: unknown = this.latest): void {
    const latestBookmarks = bookmarksOf(asOf);
    if (latestBookmarks === undefined) return;
    for (const stream of streams) {
      if (!(stream in latestBookmarks)) continue;
      if (!isPlainObject(this.safe)) this.safe = {};
      const safe = this.safe as Record<string, unknown>;
      if (!isPlainObject(safe.bookmarks)) safe.bookmarks = {};
      (safe.bookmarks as Record<string, unknown>)[stream] = structuredClone(latestBookmarks[stream]);
    }
  }

  /** The safe state if it changed since last taken, else undefined. */
  takeEmittable(): unknown {
    if (this.safe === undefined) return undefined;
    const text = stringifyJson(this.safe);
    if (text === this.lastEmitted || text === '{}') return undefined;
    this.lastEmitted = text;
    return structuredClone(this.safe);
  }
}

function bookmarksOf(state: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(state)) return undefined;
  const bookmarks = state.bookmarks;
  return isPlainObject(bookmarks) ? bookmarks : undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
