/**
 * The one retry policy of the target, for S3 and the lakehouse alike. A caller says which of its
 * failures may be repeated (`classify`: only operations that are safe to send again, e.g. an upload
 * to a fixed key, a session open, or a thrift request the gateway refused with HTTP 429 before it
 * reached Spark); this module decides when, and when to stop:
 *
 *  P1  a retry waits the server's `Retry-After` when it gave one, else an exponential backoff with
 *      jitter (full jitter: uniform in [0, ceiling]; equal jitter: in [ceiling/2, ceiling], so the
 *      waits of one operation never shrink until the cap);
 *  P2  no attempt starts later than `budget.ms` after the operation's first failure, nor after the
 *      service's current failure burst began (a burst ends at the service's next success). So one
 *      budget covers a run's whole failure path: once an outage has used it up, the cleanup calls
 *      that follow fail at their first error instead of waiting a budget each;
 *  P3  a backoff wait is cut to end at the budget's end; a `Retry-After` that ends past it is not
 *      waited at all: the operation fails at once (the server said it will refuse until then).
 *
 * The AWS SDK's own retries are off where this runs (storage/s3-object-store.ts sets maxAttempts 1),
 * so one attempt here is one request.
 */

import { setTimeout as delay } from 'node:timers/promises';

export interface Backoff {
  /** Ceiling of the first wait; each next ceiling doubles up to `maxMs`. */
  firstMs: number;
  maxMs: number;
  jitter: 'full' | 'equal';
}

/** What a failure allows: undefined = fail now; otherwise retry, after `afterMs` when the server said so. */
type Verdict = undefined | { afterMs?: number; backoff?: Backoff };

/**
 * The failure burst of one service (S3, the lakehouse's gateway), shared by every operation on it.
 * Pure state; the clock is passed in.
 */
export class RetryBudget {
  private burstStart?: number;

  constructor(readonly ms: number) {}

  failed(now: number): void {
    this.burstStart ??= now;
  }

  succeeded(): void {
    this.burstStart = undefined;
  }

  /** When the current burst's budget ends (Infinity outside a burst). */
  deadline(): number {
    return this.burstStart === undefined ? Infinity : this.burstStart + this.ms;
  }
}

export interface RetryPolicy {
  classify(error: unknown): Verdict;
  /** The waits when the verdict names none. */
  backoff: Backoff;
  budget: RetryBudget;
  /** At most this many attempts in all (unbounded: the budget alone decides). */
  maxAttempts?: number;
  /** Told of every retry before its wait (the caller logs it). */
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
  sleep?(ms: number): Promise<void>;
  now?(): number;
  random?(): number;
}

/** Pure: the wait before retry `attempt` (1 = the first retry), for a random number in [0, 1). */
export function backoffDelay(backoff: Backoff, attempt: number, random: number): number {
  const ceiling = Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.min(attempt - 1, 30));
  const floor = backoff.jitter === 'equal' ? ceiling / 2 : 0;
  return Math.round(floor + (ceiling - floor) * random);
}

/**
 * Pure: a `Retry-After` header's wait in ms (delay-seconds or an HTTP-date, RFC 9110 10.2.3), or
 * undefined when absent or unreadable. A date in the past means no wait.
 */
export function retryAfterMs(header: string | readonly string[] | undefined, now: number): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Every HTTP-date form starts with the day's name; Date.parse alone would read '-1' as a year.
  const at = /^[A-Za-z]{3}/.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Runs `operation`, repeating it per the policy (P1-P3); the last error is thrown when it gives up. */
export async function withRetries<T>(policy: RetryPolicy, operation: () => Promise<T>): Promise<T> {
  const now = policy.now ?? Date.now;
  const sleep = policy.sleep ?? ((ms: number) => delay(ms));
  const random = policy.random ?? Math.random;
  let firstFailure: number | undefined;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const result = await operation();
      policy.budget.succeeded();
      return result;
    } catch (e) {
      const verdict = policy.classify(e);
      if (verdict === undefined) throw e;
      const at = now();
      policy.budget.failed(at);
      firstFailure ??= at;
      const deadline = Math.min(firstFailure + policy.budget.ms, policy.budget.deadline());
      if (policy.maxAttempts !== undefined && attempt >= policy.maxAttempts) throw e;
      const left = deadline - at;
      if (left <= 0 || (verdict.afterMs ?? 0) > left) throw e;
      const wait = verdict.afterMs ?? Math.min(left, backoffDelay(verdict.backoff ?? policy.backoff, attempt, random()));
      policy.onRetry?.(e, attempt, wait);
      await sleep(wait);
    }
  }
}
