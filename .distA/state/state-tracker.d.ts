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
export declare class StateTracker {
    private latest;
    private readonly holds;
    private readonly streams;
    private lastEmitted;
    /** A SCHEMA of `stream` was received: its bookmarks may be released per stream (S2). */
    knowStream(stream: string): void;
    onState(value: unknown, position: number): void;
    /**
     * Change `hold` (a batch, or one statement) now carries a change of `stream` received at
     * `position`. Only the first change of each stream per hold matters.
     */
    hold(hold: number, stream: string, position: number): void;
    /** Every change of `hold` is committed. */
    commit(hold: number): void;
    /** The state to write now, or undefined when nothing new is safe. */
    takeEmittable(): unknown;
    private emit;
}
