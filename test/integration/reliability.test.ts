import { strict as assert } from 'node:assert';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { configFile, dropSchema, freshSchema, query, rows, runTarget } from './harness.js';

/**
 * The schedules users reported, through the real CLI against the local lakehouse: every row
 * loaded, the final state last, exit 0; and failures that must end the run, not hang it.
 */
const schemas: string[] = [];
after(async () => {
  for (const schema of schemas) await dropSchema(schema);
});

const lines = (...messages: unknown[]) => messages.map((m) => JSON.stringify(m)).join('\n') + '\n';
const schemaOf = (stream: string) => ({ type: 'SCHEMA', stream, key_properties: ['id'], schema: { properties: { id: { type: 'integer' }, v: { type: 'string' } } } });
const record = (stream: string, id: number) => ({ type: 'RECORD', stream, record: { id, v: `${stream}-${id}` } });

async function target(overrides: Record<string, unknown>): Promise<{ schema: string; config: string; tempDir: string }> {
  const schema = await freshSchema('rel');
  schemas.push(schema);
  const tempDir = await mkdtemp(join(tmpdir(), 'target-iomete-rel-'));
  return { schema, tempDir, config: await configFile({ default_target_schema: schema, temp_dir: tempDir, ...overrides }) };
}

describe('schedules that lost rows or hung before', () => {
  it('parallelism 1, batch_size_rows 3: A4 is loaded and the state comes after it', async () => {
    const { schema, config, tempDir } = await target({ parallelism: 1, batch_size_rows: 3 });
    const state = { bookmarks: { A: 4, B: 1 } };
    const run = await runTarget(
      ['--config', config],
      lines(schemaOf('A'), schemaOf('B'), record('A', 1), record('A', 2), record('A', 3), record('A', 4), record('B', 1), { type: 'STATE', value: state }),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.states.at(-1), state);
    assert.deepEqual(await rows(schema, 'a', 'ID, V'), [1, 2, 3, 4].map((id) => ({ ID: id, V: `A-${id}` })));
    assert.deepEqual(await rows(schema, 'b', 'ID, V'), [{ ID: 1, V: 'B-1' }]);
    assert.deepEqual(await readdir(tempDir), []);
  });

  it('default settings, 17 streams, batch_size_rows 3: every row and the final state', async () => {
    const { schema, config } = await target({ batch_size_rows: 3 });
    const streams = Array.from({ length: 17 }, (_, i) => `s${String(i + 1).padStart(2, '0')}`);
    const state = { bookmarks: Object.fromEntries(streams.map((s) => [s, 1])) };
    const run = await runTarget(
      ['--config', config],
      lines(
        ...streams.map(schemaOf),
        ...[1, 2, 3, 4].map((id) => record('s01', id)),
        ...streams.slice(1).map((s) => record(s, 1)),
        { type: 'STATE', value: state },
      ),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.states.at(-1), state);
    assert.deepEqual((await rows(schema, 's01', 'ID')).map((r) => r.ID), [1, 2, 3, 4]);
    for (const s of streams.slice(1)) assert.deepEqual(await rows(schema, s, 'ID'), [{ ID: 1 }], s);
  });

  it("the first state is not written before the rows it follows (A's bookmark waits for A1)", async () => {
    const { schema, config } = await target({ batch_size_rows: 2 });
    const run = await runTarget(
      ['--config', config],
      lines(schemaOf('A'), schemaOf('B'), record('A', 1), { type: 'STATE', value: { bookmarks: { A: 1 } } }, record('B', 1), record('B', 2)),
    );
    assert.equal(run.code, 0, run.stderr);
    // B's batch (full at B2) loads first; a state with A's bookmark may only follow A1's load,
    // which happens at the end: so exactly one state, after everything.
    assert.deepEqual(run.states, [{ bookmarks: { A: 1 } }]);
    assert.deepEqual(await rows(schema, 'a', 'ID'), [{ ID: 1 }]);
    assert.deepEqual(await rows(schema, 'b', 'ID'), [{ ID: 1 }, { ID: 2 }]);
  });
});

describe('failures end the run with one clear line', () => {
  it('a temp_dir that cannot hold files: exit 1 naming temp_dir, no stack trace, no state', async () => {
    const { config } = await target({ temp_dir: join(tmpdir(), 'x'.repeat(300)) });
    const run = await runTarget(['--config', config], lines(schemaOf('A'), record('A', 1), { type: 'STATE', value: { bookmarks: { A: 1 } } }));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /ENAMETOOLONG.*check 'temp_dir'/);
    assert.doesNotMatch(run.stderr, /^\s+at /m);
    assert.deepEqual(run.states, []);
  });
});

describe('progress while it works', () => {
  it('prints progress lines during a long run and a closing summary', async () => {
    const { schema, config } = await target({ progress_interval_seconds: 1, batch_size_rows: 2 });
    const first = lines(schemaOf('A'), record('A', 1), record('A', 2), record('A', 3));
    const rest = lines(record('A', 4), { type: 'STATE', value: { bookmarks: { A: 4 } } });
    // The tap goes quiet for 3 s once the target is loading, longer than the interval.
    const run = await runTarget(['--config', config], [first, rest], { ms: 3000, after: /Flush triggered/ });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /target-iomete v\d+\.\d+\.\d+, Node\.js v\d+/);
    assert.match(run.stderr, /Progress: \d+ record\(s\) read \(\d+\/s\); batches: \d+ closed/);
    // The table is the run's: the data files the summary says it added are all the table holds.
    const [files] = await query(`SELECT count(*) AS n FROM spark_catalog.\`${schema}\`.A.files WHERE content = 0`);
    assert.match(
      run.stderr,
      new RegExp(
        `Run finished in [\\d.]+ s: 6 line\\(s\\) read \\(1 SCHEMA, 4 RECORD, 1 STATE\\); 2 batch\\(es\\) loaded, rows committed: \`spark_catalog\`\\.\`[a-z0-9_]+\`\\.\`A\` 4 \\(\\+2 snapshot\\(s\\), \\+${Number(files?.n)} data file\\(s\\)\\);`,
      ),
    );
    assert.deepEqual((await rows(schema, 'a', 'ID')).map((r) => r.ID), [1, 2, 3, 4]);
  });
});
