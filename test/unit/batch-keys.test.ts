import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BatchKeys } from '../../src/engine/batch-keys.js';

describe('BatchKeys', () => {
  it('counts the keys a Set counts: numbers by SameValueZero, text by value', () => {
    const key = fc.oneof(
      fc.integer({ min: -50, max: 50 }),
      fc.maxSafeInteger(),
      fc.constantFrom(0, -0, 0.5, 1.5, -1.5, 2 ** 32, 2 ** 32 + 1, -(2 ** 32), 2 ** 53 - 1, 1e300, -1e-300),
      fc.double({ noNaN: true }),
      fc.constantFrom('1', '[1]', '["a",2]', ''),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(key, { maxLength: 3000 }), (keys) => {
        const counted = new BatchKeys();
        const expected = new Set<string | number>();
        for (const k of keys) {
          counted.add(k);
          expected.add(k);
          assert.equal(counted.size, expected.size);
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });
});
