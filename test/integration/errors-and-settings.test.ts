import { strict as assert } from 'node:assert';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { configFile, describe as describeTable, freshSchema, rows, runTarget, schemaScope, stagedObjects } from './harness.js';

const { load, track } = schemaScope();

describe('bad input stops the run with a clear error', () => {
  it('invalid JSON names the line; nothing after it is loaded', async () => {
    const run = await load('invalid-json.json');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Invalid JSON: .*\(line 3\)/);
    // Only the state that preceded every record (safe by itself) may come out; nothing past line 3.
    assert.equal(run.stdout, '{"currently_syncing":"tap_mysql_test-test_table_one"}\n');
  });

  it('a RECORD before its SCHEMA names line and stream', async () => {
    const run = await load('invalid-message-order.json');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /RECORD arrived before the SCHEMA of its stream.*\(line 3, stream 'tap_mysql_test-test_table_two'\)/);
  });

  it('a value that does not fit its column names line, stream and column', async () => {
    const run = await load('messages-with-invalid-records.json');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Column 'c_pk': expected an integer, got "Non Numeric PK" \(line \d+, stream '[^']+'\)/);
  });

  it('validate_records reports the schema violation', async () => {
    const run = await load('messages-pg-with-invalid-records.json', { validate_records: true });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Record does not match the stream schema: field 'results' must be (object|null)/);
  });

  it('without validate_records the same input loads (text in an object column is kept)', async () => {
    const run = await load('messages-pg-with-invalid-records.json');
    assert.equal(run.code, 0, run.stderr);
  });

  it('valid pg records pass validation; arrays of objects are stored as JSON', async () => {
    const run = await load('messages-pg-with-valid-records.json', { validate_records: true });
    assert.equal(run.code, 0, run.stderr);
    // 'pg-valid-records' splits like catalog-schema-table, so the table is RECORDS.
    const [row] = await rows(run.schema, 'records', 'RESULTS');
    assert.ok(Array.isArray(JSON.parse(String(row?.RESULTS))));
  });

  it('an integer in a time column is stored as its text (no failure, nothing lost)', async () => {
    const run = await load('messages-with-unexpected-types.json');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await rows(run.schema, 'table_1', 'C_PK, C_TIME'), [
      { C_PK: 1, C_TIME: '04:00:00' },
      { C_PK: 2, C_TIME: '07:15:00' },
      { C_PK: 3, C_TIME: '235667' },
    ]);
  });
});

/** The closing summary line's numbers (the product's own measure of its phases). */
function summaryOf(stderr: string): { line: string; seconds: Record<string, number> } {
  const line = stderr.split('\n').find((l) => / INFO Run finished in |^  Run failed after /.test(l)) ?? assert.fail(`no summary in:\n${stderr}`);
  const seconds: Record<string, number> = {};
  for (const [, name, value] of line.matchAll(/(run|reading input|staging|waiting for table set-up|waiting for loads|upload|load) ([\d.]+) s/g)) seconds[name!] = Number(value);
  seconds.run = Number(/(?:finished in|failed after) ([\d.]+) s/.exec(line)?.[1]);
  return { line, seconds };
}

