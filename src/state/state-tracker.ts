import { stringifyJson, isObject } from '../singer/json.js';

/**
 * Decides which STATE is safe to emit. Pure: it is told what arrives and what commits, and
 * answers with the state to write.
 *
 * The safe-state rule (the promise of the target, checked by test/unit/engine-schedules.test.ts):
 *
 *  S1  A STATE received at input position p is *fully safe* once every change received before p
 *      (records, version retirements, direct file loads) is committed. A fully safe state is
 *      emitted whole.
 *  S2  Earlier than that, a stream's bookmark may be released on its own: `bookmarks[s]` of the
 *      latest STATE before the first still-uncommitted change of stream s — only from the
 *      `bookmarks` object, and only for streams this run has seen a SCHEMA for (a bookmark key
 *      that names no known stream could describe anything, so it waits for S1).
 *  S3  Every other top-level key comes only from a fully safe state.
 *  S4  Emitted states move forward only (each hold's position is past every earlier one), the
 *      same state is never emitted twice in a row, and `{}` never.
 *
 * Changes are tracked as *holds*: a batch (or any pending change) holds, per source stream, the
 * position of its first change and the latest STATE received before it. A hold is released by
 * `commit`; a failed or cancelled change keeps its hold forever, so nothing after it is emitted.
 */
export class StateTracker {
  private latest: StateEntry | undefined;
  private readonly holds = new Map<number, Map<string, HoldEntry>>();
  private readonly streams = new Set<string>();
  private lastEmitted: string | undefined;

  /** A SCHEMA of `stream` was received: its bookmarks may be released per stream (S2). */
  knowStream(stream: string): void {
    this.streams.add(stream);
  }

  onState(value: unknown, position: number): void {
    this.latest = { value: structuredClone(value), position };
  }

  /**
   * Change `hold` (a batch, or one statement) now carries a change of `stream` received at
   * `position`. Only the first change of each stream per hold matters.
   */
  hold(hold: number, stream: string, position: number): void {
    let entries = this.holds.get(hold);
    if (!entries) {
      entries = new Map();
      this.holds.set(hold, entries);
    }
    if (!entries.has(stream)) entries.set(stream, { position, before: this.latest });
  }

  /** Every change of `hold` is committed. */
  commit(hold: number): void {
    this.holds.delete(hold);
  }

  /** The state to write now, or undefined when nothing new is safe. */
  takeEmittable(): unknown {
    const earliest = new Map<string, HoldEntry>();
    let first: HoldEntry | undefined;
    for (const entries of this.holds.values()) {
      for (const [stream, entry] of entries) {
        const known = earliest.get(stream);
        if (!known || entry.position < known.position) earliest.set(stream, entry);
        if (!first || entry.position < first.position) first = entry;
      }
    }
    // S1: the latest state before the first uncommitted change (the latest of all if none).
    const full = first ? first.before : this.latest;
    // A state that is not an object (Singer allows any JSON) cannot be merged: it goes out whole.
    if (full !== undefined && !isObject(full.value)) return this.emit(full.value);
    const out: Record<string, unknown> = isObject(full?.value) ? structuredClone(full.value) : {};
    // S2: later bookmarks of streams whose own changes before them are committed.
    for (const stream of this.streams) {
      const source = earliest.has(stream) ? earliest.get(stream)!.before : this.latest;
      if (!source || source === full) continue;
      const bookmarks = bookmarksOf(source.value);
      if (!bookmarks || !Object.hasOwn(bookmarks, stream)) continue;
      if (!isObject(out.bookmarks)) out.bookmarks = {};
      (out.bookmarks as Record<string, unknown>)[stream] = structuredClone(bookmarks[stream]);
    }
    return this.emit(out);
  }

  private emit(value: unknown): unknown {
    const text = stringifyJson(value);
    if (text === '{}' || text === this.lastEmitted) return undefined;
    this.lastEmitted = text;
    return structuredClone(value);
  }
}

interface StateEntry {
  value: unknown;
  position: number;
}

interface HoldEntry {
  position: number;
  before: StateEntry | undefined;
}

function bookmarksOf(state: unknown): Record<string, unknown> | undefined {
  if (!isObject(state)) return undefined;
  const bookmarks = state.bookmarks;
  return isObject(bookmarks) ? bookmarks : undefined;
}

