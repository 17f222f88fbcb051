import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LoadCoordinator, type Outcome } from '../../src/loading/load-coordinator.js';

const turns = async (n: number) => {
  for (let i = 0; i < n; i += 1) await new Promise<void>((r) => setImmediate(r));
};

describe('LoadCoordinator', () => {
  it('C1-C5 hold for generated job sets: every job ends once, lanes in order, slots bounded', async () => {
    const job = fc.record({ lane: fc.nat(3), slot: fc.boolean(), delay: fc.nat(4), fails: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.array(job, { minLength: 1, maxLength: 25 }), fc.double({ min: 0, max: 0.3, noNaN: true }), async (parallelism, specs, failRate) => {
        const c = new LoadCoordinator(parallelism);
        const ended = new Map<number, string>();
        const laneRunning = new Map<number, number>();
        const started: Array<{ id: number; lane: number }> = [];
        let slotsRunning = 0;
        const problems: string[] = [];
        const outcomes: Array<Promise<Outcome>> = [];
        specs.forEach((spec, id) => {
          const fails = spec.fails && id / specs.length < failRate * 3;
          outcomes.push(
            c.submit({
              lane: `t${spec.lane}`,
              slot: spec.slot,
              run: async () => {
                if ((laneRunning.get(spec.lane) ?? 0) > 0) problems.push(`C3: lane ${spec.lane} ran two jobs at once`);
                laneRunning.set(spec.lane, 1);
                started.push({ id, lane: spec.lane });
                if (spec.slot && ++slotsRunning > parallelism) problems.push(`C4: ${slotsRunning} slot jobs at once`);
                try {
                  await turns(spec.delay);
                  if (fails) throw new Error(`job ${id} failed`);
                } finally {
                  if (spec.slot) slotsRunning -= 1;
                  laneRunning.set(spec.lane, 0);
                }
              },
              discard: async () => {
                if (ended.has(id)) problems.push(`C1: job ${id} discarded after ending`);
                ended.set(id, 'discarded');
              },
              onCommitted: () => {
                if (ended.has(id)) problems.push(`C1: job ${id} committed twice`);
                ended.set(id, 'committed');
              },
            }),
          );
        });
        const results = await Promise.all(outcomes);
        assert.deepEqual(problems, []);
        results.forEach((outcome, id) => {
          if (outcome === 'committed') assert.equal(ended.get(id), 'committed');
          if (outcome === 'cancelled') assert.equal(ended.get(id), 'discarded');
        });
        // C3: within a lane, jobs started in submission order.
        for (let lane = 0; lane < 4; lane += 1) {
          const ids = started.filter((s) => s.lane === lane).map((s) => s.id);
          assert.deepEqual(ids, [...ids].sort((x, y) => x - y));
        }
        // C2: nothing started after the first failure ended.
        const firstFailed = results.indexOf('failed');
        if (firstFailed >= 0) {
          assert.ok(c.failure);
          await assert.rejects(c.drain(), /failed/);
        } else {
          await c.drain();
          assert.equal(c.pendingLoads, 0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a failure cancels queued jobs and wakes waiters at once (C2)', async () => {
    const c = new LoadCoordinator(1);
    let release!: () => void;
    const blocker = c.submit({ lane: 'a', slot: true, run: () => new Promise<void>((r) => (release = r)) });
    const failing = c.submit({ lane: 'b', slot: false, run: async () => Promise.reject(new Error('boom')) });
    let discarded = false;
    const queued = c.submit({ lane: 'c', slot: true, run: async () => assert.fail('must not run'), discard: async () => void (discarded = true) });
    assert.equal((await c.failed).message, 'boom');
    assert.equal(await failing, 'failed');
    assert.equal(await queued, 'cancelled');
    assert.ok(discarded);
    await assert.rejects(c.waitForCapacity(), /boom/);
    release();
    assert.equal(await blocker, 'committed');
    await c.settle();
  });

  it('waitForCapacity waits while more loads are pending than slots', async () => {
    const c = new LoadCoordinator(1);
    const gates: Array<() => void> = [];
    for (const lane of ['a', 'b']) void c.submit({ lane, slot: true, run: () => new Promise<void>((r) => gates.push(r)) });
    let passed = false;
    const waiting = c.waitForCapacity().then(() => (passed = true));
    await turns(3);
    assert.equal(passed, false);
    gates.shift()!();
    await turns(3);
    gates.shift()?.();
    await waiting;
    assert.equal(passed, true);
    await c.drain();
  });
});
