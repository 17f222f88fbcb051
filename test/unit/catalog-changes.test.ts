import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CatalogChanges } from '../../src/loading/catalog-changes.js';

describe('CatalogChanges', () => {
  it('runs changes one at a time, in the order asked, whatever their delays and failures', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ delay: fc.integer({ min: 0, max: 3 }), fails: fc.boolean() }), { minLength: 1, maxLength: 12 }), async (changes) => {
        const catalog = new CatalogChanges();
        let running = 0;
        let most = 0;
        const started: number[] = [];
        const outcomes = await Promise.allSettled(
          changes.map((change, i) =>
            catalog.run(async () => {
              running += 1;
              most = Math.max(most, running);
              started.push(i);
              await new Promise((resolve) => setTimeout(resolve, change.delay));
              running -= 1;
              if (change.fails) throw new Error(`change ${i}`);
              return i;
            }),
          ),
        );
        assert.equal(most, 1, 'never two at once');
        assert.deepEqual(started, changes.map((_, i) => i), 'in the order asked');
        outcomes.forEach((outcome, i) => {
          if (changes[i]!.fails) assert.equal(outcome.status, 'rejected', 'its own failure is returned');
          else assert.deepEqual(outcome, { status: 'fulfilled', value: i }, 'a failure before it does not fail it');
        });
      }),
      { numRuns: 200 },
    );
  });
});
