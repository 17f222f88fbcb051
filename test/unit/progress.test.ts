import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Progress } from '../../src/engine/progress.js';
import type { Logger } from '../../src/logging.js';

const quiet = { info: () => undefined } as unknown as Logger;

describe('Progress', () => {
  it('reports throughput, batches by state and the oldest running load', () => {
    let now = 1_000;
    const p = new Progress(quiet, () => now);
    for (let i = 0; i < 5; i += 1) p.message('RECORD');
    p.message('SCHEMA');
    p.counts.batches = 3;
    p.begin('upload', '`c`.`s`.`B`');
    now = 2_000;
    p.begin('load', 'MERGE into `c`.`s`.`A`');
    now = 46_000;
    assert.equal(
      p.line(1),
      'Progress: 5 record(s) read (0/s); batches: 3 closed, 1 uploading, 1 loading, 0 committed, 1 waiting; upload for `c`.`s`.`B` running for 45 s',
    );
  });

  it('sums the time of each share and closes with a summary', () => {
    let now = 0;
    const p = new Progress(quiet, () => now);
    p.message('SCHEMA');
    p.message('RECORD');
    p.message('RECORD');
    p.message('STATE');
    p.counts.batches = 1;
    const upload = p.begin('upload', 'T');
    now = 2_000;
    p.end(upload);
    const load = p.begin('load', 'MERGE into T');
    now = 5_000;
    p.end(load);
    p.committed('T', 2);
    p.spent('read', 500);
    assert.equal(
      p.summary(),
      'Processed 4 line(s) of input (1 schema(s), 2 record(s), 1 state(s)) in 5.0 s; 1 batch(es) loaded: T 2 row(s); time: read 0.5 s, stage 0.0 s, upload 2.0 s, load 3.0 s',
    );
  });
});