describe('the closing summary tells where the time went', () => {
  it('a run with DDL: every line counted by type, staging apart from the waits, one duration', async () => {
    const run = await load('messages-with-three-streams.json');
    assert.equal(run.code, 0, run.stderr);
    const { line, seconds } = summaryOf(run.stderr);
    assert.match(line, /: 25 line\(s\) read \(3 SCHEMA, 6 RECORD, 10 STATE, 6 ACTIVATE_VERSION\); 3 batch\(es\) loaded, rows committed: /);
    // Table set-up runs as jobs in the tables' lanes: without a number column no record waits for
    // it, and the reader waits for set-up and loads at the end, far longer than six records take to
    // stage (no bound in seconds: a loaded machine stages them in 0.1 s as well).
    assert.equal(seconds['waiting for table set-up'], 0, line);
    assert.ok(seconds['waiting for loads']! > seconds.staging!, line);
    // The summary's duration is the sync_duration metric's.
    const metric = /METRIC: \{"type":"timer","metric":"sync_duration","value":([\d.]+),"tags":\{"status":"succeeded"\}\}/.exec(run.stderr);
    assert.equal(Number(Number(metric?.[1]).toFixed(seconds.run! < 10 ? 2 : 1)), seconds.run, line);
    assert.equal(run.stderr.trim().split('\n').at(-1), line);
  });

  it('a stream with a number column stages its first record once its table is set up (the table decides how numbers are staged)', async () => {
    const input = [
      { type: 'SCHEMA', stream: 'shop-prices', key_properties: ['id'], schema: { properties: { id: { type: 'integer' }, price: { type: ['null', 'number'] } } } },
      { type: 'RECORD', stream: 'shop-prices', record: { id: 1, price: 2.5 } },
    ];
    const run = await load(input.map((m) => JSON.stringify(m)).join('\n'));
    assert.equal(run.code, 0, run.stderr);
    const { line, seconds } = summaryOf(run.stderr);
    assert.ok(seconds['waiting for table set-up']! > 0, line);
  });

  it('a versioned stream: its table is created with the version columns in one statement, the rows retired are counted', async () => {
    const run = await load('messages-with-three-streams.json');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /INFO Creating table `spark_catalog`\.`[a-z0-9_]+`\.`TEST_TABLE_ONE` with _SDC_DELETED_AT, _SDC_TABLE_VERSION for table versions \(ACTIVATE_VERSION at line 3\)\n/);
    assert.doesNotMatch(run.stderr, /Adding \d+ column/);
    assert.deepEqual((await describeTable(run.schema, 'test_table_one')).map(([n]) => n), ['C_PK', 'C_VARCHAR', 'C_INT', '_SDC_DELETED_AT', '_SDC_TABLE_VERSION']);
    assert.match(run.stderr, /Version 1 of stream 'tap_mysql_test-test_table_one' is active: 0 row\(s\) of older versions marked in _SDC_DELETED_AT/);
    // The next full sync (version 2) retires the row of version 1.
    const next = [
      { type: 'SCHEMA', stream: 'tap_mysql_test-test_table_one', key_properties: ['c_pk'], schema: { properties: { c_pk: { type: 'integer' }, c_varchar: { type: ['null', 'string'] }, c_int: { type: ['null', 'integer'] } } } },
      { type: 'ACTIVATE_VERSION', stream: 'tap_mysql_test-test_table_one', version: 2 },
      { type: 'RECORD', stream: 'tap_mysql_test-test_table_one', record: { c_pk: 9, c_varchar: 'new', c_int: 9 }, version: 2 },
      { type: 'ACTIVATE_VERSION', stream: 'tap_mysql_test-test_table_one', version: 2 },
    ];
    const second = await load(next.map((m) => JSON.stringify(m)).join('\n'), {}, run.schema);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /Version 2 of stream 'tap_mysql_test-test_table_one' is active: 1 row\(s\) of older versions marked in _SDC_DELETED_AT\n(.*\n)*.*Version 2 of stream 'tap_mysql_test-test_table_one' is active: 0 row\(s\) of older versions marked/);
    assert.deepEqual(await rows(run.schema, 'test_table_one', 'C_PK, _SDC_DELETED_AT IS NOT NULL AS retired'), [
      { C_PK: 1, retired: true },
      { C_PK: 9, retired: false },
    ]);
  });
});

