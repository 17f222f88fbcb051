import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ageTrigger, effectiveParallelism, hardSizeTrigger, sizeTrigger } from '../../src/batching/flush-policy.js';

const limits = { batch_size_rows: 10, batch_max_bytes: 1000, batch_wait_limit_seconds: 2 };

describe('flush policy', () => {
  it('fires on rows, then bytes', () => {
    assert.equal(sizeTrigger({ rows: 9, bytes: 999, startedAt: 0 }, limits), undefined);
    assert.equal(sizeTrigger({ rows: 10, bytes: 0, startedAt: 0 }, limits), 'batch_size_rows (10) reached');
    assert.equal(sizeTrigger({ rows: 1, bytes: 1000, startedAt: 0 }, limits), 'batch_max_bytes (1000) reached');
  });
  it('holds a full batch for a STATE up to twice either size', () => {
    assert.equal(hardSizeTrigger({ rows: 19, bytes: 1999, startedAt: 0 }, limits), undefined);
    assert.equal(hardSizeTrigger({ rows: 20, bytes: 0, startedAt: 0 }, limits), 'twice batch_size_rows (10) reached without a STATE');
    assert.equal(hardSizeTrigger({ rows: 1, bytes: 2000, startedAt: 0 }, limits), 'twice batch_max_bytes (1000) reached without a STATE');
  });
  it('fires on age only with a limit and pending rows', () => {
    assert.equal(ageTrigger({ rows: 1, bytes: 1, startedAt: 1000 }, limits, 2999), undefined);
    assert.equal(ageTrigger({ rows: 1, bytes: 1, startedAt: 1000 }, limits, 3000), 'batch_wait_limit_seconds (2) reached');
    assert.equal(ageTrigger({ rows: 0, bytes: 0, startedAt: 0 }, limits, 1e12), undefined);
    assert.equal(ageTrigger({ rows: 1, bytes: 1, startedAt: 0 }, { ...limits, batch_wait_limit_seconds: undefined }, 1e12), undefined);
  });
  it('computes parallelism', () => {
    assert.equal(effectiveParallelism(0, 16, 2), 16);
    assert.equal(effectiveParallelism(-1, 16, 2), 2);
    assert.equal(effectiveParallelism(4, 3, 2), 3);
    assert.equal(effectiveParallelism(1, 16, 2), 1);
  });
});
