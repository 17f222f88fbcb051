import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixtures, committedRows, rows, schemaScope, type FixtureRun } from './harness.js';

/** The original target's unit-test inputs and its unused integration inputs, loaded for real. */
const scope = schemaScope();

async function load(fixture: string, overrides: Record<string, unknown> = {}): Promise<FixtureRun> {
  const run = await scope.load(fixture, overrides);
  assert.equal(run.code, 0, run.stderr);
  return run;
}

describe('remaining fixtures', () => {
  it('only STATE messages: exactly the last state is emitted, nothing loaded', async () => {
    const run = await load('unit/streams_only_state.json');
    assert.deepEqual(run.states, [{ bookmarks: { 'tap_mysql_test-test_simple_table': { replication_key: 'id', replication_key_value: 100, version: 1 } } }]);
    assert.doesNotMatch(run.stderr, /Loaded \d+ row/);
    assert.deepEqual(await committedRows(run.schema, 'test_simple_table'), []);
  });

  it('the same SCHEMA several times: one table, every record', async () => {
    const run = await load('unit/same-schemas-multiple-times.json');
    assert.deepEqual((await rows(run.schema, 'table1', 'CID')).map((r) => r.CID), [1, 2, 3, 4]);
  });

  it('logical streams with deletes and updates (hard_delete, batches of 5)', async () => {
    const run = await load('unit/logical-streams.json', { hard_delete: true, batch_size_rows: 5 });
    // What the source table holds after replaying the change stream: last event per key, deletes applied.
    const text = await readFile(join(fixtures, 'unit/logical-streams.json'), 'utf8');
    const last = new Map<number, Record<string, unknown>>();
    for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
      const m = JSON.parse(line) as { type: string; record?: Record<string, unknown> };
      if (m.type === 'RECORD' && m.record) last.set(Number(m.record.cid), m.record);
    }
    const expected = [...last.entries()]
      .filter(([, r]) => r._sdc_deleted_at === null || r._sdc_deleted_at === undefined)
      .sort(([a], [b]) => a - b)
      .map(([cid, r]) => ({ CID: cid, CVARCHAR: r.cvarchar ?? null }));
    assert.ok(expected.length > 0 && expected.length < last.size, 'the fixture has live and deleted keys');
    assert.deepEqual(await rows(run.schema, 'logical1_table2', 'CID, CVARCHAR', 'CID'), expected);
    // Intermediate states depend on how fast loads commit while the input is read; the last one
    // printed is always the fixture's last state.
    const states = text.split('\n').filter((l) => l.includes('"STATE"')).map((l) => (JSON.parse(l) as { value: unknown }).value);
    assert.deepEqual(run.states.at(-1), states.at(-1));
  });

  it('a simple table whose time column has no format keeps the text', async () => {
    const run = await load('messages-simple-table.json');
    const loaded = await rows(run.schema, 'test_simple_table', 'ID, TIME_CREATED', 'ID');
    assert.equal(loaded.length, 5);
    assert.ok(loaded.every((r) => typeof r.TIME_CREATED === 'string'));
  });
});
