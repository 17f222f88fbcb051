import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/config.js';
import type { Logger } from '../../src/logging.js';
import { TableMaintenance, type MaintenanceReport, type TableStats } from '../../src/loading/table-maintenance.js';
import type { Row } from '../../src/spark/executor.js';
import type { RunAdditions } from '../../src/sql/run-additions.js';

const base = { host: 'h', lakehouse: 'lh', user: 'u', password: 'p', s3_bucket: 'b', default_target_schema: 's' };
const orders = { catalog: 'spark_catalog', schema: 's', table: 'orders' };
const items = { catalog: 'spark_catalog', schema: 's', table: 'items' };
const start = new Date('2026-12-07T10:00:00.000Z');

/** A lakehouse that records statements, answers snapshot-log reads, advances a clock, and fails what `fails` matches. */
function setup(settings: Record<string, unknown>, fails?: RegExp, msPerStatement = 1000) {
  const { config } = resolveConfig({ ...base, maintenance: true, ...settings });
  const statements: string[] = [];
  const lines: Array<[string, string]> = [];
  const log = Object.fromEntries(['error', 'warn', 'info', 'debug'].map((l) => [l, (m: string) => void lines.push([l, m])])) as unknown as Logger;
  let clock = start.getTime();
  let reads = 0;
  const sql = {
    query: async (text: string): Promise<Row[]> => {
      statements.push(text);
      clock += msPerStatement;
      if (fails?.test(text)) throw new Error('boom\nat some.Java.Frame');
      if (!text.startsWith('SELECT')) return [];
      // The summary's read of many tables: a row per table, by position.
      if (text.startsWith('SELECT 0 AS i')) return text.split(' UNION ALL ').map((_, i) => ({ i, run_snapshots: 2, run_data_files: 3 + i, run_delete_files: 1 }));
      reads += 1;
      // Before maintenance 50 files, 51 snapshots, 30 manifests; after it 1 file, 6 snapshots.
      return [reads % 2 === 1 ? { snapshots: 51, data_files: 50, delete_files: 3, run_snapshots: 50, run_data_files: 50, run_delete_files: 2, manifests: 30 } : { snapshots: 6, data_files: 1, delete_files: 0, run_snapshots: 50, run_data_files: 50 }];
    },
    close: async () => undefined,
  };
  const reported: Array<[string, TableStats, TableStats]> = [];
  const added: Array<[string, RunAdditions]> = [];
  const snapshots: string[] = [];
  const report: MaintenanceReport = {
    snapshotAdded: (t) => void snapshots.push(t),
    runAdditions: (t, a) => void added.push([t, a]),
    maintained: (t, b, a) => void reported.push([t, b, a]),
  };
  const upkeep = new TableMaintenance(sql, config, log, report, () => undefined, () => clock);
  return { upkeep, statements, lines, reported, added, snapshots };
}

const procedures = (statements: string[]) => statements.map((s) => /system\.(\w+)/.exec(s)?.[1] ?? (s.includes('`manifests`') ? 'stats+manifests' : 'stats'));

