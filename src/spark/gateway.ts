/**
 * What every session of a run shares about the lakehouse's gateway (iomete answers HTTP 429 to a
 * token's requests over its requests-per-second limit, before they reach Spark): the pacer of
 * `max_requests_per_second`, the failure burst of 429 refusals (`rate_limit_retry_seconds`), the
 * burst of failed session opens, and the WARN that is said once per burst of refusals.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { LoadError } from '../errors.js';
import { RetryBudget, type Backoff } from '../retry-policy.js';
import { RequestPacer } from './request-pacer.js';

export interface GatewaySettings {
  /** Paces every thrift request of the run; undefined: no pacing. */
  max_requests_per_second?: number;
  /** How long requests refused with 429 are repeated (default 300 s). */
  rate_limit_retry_seconds?: number;
}

/** Waits between repeats of a refused request when the gateway sends no Retry-After. */
export const RATE_LIMIT_BACKOFF: Backoff = { firstMs: 500, maxMs: 20_000, jitter: 'full' };

/** A new burst of refusals (and its WARN) starts after this long without a 429. */
const QUIET_MS = 60_000;

const DEFAULT_RATE_LIMIT_RETRY_SECONDS = 300;

/** The gateway refused a request with HTTP 429; `retryAfterMs` is its Retry-After, when given. */
export class RateLimited extends Error {
  constructor(readonly retryAfterMs: number | undefined) {
    super('HTTP 429 Too Many Requests');
    this.name = 'RateLimited';
  }
}

export class LakehouseGateway {
  readonly rateLimitBudget: RetryBudget;
  /** Session opens that fail (compute starting, network) share one burst too. */
  readonly sessionOpenBudget = new RetryBudget(60_000);
  private readonly pacer?: RequestPacer;
  private lastRefusal = -Infinity;

  constructor(
    private readonly settings: GatewaySettings = {},
    private readonly onWarn: (message: string) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.rateLimitBudget = new RetryBudget((settings.rate_limit_retry_seconds ?? DEFAULT_RATE_LIMIT_RETRY_SECONDS) * 1000);
    if (settings.max_requests_per_second !== undefined) this.pacer = new RequestPacer(settings.max_requests_per_second);
  }

  /**
   * Resolves when the next request may be sent, counting it as sent (at once without
   * `max_requests_per_second`); the caller sends it synchronously and calls the function it
   * resolves to once the request has left (its bytes handed to the network).
   */
  async pace(): Promise<() => void> {
    const pacer = this.pacer;
    if (!pacer) return () => undefined;
    for (;;) {
      const now = this.now();
      const send = pacer.trySend(now);
      if (send) return () => void (send.at = Math.max(send.at, this.now()));
      await delay(pacer.earliest(now) - now);
    }
  }

  /** Told of each refused request that will be repeated: the first of a burst is logged. */
  refused(): void {
    const now = this.now();
    if (now - this.lastRefusal > QUIET_MS) {
      const budget = this.rateLimitBudget.ms / 1000;
      const pacing = this.settings.max_requests_per_second === undefined ? 'set' : 'lower';
      this.onWarn(
        `The lakehouse's gateway is rate-limiting requests (HTTP 429); waiting and retrying them (budget ${budget} s, 'rate_limit_retry_seconds'; ${pacing} 'max_requests_per_second' to stay under the access token's limit)`,
      );
    }
    this.lastRefusal = now;
  }

  /** The run's error once refusals outlasted the budget. */
  gaveUp(where: string): LoadError {
    const budget = this.rateLimitBudget.ms / 1000;
    return new LoadError(
      `The lakehouse's gateway at ${where} kept refusing requests with HTTP 429 (the access token's rate limit) beyond 'rate_limit_retry_seconds' (${budget} s); set 'max_requests_per_second' under the token's limit, or raise 'rate_limit_retry_seconds'`,
    );
  }
}