describe('settings', () => {
  it('temp_dir, no_compression and s3_key_prefix: files are written there and cleaned up', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'target-iomete-temp-'));
    const prefix = `it-${Date.now()}/`;
    const run = await load('messages-with-three-streams.json', { temp_dir: dir, no_compression: true, s3_key_prefix: prefix });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await readdir(dir), []);
    assert.deepEqual(await stagedObjects(prefix), []);
    assert.equal((await rows(run.schema, 'test_table_three')).length, 3);
  });

  it('after a failed load, local and staged files are removed too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'target-iomete-temp-'));
    const prefix = `it-fail-${Date.now()}/`;
    // The catalog does not exist, so the first statement fails after the batch was written.
    const run = await load('messages-with-three-streams.json', { temp_dir: dir, s3_key_prefix: prefix, catalog: 'no_such_catalog' });
    assert.equal(run.code, 1);
    // The error with the summary folded into it as its closing line, and nothing after it.
    const events = run.stderr.trim().split(/\n(?=\d{4}-\d\d-\d\dT)/);
    assert.match(events.at(-1) ?? '', / ERROR (.|\n)*no_such_catalog(.|\n)*\n  Run failed after [\d.]+ s: \d+ line\(s\) read [^\n]*$/);
    assert.equal(run.stdout.trim().split('\n').filter(Boolean).length <= 1, true);
    assert.deepEqual(await readdir(dir), []);
    assert.deepEqual(await stagedObjects(prefix), []);
  });

  it('schema_mapping sends a source schema to its own target schema', async () => {
    const target = await freshSchema();
    track(target);
    const run = await load('messages-with-three-streams.json', { default_target_schema: undefined, schema_mapping: { tap_mysql_test: { target_schema: target } } });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await rows(target, 'test_table_one')).length, 1);
  });

  it('batch_max_bytes splits a stream into several loads', async () => {
    const run = await load('messages-pg-logical-streams.json', { batch_max_bytes: 1024, hard_delete: true });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Flush triggered by batch_max_bytes \(1024\) reached/);
    assert.deepEqual((await rows(run.schema, 'logical1_table2', 'CID')).map((r) => r.CID), [1, 2, 3, 5, 7, 8, 9, 10]);
  });

  it('process_activate_version_messages false: no version columns', async () => {
    const run = await load('messages-with-three-streams.json', { process_activate_version_messages: false });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((await describeTable(run.schema, 'test_table_one')).map(([n]) => n), ['C_PK', 'C_VARCHAR', 'C_INT']);
  });

  it('loading the same input twice: no duplicate keys and no DDL the second time', async () => {
    const first = await load('messages-with-three-streams.json');
    assert.equal(first.code, 0, first.stderr);
    const second = await load('messages-with-three-streams.json', {}, first.schema);
    assert.equal(second.code, 0, second.stderr);
    assert.doesNotMatch(second.stderr, /Creating table|Adding \d+ column|Widening|renaming/);
    assert.deepEqual((await rows(first.schema, 'test_table_three', 'C_PK')).map((r) => r.C_PK), [1, 2, 3]);
    assert.deepEqual(second.states.at(-1), first.states.at(-1));
  });

  it('load_method append-only appends every run; overwrite replaces the rows', async () => {
    const first = await load('messages-with-three-streams.json', { load_method: 'append-only' });
    assert.equal(first.code, 0, first.stderr);
    await load('messages-with-three-streams.json', { load_method: 'append-only' }, first.schema);
    assert.equal((await rows(first.schema, 'test_table_three')).length, 6);
    const over = await load('messages-with-three-streams.json', { load_method: 'overwrite' }, first.schema);
    assert.equal(over.code, 0, over.stderr);
    assert.deepEqual((await rows(first.schema, 'test_table_three', 'C_PK')).map((r) => r.C_PK), [1, 2, 3]);
  });

  it('a type change Iceberg cannot apply fails by default, naming stream, column and types', async () => {
    const first = await load('messages-with-three-streams.json');
    assert.equal(first.code, 0, first.stderr);
    const second = await load('messages-with-three-streams-modified-column.json', {}, first.schema);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /Stream 'tap_mysql_test-test_table_two': column C_DATE of .* is TIMESTAMP but the schema now makes it STRING/);
  });

  it("type_change_policy 'rename' keeps the old column aside and adds the new one", async () => {
    const first = await load('messages-with-three-streams.json');
    const second = await load('messages-with-three-streams-modified-column.json', { type_change_policy: 'rename' }, first.schema);
    assert.equal(second.code, 0, second.stderr);
    const columns = await describeTable(first.schema, 'test_table_two');
    assert.ok(columns.some(([n, t]) => n === 'C_DATE__TIMESTAMP' && t === 'timestamp'), JSON.stringify(columns));
    assert.ok(columns.some(([n, t]) => n === 'C_DATE' && t === 'string'), JSON.stringify(columns));
    assert.ok(columns.some(([n]) => n === 'C_NEW_COLUMN'), JSON.stringify(columns));
  });
});

describe('data fidelity', () => {
  it('keeps big integers, NULL vs empty text, newlines, tabs, quotes and backslashes', async () => {
    const schema = await freshSchema();
    track(schema);
    const input = [
      { type: 'SCHEMA', stream: 'fidelity', key_properties: ['id'], schema: { properties: { id: { type: 'integer' }, t: { type: ['null', 'string'] }, n: { type: ['null', 'number'] }, b: { type: ['null', 'boolean'] } } } },
      { type: 'RECORD', stream: 'fidelity', record: { id: 1, t: '', n: 0, b: false } },
      { type: 'RECORD', stream: 'fidelity', record: { id: 2, t: null, n: null, b: null } },
      { type: 'RECORD', stream: 'fidelity', record: { id: 3, t: 'line1\nline2\ttab "q" \\ back\'s ✓ 日本', n: 1.5e-7, b: true } },
    ]
      .map((m) => JSON.stringify(m))
      .join('\n')
      .concat('\n{"type":"RECORD","stream":"fidelity","record":{"id":9007199254740993,"t":"big"}}\n{"type":"STATE","value":{"bookmarks":{"fidelity":{"replication_key_value":9223372036854775807}}}}\n');
    const config = await configFile({ default_target_schema: schema });
    const run = await runTarget(['--config', config], input);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), '{"bookmarks":{"fidelity":{"replication_key_value":9223372036854775807}}}');
    assert.deepEqual(await rows(schema, 'fidelity', 'CAST(ID AS STRING) id, T, N, B', 'ID'), [
      { id: '1', T: '', N: 0, B: false },
      { id: '2', T: null, N: null, B: null },
      { id: '3', T: 'line1\nline2\ttab "q" \\ back\'s ✓ 日本', N: 1.5e-7, B: true },
      { id: '9007199254740993', T: 'big', N: null, B: null },
    ]);
  });
});
