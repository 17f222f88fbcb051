import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { configFile, dropSchema, freshSchema, query, rows, runTarget, type RunResult } from './harness.js';

/**
 * Table maintenance on the local lakehouse. A table gets 50 small flushes (batch_size_rows 2) in a
 * run without maintenance; the next run, with maintenance, compacts it, keeps every row and
 * expires no snapshot younger than the retention; with Iceberg's garbage collection turned off
 * for the table, the expiry fails and the run still succeeds with one WARN.
 */
const STREAM = 'events';
/** How log lines name the table (Hive table names are upper-cased by the target). */
const LOGGED = (schema: string) => `\`spark_catalog\`\\.\`${schema}\`\\.\`EVENTS\``;

/** `count` records from id `from`, a tap STATE after every second one (an append batch that is full closes at the next STATE), then `{ done: state }`. */
function input(from: number, count: number, state: number): string {
  const lines = [JSON.stringify({ type: 'SCHEMA', stream: STREAM, key_properties: [], schema: { type: 'object', properties: { id: { type: 'integer' }, v: { type: 'string' } } } })];
  for (let id = from; id < from + count; id += 1) {
    lines.push(JSON.stringify({ type: 'RECORD', stream: STREAM, record: { id, v: `v${id}` } }));
    if ((id - from) % 2 === 1 && id < from + count - 1) lines.push(JSON.stringify({ type: 'STATE', value: { at: id } }));
  }
  lines.push(JSON.stringify({ type: 'STATE', value: { done: state } }));
  return lines.join('\n') + '\n';
}

describe('table maintenance', () => {
  let schema: string;
  let table: string;
  let settings: Record<string, unknown>;
  let first: RunResult;
  let filesBefore: number;
  let snapshotsBefore: string[];
  let maintained: RunResult;
  let failing: RunResult;

  const count = async (sql: string) => Number((await query(sql))[0]?.n);
  const snapshotIds = async () => (await query(`SELECT CAST(snapshot_id AS STRING) AS id FROM ${table}.snapshots ORDER BY committed_at`)).map((r) => String(r.id));

  before(async () => {
    schema = await freshSchema('mnt');
    table = `spark_catalog.\`${schema}\`.${STREAM}`;
    settings = { default_target_schema: schema, primary_key_required: false, batch_size_rows: 2 };
    first = await runTarget(['--config', await configFile(settings)], input(0, 100, 1));
    assert.equal(first.code, 0, first.stderr);
    filesBefore = await count(`SELECT count(*) AS n FROM ${table}.files`);
    snapshotsBefore = await snapshotIds();
    const withMaintenance = {
      ...settings,
      maintenance: true,
      maintenance_compact_min_input_files: 2,
      maintenance_snapshot_retention_hours: 1,
      maintenance_retain_last_snapshots: 1,
      maintenance_rewrite_manifests_min: 2,
    };
    maintained = await runTarget(['--config', await configFile(withMaintenance)], input(100, 2, 2));
    await query(`ALTER TABLE ${table} SET TBLPROPERTIES ('gc.enabled'='false')`);
    failing = await runTarget(['--config', await configFile(withMaintenance)], input(102, 2, 3));
  });
  after(async () => {
    if (schema) await dropSchema(schema);
  });

  it('reports the snapshots a run added, without maintenance', () => {
    assert.equal(snapshotsBefore.length, 50);
    assert.ok(filesBefore >= 50, `${filesBefore} data files after 50 flushes`);
    // Without maintenance the snapshots are counted as loads commit: no statement reads the snapshot log.
    assert.match(first.stderr, new RegExp(`rows committed: ${LOGGED(schema)} 100 \\(\\+50 snapshot\\(s\\)\\);`));
    assert.doesNotMatch(first.stderr, /Maintained|maintenance:/);
  });

  it('cuts the file count, keeps every row, and expires no snapshot younger than the retention', async () => {
    assert.equal(maintained.code, 0, maintained.stderr);
    assert.deepEqual(maintained.states, [{ done: 2 }]);
    const filesAfter = await count(`SELECT count(*) AS n FROM ${table}.files`);
    assert.ok(filesAfter <= 2, `${filesAfter} data files after compaction (were ${filesBefore + 1})`);
    const line = new RegExp(
      `Maintained ${LOGGED(schema)} after the run in [\\d.]+ s \\(compacted, expired snapshots older than 1 h, rewrote manifests\\): data files ${filesBefore + 1} -> \\d, delete files 0 -> 0, snapshots 51 -> 5[23]`,
    );
    assert.match(maintained.stderr, line);
    assert.match(maintained.stderr, new RegExp(`rows committed: ${LOGGED(schema)} 2 \\(\\+1 snapshot\\(s\\), \\+1 data file\\(s\\)\\);`));
    assert.match(maintained.stderr, new RegExp(`maintenance: ${LOGGED(schema)} data files ${filesBefore + 1} -> \\d, snapshots 51 -> 5[23];`));
    // Every snapshot of the loads is younger than an hour, so none is expired despite retain_last 1.
    const kept = await snapshotIds();
    assert.deepEqual(kept.slice(0, 50), snapshotsBefore);
    const operations = (await query(`SELECT operation FROM ${table}.snapshots ORDER BY committed_at`)).map((r) => r.operation);
    assert.deepEqual(operations.slice(51, 53), ['replace', 'replace']);
  });

  it('a failing maintenance step is one WARN, the run exits 0 with every row loaded', async () => {
    assert.equal(failing.code, 0, failing.stderr);
    assert.deepEqual(failing.states, [{ done: 3 }]);
    const warnings = failing.stderr.split('\n').filter((l) => /\bWARN/i.test(l));
    assert.equal(warnings.length, 1, failing.stderr);
    assert.match(
      warnings[0]!,
      new RegExp(`Maintenance of ${LOGGED(schema)} failed at expire_snapshots and was skipped \\(the loaded data is committed\\): .*GC is disabled.*; check the 'maintenance_\\*' settings`),
    );
    const all = await rows(schema, STREAM, 'id, v', 'id');
    assert.deepEqual(all, Array.from({ length: 104 }, (_, id) => ({ id, v: `v${id}` })));
  });
});
