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
 *
 * Exactly-once streams (append-only loads whose commits a resumed run can undo) add one rule:
 *
 *  S5  The bookmark of an exactly-once stream s comes only from a STATE that lies between two of
 *      s's batches (a *clean* state: no batch of s holds records on both sides of it), the latest
 *      such one before s's first uncommitted change; none while there is none. A batch is a hold
 *      opened with `exact` and closed by `seal`. So every batch of s is wholly covered by an
 *      emitted state or wholly not, and a resumed run can undo exactly the uncovered batches
 *      (`coveredUpTo` tells which position the last emitted state covers).
 */
export class StateTracker {
  private latest: StateEntry | undefined;
  private readonly holds = new Map<number, Map<string, HoldEntry>>();
  private readonly streams = new Set<string>();
  private lastEmitted: string | undefined;
  /** S5: exactly-once streams, with the latest clean state of each. */
  private readonly exact = new Map<string, StateEntry | undefined>();
  /** S5: a state not yet known to be clean for a stream, and the open batches it lies inside. */
  private readonly candidates = new Map<string, { entry: StateEntry; open: Set<number> }>();
  /** S5: open (not sealed) batches of exactly-once streams, by stream. */
  private readonly openExact = new Map<string, Set<number>>();
  /** Per stream, the position up to which the last emitted state covers it. */
  private readonly covered = new Map<string, number>();

  /** A SCHEMA of `stream` was received: its bookmarks may be released per stream (S2). */
  knowStream(stream: string): void {
    this.streams.add(stream);
  }

  /** Stream s is loaded exactly once (S5): its bookmarks come from clean states only. */
  exactStream(stream: string): void {
    if (!this.exact.has(stream)) this.exact.set(stream, undefined);
  }

  onState(value: unknown, position: number): void {
    const entry = { value: structuredClone(value), position };
    this.latest = entry;
    for (const stream of this.exact.keys()) {
      const open = this.openExact.get(stream);
      // Between batches: clean at once. Inside one: clean if that batch ends before s's next record.
      if (!open || open.size === 0) {
        this.exact.set(stream, entry);
        this.candidates.delete(stream);
      } else {
        this.candidates.set(stream, { entry, open: new Set(open) });
      }
    }
  }

  /**
   * Change `hold` (a batch, or one statement) now carries a change of `stream` received at
   * `position`. Only the first change of each stream per hold matters.
   */
  hold(hold: number, stream: string, position: number, exact = false): void {
    let entries = this.holds.get(hold);
    if (!entries) {
      entries = new Map();
      this.holds.set(hold, entries);
    }
    if (exact && this.exact.has(stream)) {
      // A record of s in a batch that was open at the candidate state: that state is inside it.
      const candidate = this.candidates.get(stream);
      if (candidate?.open.has(hold)) this.candidates.delete(stream);
      let open = this.openExact.get(stream);
      if (!open) this.openExact.set(stream, (open = new Set()));
      open.add(hold);
    }
    if (!entries.has(stream)) entries.set(stream, { position, before: this.latest, clean: this.exact.get(stream) });
  }

  /** The batch `hold` takes no more records (S5: a state inside it may now be clean). */
  seal(hold: number): void {
    for (const [stream, open] of this.openExact) {
      if (!open.delete(hold)) continue;
      const candidate = this.candidates.get(stream);
      if (!candidate) continue;
      candidate.open.delete(hold);
      if (candidate.open.size === 0) {
        this.exact.set(stream, candidate.entry);
        this.candidates.delete(stream);
      }
    }
  }

  /** Every change of `hold` is committed. */
  commit(hold: number): void {
    this.seal(hold);
    this.holds.delete(hold);
  }

  /** The streams of `hold` and the position of the first change of each (undefined once committed). */
  positionsOf(hold: number): Array<[stream: string, position: number]> | undefined {
    const entries = this.holds.get(hold);
    return entries && [...entries].map(([stream, entry]) => [stream, entry.position]);
  }

  /**
   * Stream s's changes before this position are covered by the last emitted state (a tap resumes
   * after it); -1 when no emitted state covers any of them.
   */
  coveredUpTo(stream: string): number {
    return this.covered.get(stream) ?? -1;
  }

  /**
   * The state to write now, or undefined when nothing new is safe. `final`: the run's last state,
   * after every change committed: S5 no longer applies (a tap resends the records after its last
   * state anyway, crash or not).
   */
  takeEmittable(final = false): unknown {
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
    const covers = new Map<string, number>();
    // A state that is not an object (Singer allows any JSON) cannot be merged: it goes out whole.
    if (full !== undefined && !isObject(full.value)) return this.emit(full.value, covers, full.position);
    const out: Record<string, unknown> = isObject(full?.value) ? structuredClone(full.value) : {};
    // S2: later bookmarks of streams whose own changes before them are committed.
    for (const stream of this.streams) {
      const exact = !final && this.exact.has(stream);
      // S5: an exactly-once stream's bookmark comes from the latest clean state before its first
      // uncommitted change, also when that is older than the full state's.
      const source = exact ? (earliest.has(stream) ? earliest.get(stream)!.clean : this.exact.get(stream)) : earliest.has(stream) ? earliest.get(stream)!.before : this.latest;
      if (!exact && (!source || source === full)) continue;
      const bookmarks = source && bookmarksOf(source.value);
      if (!bookmarks || !Object.hasOwn(bookmarks, stream)) {
        if (exact && isObject(out.bookmarks)) delete (out.bookmarks as Record<string, unknown>)[stream];
        if (exact) covers.set(stream, -1);
        continue;
      }
      if (!isObject(out.bookmarks)) out.bookmarks = {};
      (out.bookmarks as Record<string, unknown>)[stream] = structuredClone(bookmarks[stream]);
      covers.set(stream, source.position);
    }
    return this.emit(out, covers, full?.position ?? -1);
  }

  /** `covers`: per stream the position its bookmark was taken at; `fullAt`: the full state's, for the others. */
  private emit(value: unknown, covers: Map<string, number>, fullAt: number): unknown {
    const text = stringifyJson(value);
    if (text === '{}' || text === this.lastEmitted) return undefined;
    this.lastEmitted = text;
    for (const stream of new Set([...this.streams, ...this.exact.keys()])) this.covered.set(stream, covers.get(stream) ?? fullAt);
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
  /** S5: the latest clean state of the stream when the hold began (exactly-once streams only). */
  clean: StateEntry | undefined;
}

function bookmarksOf(state: unknown): Record<string, unknown> | undefined {
  if (!isObject(state)) return undefined;
  const bookmarks = state.bookmarks;
  return isObject(bookmarks) ? bookmarks : undefined;
}

