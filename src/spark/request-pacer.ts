/**
 * Paces the requests of a whole run (every session together) under `max_requests_per_second`, so
 * a lakehouse token with a requests-per-second limit is never refused by the gateway.
 *
 * A sliding window rather than a token bucket: a bucket lets a full bucket's burst through on top
 * of the rate, which a gateway counting requests per second refuses. The window holds the times
 * requests actually left (a request is counted when it is let through and its time moved to when
 * its bytes were handed to the network: one waiting for a new connection, or behind a busy event
 * loop, leaves late, and the next ones must count from then), so no window of `windowMs` holds
 * more than `perWindow` of them, whichever session sent them.
 */

/** Covers the jitter between a request leaving and its arrival at the gateway. */
const MARGIN_MS = 100;

/** One request let through; `at` is moved to when it left. */
export interface Send {
  at: number;
}

export class RequestPacer {
  private readonly perWindow: number;
  private readonly windowMs: number;
  /** Recent sends in the order they were let through (twice the window's count: a late one may move past newer ones). */
  private readonly sent: Send[] = [];

  constructor(perSecond: number) {
    if (!(perSecond > 0)) throw new RangeError('perSecond must be positive');
    // At least one request per window; under 1 per second the window grows instead (0.5/s: 1 per 2 s).
    this.perWindow = Math.max(1, Math.floor(perSecond));
    this.windowMs = Math.max(1000, (1000 * this.perWindow) / perSecond) + MARGIN_MS;
  }

  /** Pure: the earliest time at or after `now` at which a request may be sent. */
  earliest(now: number): number {
    if (this.sent.length < this.perWindow) return now;
    const latest = this.sent.map((s) => s.at).sort((a, b) => b - a);
    return Math.max(now, (latest[this.perWindow - 1] as number) + this.windowMs);
  }

  /** Counts a send at `now` when allowed (its handle), else leaves the window unchanged (undefined). */
  trySend(now: number): Send | undefined {
    if (this.earliest(now) > now) return undefined;
    const send = { at: now };
    this.sent.push(send);
    if (this.sent.length > 2 * this.perWindow) this.sent.shift();
    return send;
  }
}
