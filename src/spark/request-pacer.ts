/**
 * Paces the requests of a whole run (every session together) under `max_requests_per_second`, so
 * a lakehouse token with a requests-per-second limit is never refused by the gateway.
 *
 * A sliding window rather than a token bucket: a bucket lets a full bucket's burst through on top
 * of the rate, which a gateway counting requests per second refuses. The window holds the times
 * requests were actually sent (not the times they were planned for: a busy event loop sends a
 * request late, and the next ones must count from then), so no window of `windowMs` holds more
 * than `perWindow` of them, whichever session sent them.
 */

/** Covers the jitter between our send and the gateway's arrival and a busy event loop between counting a request as sent and writing it (measured: up to 40 ms). */
const MARGIN_MS = 100;

export class RequestPacer {
  private readonly perWindow: number;
  private readonly windowMs: number;
  /** The last `perWindow` send times, oldest first. */
  private readonly sent: number[] = [];

  constructor(perSecond: number) {
    if (!(perSecond > 0)) throw new RangeError('perSecond must be positive');
    // At least one request per window; under 1 per second the window grows instead (0.5/s: 1 per 2 s).
    this.perWindow = Math.max(1, Math.floor(perSecond));
    this.windowMs = Math.max(1000, (1000 * this.perWindow) / perSecond) + MARGIN_MS;
  }

  /** Pure: the earliest time at or after `now` at which a request may be sent. */
  earliest(now: number): number {
    if (this.sent.length < this.perWindow) return now;
    return Math.max(now, (this.sent[this.sent.length - this.perWindow] as number) + this.windowMs);
  }

  /** Records a send at `now` when allowed (true), else leaves the window unchanged (false). */
  trySend(now: number): boolean {
    if (this.earliest(now) > now) return false;
    this.sent.push(now);
    if (this.sent.length > this.perWindow) this.sent.shift();
    return true;
  }
}
