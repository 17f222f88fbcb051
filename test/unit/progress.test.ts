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

  it('sums the time of each share and closes with a summary that counts every message type', async () => {
    let now = 0;
    const p = new Progress(quiet, () => now);
    for (const type of ['SCHEMA', 'ACTIVATE_VERSION', 'RECORD', 'RECORD', 'STATE', 'BATCH', 'FANCY']) p.message(type);
    p.batchRecord();
    p.counts.batches = 1;
    p.spent('read', 500);
    p.spent('stage', 4);
    // The reader waits 1.5 s for a table's DDL.
    const setup = p.wait('setup', new Promise<void>((resolve) => setTimeout(resolve, 1)));
    now = 1_500;
    await setup;
    const upload = p.begin('upload', 'T');
    now = 2_000;
    p.end(upload);
    const first = p.begin('load', 'MERGE into T');
    const second = p.begin('load', 'MERGE into U');
    now = 5_000;
    p.end(first);
    p.end(second);
    p.committed('T', 2);
    assert.equal(
      p.summary(5.25),
      'Run finished in 5.25 s: 7 line(s) read (1 SCHEMA, 2 RECORD, 1 STATE, 1 ACTIVATE_VERSION, 1 BATCH, 1 of unknown type), 1 record(s) from BATCH files; ' +
        '1 batch(es) loaded, rows committed: T 2; time: reading input 0.500 s, staging 0.004 s, waiting for table set-up 1.50 s, waiting for loads 0.000 s; ' +
        'upload 0.500 s, load 6.00 s (summed over 2 parallel loads)',
    );
    assert.match(p.summary(61.04, true), /^Run failed after 61\.0 s: 7 line\(s\) read .*; 1 batch\(es\) closed, rows committed: T 2; /);
  });

  it('gives per table the snapshots, data and delete files the run added, and maintenance before and after', () => {
    const p = new Progress(quiet, () => 0);
    p.counts.batches = 2;
    p.committed('T', 4);
    p.committed('U', 1);
    p.snapshotAdded('T');
    p.snapshotAdded('T');
    p.snapshotAdded('U');
    p.snapshotAdded('V');
    p.snapshotAdded('W');
    p.runAdditions('T', { snapshots: 2, dataFiles: 3, deleteFiles: 0 });
    p.runAdditions('U', { snapshots: 1, dataFiles: 1, deleteFiles: 2 });
    p.runAdditions('V', { snapshots: 1, dataFiles: 0, deleteFiles: 0 });
    // W: its snapshot log could not be read: no file counts.
    const stats = (snapshots: number, dataFiles: number) => ({ snapshots, dataFiles, deleteFiles: 0, run: { snapshots: 2, dataFiles: 3, deleteFiles: 0 } });
    p.maintained('T', stats(51, 50), stats(6, 1));
    assert.match(
      p.summary(1),
      /; 2 batch\(es\) loaded, rows committed: T 4 \(\+2 snapshot\(s\), \+3 data file\(s\)\), U 1 \(\+1 snapshot\(s\), \+1 data file\(s\), \+2 delete file\(s\)\), other tables changed: V \(\+1 snapshot\(s\), \+0 data file\(s\)\), W \(\+1 snapshot\(s\)\); maintenance: T data files 50 -> 1, snapshots 51 -> 6; time: /,
    );
  });
});
