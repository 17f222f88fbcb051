import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RetryBudget, backoffDelay, retryAfterMs, withRetries, type Backoff, type RetryPolicy } from '../../src/retry-policy.js';
import { LakehouseGateway } from '../../src/spark/gateway.js';
import { RequestPacer } from '../../src/spark/request-pacer.js';
import { S3_BACKOFF, s3Verdict } from '../../src/storage/s3-errors.js';
import { busiestWindow } from '../support/fake-gateway.js';

/** A policy on a model clock: sleeping moves the clock, attempts are recorded with their time. */
function modelled(policy: Omit<RetryPolicy, 'now' | 'sleep'>, clock = { now: 0 }): RetryPolicy & { waits: number[] } {
  const waits: number[] = [];
  return {
    ...policy,
    waits,
    now: () => clock.now,
    sleep: async (ms) => {
      waits.push(ms);
      clock.now += ms;
    },
  };
}

class Refused extends Error {
  constructor(readonly afterMs?: number) {
    super('refused');
  }
}
const classifyRefused = (e: unknown) => (e instanceof Refused ? (e.afterMs === undefined ? {} : { afterMs: e.afterMs }) : undefined);

const backoffArb: fc.Arbitrary<Backoff> = fc.record({
  firstMs: fc.integer({ min: 1, max: 5_000 }),
  maxMs: fc.integer({ min: 1, max: 60_000 }),
  jitter: fc.constantFrom('full' as const, 'equal' as const),
});

describe('retry policy', () => {
  it('backoff delays stay within [0, ceiling] (full jitter) or [ceiling/2, ceiling] (equal jitter)', () => {
    fc.assert(
      fc.property(backoffArb, fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (backoff, attempt, random) => {
        const ceiling = Math.min(backoff.maxMs, backoff.firstMs * 2 ** (attempt - 1));
        const delay = backoffDelay(backoff, attempt, random);
        assert.ok(delay <= Math.round(ceiling) && delay >= (backoff.jitter === 'equal' ? Math.floor(ceiling / 2) : 0), `${delay} for ceiling ${ceiling}`);
      }),
    );
  });

  it("S3's 503 SlowDown is retried, and its waits grow until the cap, whatever the jitter", async () => {
    const slowDown = Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
    assert.deepEqual(s3Verdict(slowDown), { backoff: S3_BACKOFF });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 12, maxLength: 12 }), async (randoms) => {
        let i = 0;
        const policy = modelled({ classify: s3Verdict, backoff: S3_BACKOFF, budget: new RetryBudget(120_000), random: () => randoms[i++ % randoms.length] as number });
        await assert.rejects(withRetries(policy, () => Promise.reject(slowDown)));
        // The last wait may be cut to end with the budget.
        const waits = policy.waits.slice(0, -1);
        const belowCap = waits.filter((_, n) => S3_BACKOFF.firstMs * 2 ** n < S3_BACKOFF.maxMs);
        assert.equal(belowCap.length, 4);
        for (let n = 1; n < belowCap.length; n += 1) assert.ok((belowCap[n] as number) >= (belowCap[n - 1] as number), `waits ${belowCap.join(', ')}`);
        assert.ok(waits.slice(belowCap.length).every((w) => w >= S3_BACKOFF.maxMs / 2 && w <= S3_BACKOFF.maxMs), `waits ${waits.join(', ')}`);
      }),
    );
  });

  it('no attempt starts after the budget; Retry-After is waited exactly; a wait past the budget is not started', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 30_000 }),
        backoffArb,
        fc.array(fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 1_000 }),
        async (budgetMs, backoff, retryAfters, workMs) => {
          const clock = { now: 0 };
          const attempts: number[] = [];
          const policy = modelled({ classify: classifyRefused, backoff, budget: new RetryBudget(budgetMs), random: () => 0.5 }, clock);
          let n = 0;
          const outcome = await withRetries(policy, async () => {
            attempts.push(clock.now);
            clock.now += workMs;
            const afterMs = retryAfters[n++];
            if (n > retryAfters.length) return 'done';
            throw new Refused(afterMs);
          }).catch((e: unknown) => e);
          const firstFailure = workMs;
          for (const at of attempts.slice(1)) assert.ok(at <= firstFailure + budgetMs, `attempt at ${at}, budget ends ${firstFailure + budgetMs}`);
          policy.waits.forEach((wait, k) => {
            const asked = retryAfters[k];
            if (asked !== undefined) assert.equal(wait, asked, 'Retry-After honoured');
            else assert.ok(wait <= backoffDelay(backoff, k + 1, 0.5));
          });
          if (outcome !== 'done') assert.ok(outcome instanceof Refused);
        },
      ),
    );
  });

  it('one budget for a failure burst: after an outage used it up, the next operation fails at its first error', async () => {
    const budget = new RetryBudget(10_000);
    const clock = { now: 0 };
    const policy = modelled({ classify: classifyRefused, backoff: { firstMs: 1_000, maxMs: 4_000, jitter: 'equal' }, budget }, clock);
    await assert.rejects(withRetries(policy, () => Promise.reject(new Refused())));
    const retries = policy.waits.length;
    assert.ok(retries >= 3);
    let calls = 0;
    await assert.rejects(withRetries(policy, () => (calls++, Promise.reject(new Refused()))));
    assert.equal(calls, 1, 'the cleanup call is not retried');
    assert.equal(policy.waits.length, retries);
    // A success ends the burst: the next failure has the whole budget again.
    assert.equal(await withRetries(policy, async () => 'ok'), 'ok');
    let again = 0;
    assert.equal(await withRetries(policy, async () => (++again < 3 ? Promise.reject(new Refused()) : 'ok')), 'ok');
  });

  it('failures the caller does not classify as repeatable are thrown at once; maxAttempts caps the attempts', async () => {
    let calls = 0;
    const policy = modelled({ classify: classifyRefused, backoff: S3_BACKOFF, budget: new RetryBudget(60_000), maxAttempts: 3 });
    await assert.rejects(withRetries(policy, () => (calls++, Promise.reject(new Error('permanent')))), /permanent/);
    assert.equal(calls, 1);
    calls = 0;
    await assert.rejects(withRetries(policy, () => (calls++, Promise.reject(new Refused()))));
    assert.equal(calls, 3);
  });

  it('Retry-After: delay-seconds, an HTTP-date, a past date, nothing or garbage', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    assert.equal(retryAfterMs('7', now), 7_000);
    assert.equal(retryAfterMs(' 0 ', now), 0);
    assert.equal(retryAfterMs('Mon, 07 Dec 2026 10:00:03 GMT', now), 3_000);
    assert.equal(retryAfterMs('Mon, 07 Dec 2026 09:59:00 GMT', now), 0);
    assert.equal(retryAfterMs(['2'], now), 2_000);
    assert.equal(retryAfterMs(undefined, now), undefined);
    assert.equal(retryAfterMs('soon', now), undefined);
    assert.equal(retryAfterMs('-1', now), undefined);
  });
});