describe('table maintenance', () => {
  it('after the run: stats, compaction, expiry, manifest rewrite when many, stats; one INFO line per table', async () => {
    const { upkeep, statements, lines, reported, added } = setup({});
    assert.equal(upkeep.committed(orders), undefined);
    const jobs = upkeep.finalJobs();
    assert.deepEqual(jobs.map((j) => [j.lane, j.slot, j.backpressure]), [['`spark_catalog`.`s`.`orders`', true, false]]);
    await jobs[0]!.run();
    assert.deepEqual(procedures(statements), ['stats+manifests', 'rewrite_data_files', 'expire_snapshots', 'rewrite_manifests', 'stats']);
    // The retention is counted from the clock at the time of the expiry (start + 2 statements).
    assert.match(statements[2]!, /older_than => TIMESTAMP '2026-11-30T10:00:02.000Z', retain_last => 5\)$/);
    assert.deepEqual(lines, [
      [
        'info',
        'Maintained `spark_catalog`.`s`.`orders` after the run in 5.0 s (compacted, expired snapshots older than 168 h, rewrote manifests): data files 50 -> 1, delete files 3 -> 0, snapshots 51 -> 6',
      ],
    ]);
    assert.equal(reported.length, 1);
    // The stats before maintenance are the summary's: the run's one commit is the newest load snapshot.
    assert.match(statements[0]!, /`orders`\.`snapshots` WHERE operation <> 'replace' ORDER BY committed_at DESC LIMIT 1\)\)$/);
    assert.deepEqual(added, [['`spark_catalog`.`s`.`orders`', { snapshots: 50, dataFiles: 50, deleteFiles: 2 }]]);
    // Nothing is read twice: the summary's read after maintenance has no table left.
    await upkeep.readAdditions(4);
    assert.equal(statements.length, 5);
  });

  it('skips manifests below the threshold, removes orphan files only when asked', async () => {
    const few = setup({ maintenance_rewrite_manifests_min: 31, maintenance_compact: false });
    few.upkeep.committed(orders);
    await few.upkeep.finalJobs()[0]!.run();
    assert.deepEqual(procedures(few.statements), ['stats+manifests', 'expire_snapshots', 'stats']);
    const orphans = setup({ maintenance_remove_orphan_files: true, maintenance_expire_snapshots: false, maintenance_rewrite_manifests_min: 0 });
    orphans.upkeep.committed(orders);
    await orphans.upkeep.finalJobs()[0]!.run();
    assert.deepEqual(procedures(orphans.statements), ['stats+manifests', 'rewrite_data_files', 'remove_orphan_files', 'stats']);
    assert.match(orphans.statements[2]!, /older_than => TIMESTAMP '2026-12-04T10:00:02.000Z'\)$/);
  });

  it('a failing step is one WARN and ends that table\'s maintenance; the job still succeeds', async () => {
    const { upkeep, statements, lines } = setup({}, /rewrite_data_files/);
    upkeep.committed(orders);
    await upkeep.finalJobs()[0]!.run();
    assert.deepEqual(procedures(statements), ['stats+manifests', 'rewrite_data_files']);
    assert.deepEqual(lines, [
      ['warn', "Maintenance of `spark_catalog`.`s`.`orders` failed at rewrite_data_files and was skipped (the loaded data is committed): boom; check the 'maintenance_*' settings"],
    ]);
  });

  it('without maintenance, commits are counted for the summary, whose one read after the run gives the files they added', async () => {
    const off = setup({ maintenance: false, maintenance_every_commits: 1 });
    assert.equal(off.upkeep.committed(orders), undefined);
    assert.equal(off.upkeep.committed(orders), undefined);
    assert.equal(off.upkeep.committed(items), undefined);
    assert.deepEqual(off.upkeep.finalJobs(), []);
    assert.deepEqual(off.statements, []);
    assert.deepEqual(off.snapshots, ['`spark_catalog`.`s`.`orders`', '`spark_catalog`.`s`.`orders`', '`spark_catalog`.`s`.`items`']);
    // One statement at a time: both tables in one.
    await off.upkeep.readAdditions(1);
    assert.equal(off.statements.length, 1);
    assert.match(off.statements[0]!, /^SELECT 0 AS i, .*`orders`\.`snapshots` .* LIMIT 2\) UNION ALL SELECT 1 AS i, .*`items`\.`snapshots` .* LIMIT 1\)$/);
    assert.deepEqual(off.added, [
      ['`spark_catalog`.`s`.`orders`', { snapshots: 2, dataFiles: 3, deleteFiles: 1 }],
      ['`spark_catalog`.`s`.`items`', { snapshots: 2, dataFiles: 4, deleteFiles: 1 }],
    ]);
  });

  it('with summary_file_counts off, reads nothing after the run: the summary gives snapshots only', async () => {
    const off = setup({ maintenance: false, summary_file_counts: false });
    off.upkeep.committed(orders);
    await off.upkeep.readAdditions(4);
    assert.deepEqual(off.statements, []);
    assert.deepEqual(off.added, []);
    assert.deepEqual(off.snapshots, ['`spark_catalog`.`s`.`orders`']);
  });

  it('a failed read of what the run added is one WARN, and the summary goes without those counts', async () => {
    const off = setup({ maintenance: false }, /^SELECT 0 AS i/);
    off.upkeep.committed(orders);
    await off.upkeep.readAdditions(1);
    assert.deepEqual(off.added, []);
    assert.deepEqual(off.lines.filter(([level]) => level !== 'debug'), [
      ['warn', 'Could not read from their snapshot logs the data files the run added to 1 table(s); the summary leaves them out (the loaded data is committed): boom'],
    ]);
  });

  it('every N commits of a table gives a maintenance job for its lane, which compacts but expires nothing', async () => {
    const { upkeep, statements } = setup({ maintenance_every_commits: 2, maintenance_remove_orphan_files: true });
    assert.equal(upkeep.committed(orders), undefined);
    assert.equal(upkeep.committed(items), undefined);
    const job = upkeep.committed(orders);
    assert.equal(job?.lane, '`spark_catalog`.`s`.`orders`');
    assert.equal(upkeep.committed(orders), undefined);
    await job!.run();
    // During the run: no snapshot expiry (a resumed run may roll back commits not yet covered by a state line).
    assert.deepEqual(procedures(statements), ['stats+manifests', 'rewrite_data_files', 'rewrite_manifests', 'stats']);
    assert.equal(upkeep.finalJobs().length, 2);
  });

  it('once the time budget is spent, remaining tables are skipped and named in one INFO line', async () => {
    const { upkeep, lines, statements } = setup({ maintenance_time_budget_seconds: 4 });
    upkeep.committed(orders);
    upkeep.committed(items);
    const [first, second] = upkeep.finalJobs();
    await first!.run();
    await second!.run();
    upkeep.finish();
    // The skipped table is not maintained; the summary's read after the run covers it alone.
    assert.deepEqual(procedures(statements), ['stats+manifests', 'rewrite_data_files', 'expire_snapshots', 'rewrite_manifests', 'stats']);
    await upkeep.readAdditions(4);
    assert.match(statements.at(-1)!, /^SELECT 0 AS i, .*`items`\.`snapshots` .* LIMIT 1\)$/);
    assert.doesNotMatch(statements.at(-1)!, /orders/);
    assert.deepEqual(lines.filter(([level]) => level !== 'debug').at(-1), [
      'info',
      "Maintenance time budget of 4 s spent: skipped 1 table(s): `spark_catalog`.`s`.`items` (raise 'maintenance_time_budget_seconds' to maintain them)",
    ]);
  });
});
