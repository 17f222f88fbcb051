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

  it('reports the snapshots and data files a run added, without maintenance', () => {
    assert.equal(snapshotsBefore.length, 50);
    assert.ok(filesBefore >= 50, `${filesBefore} data files after 50 flushes`);
    // Without maintenance the snapshots are counted as loads commit, the files read after the run.
    assert.match(first.stderr, new RegExp(`rows committed: ${LOGGED(schema)} 100 \\(\\+50 snapshot\\(s\\), \\+${filesBefore} data file\\(s\\)\\);`));
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

/**
 * The closing summary without maintenance: per table, the snapshots, data files and delete files
 * the run added, as the tables' `snapshots` and `files` metadata tables count them. A keyed
 * (merge-on-read) table whose second run updates rows (delete files) and an append-only table.
 */
describe('the closing summary without maintenance', () => {
  let schema: string;
  const runs: RunResult[] = [];
  /** Per run and table: snapshots, data files and delete files the table holds after it. */
  const counts: Array<Map<string, { snapshots: number; data: number; deletes: number }>> = [];

  function lines(run: number): string {
    const schemaLine = (stream: string, keys: string[]) =>
      JSON.stringify({ type: 'SCHEMA', stream, key_properties: keys, schema: { type: 'object', properties: { id: { type: 'integer' }, v: { type: 'string' } } } });
    const out = [schemaLine('items', ['id']), schemaLine('events', [])];
    // Run 0: items 0..9 and events 0..5; run 1: items 0..5 again (updates) and 10..11, events 6..9.
    const items = run === 0 ? [...Array(10).keys()] : [0, 1, 2, 3, 4, 5, 10, 11];
    const events = run === 0 ? [...Array(6).keys()] : [6, 7, 8, 9];
    for (const id of items) out.push(JSON.stringify({ type: 'RECORD', stream: 'items', record: { id, v: `r${run}-${id}` } }));
    for (const id of events) out.push(JSON.stringify({ type: 'RECORD', stream: 'events', record: { id, v: `r${run}-${id}` } }));
    out.push(JSON.stringify({ type: 'STATE', value: { run } }));
    return out.join('\n') + '\n';
  }

  before(async () => {
    schema = await freshSchema('sum');
    const config = await configFile({ default_target_schema: schema, primary_key_required: false, batch_size_rows: 3 });
    for (const run of [0, 1]) {
      const result = await runTarget(['--config', config], lines(run));
      assert.equal(result.code, 0, result.stderr);
      runs.push(result);
      const now = new Map<string, { snapshots: number; data: number; deletes: number }>();
      for (const table of ['ITEMS', 'EVENTS']) {
        const name = `spark_catalog.\`${schema}\`.${table}`;
        const [snapshots] = await query(`SELECT count(*) AS n FROM ${name}.snapshots`);
        const [files] = await query(`SELECT count_if(content = 0) AS data, count_if(content = 1) AS deletes FROM ${name}.files`);
        now.set(table, { snapshots: Number(snapshots?.n), data: Number(files?.data), deletes: Number(files?.deletes) });
      }
      counts.push(now);
    }
  });
  after(async () => {
    if (schema) await dropSchema(schema);
  });

  /** What the summary line of `run` says the run added to `table`. */
  function reported(run: number, table: string): { snapshots: number; data: number; deletes: number } {
    const name = `\`spark_catalog\`\\.\`${schema}\`\\.\`${table}\``;
    const found = new RegExp(`${name} \\d+ \\(\\+(\\d+) snapshot\\(s\\), \\+(\\d+) data file\\(s\\)(?:, \\+(\\d+) delete file\\(s\\))?\\)`).exec(runs[run]!.stderr);
    assert.ok(found, `no counts for ${table} in: ${runs[run]!.stderr}`);
    return { snapshots: Number(found[1]), data: Number(found[2]), deletes: Number(found[3] ?? 0) };
  }

  it("gives each table's snapshots and files as its metadata tables count them, a first run and one with updates", async () => {
    for (const table of ['ITEMS', 'EVENTS']) {
      // Run 0 created the tables: all they hold is the run's.
      assert.deepEqual(reported(0, table), counts[0]!.get(table), `run 0, ${table}`);
      // Merge-on-read updates and appends remove no file: run 1 added the difference.
      const [was, is] = [counts[0]!.get(table)!, counts[1]!.get(table)!];
      assert.deepEqual(reported(1, table), { snapshots: is.snapshots - was.snapshots, data: is.data - was.data, deletes: is.deletes - was.deletes }, `run 1, ${table}`);
    }
    // The updates of run 1 wrote delete files into the keyed table; the append-only table has none.
    assert.ok(reported(1, 'ITEMS').deletes > 0, runs[1]!.stderr);
    assert.equal(counts[1]!.get('EVENTS')!.deletes, 0);
    assert.deepEqual(await rows(schema, 'items', 'id, v', 'id'), [...Array(12).keys()].map((id) => ({ id, v: `r${id <= 5 || id >= 10 ? 1 : 0}-${id}` })));
    assert.ok(runs.every((r) => !/WARN/.test(r.stderr)), runs.map((r) => r.stderr).join('\n'));
  });
});