describe('request pacing (max_requests_per_second)', () => {
  it('whatever the arrival pattern, no window of one second holds more sends than the limit', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 50, noNaN: true }), fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 200 }), (perSecond, gaps) => {
        const pacer = new RequestPacer(perSecond);
        const sent: number[] = [];
        let arrival = 0;
        for (const gap of gaps) {
          arrival += gap;
          let now = arrival;
          let send = pacer.trySend(now);
          for (; !send; send = pacer.trySend(now)) now = pacer.earliest(now);
          // Some requests leave late (a new connection, a busy event loop): counted from then.
          send.at = now + (gap % 7 === 0 ? gap % 300 : 0);
          sent.push(send.at);
        }
        assert.ok(busiestWindow(sent, 1000) <= Math.max(1, Math.floor(perSecond)));
        if (perSecond < 1) for (let i = 1; i < sent.length; i += 1) assert.ok((sent[i] as number) - (sent[i - 1] as number) >= 1000 / perSecond);
      }),
    );
  });

  it('requests under the limit are not delayed', () => {
    const pacer = new RequestPacer(10);
    for (let at = 0; at < 5_000; at += 200) assert.deepEqual(pacer.trySend(at), { at });
  });
});

describe('the gateway warning', () => {
  it('is said once per burst of 429 refusals, not once per request', () => {
    const clock = { now: 0 };
    const warnings: string[] = [];
    const gateway = new LakehouseGateway({ rate_limit_retry_seconds: 120 }, (m) => warnings.push(m), () => clock.now);
    for (const at of [0, 500, 1_000, 30_000, 80_000]) {
      clock.now = at;
      gateway.refused();
    }
    assert.equal(warnings.length, 1);
    clock.now = 80_000 + 61_000;
    gateway.refused();
    assert.equal(warnings.length, 2, 'a minute without a refusal ends the burst');
    assert.equal(
      warnings[0],
      "The lakehouse's gateway is rate-limiting requests (HTTP 429); waiting and retrying them (budget 120 s, 'rate_limit_retry_seconds'; set 'max_requests_per_second' to stay under the access token's limit)",
    );
  });
});
