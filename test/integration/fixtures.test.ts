import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { describe as describeTable, fixtures, rows, schemaScope, type FixtureRun } from './harness.js';

/**
 * The original target's integration fixtures, loaded into the local lakehouse and read back.
 * Expected rows come from the fixture itself (last record per key wins) or from the original
 * target's test expectations, where noted.
 */

const { load } = schemaScope();

function ok(run: FixtureRun): void {
  assert.equal(run.code, 0, `target failed:\n${run.stderr}`);
}

/** Records of a stream in a fixture, last record per key, as the source would hold them. */
async function sourceRows(fixture: string, stream: string, key: string): Promise<Map<unknown, Record<string, unknown>>> {
  const lines = (await readFile(join(fixtures, fixture), 'utf8')).split('\n').filter((l) => l.trim() !== '');
  const byKey = new Map<unknown, Record<string, unknown>>();
  for (const line of lines) {
    const message = JSON.parse(line) as { type: string; stream?: string; record?: Record<string, unknown> };
    if (message.type === 'RECORD' && message.stream === stream && message.record) byKey.set(message.record[key], message.record);
  }
  return byKey;
}

describe('three streams with settings', () => {
  it('add_metadata_columns adds the _SDC_ columns with their values', async () => {
    const run = await load('messages-with-three-streams.json', { add_metadata_columns: true });
    ok(run);
    const loaded = await rows(
      run.schema,
      'test_table_two',
      'C_PK, CAST(_SDC_EXTRACTED_AT AS STRING) extracted, CAST(_SDC_DELETED_AT AS STRING) deleted, _SDC_TABLE_VERSION version, _SDC_BATCHED_AT IS NOT NULL batched',
      'C_PK',
    );
    assert.deepEqual(loaded, [
      { C_PK: 1, extracted: '2019-01-31 15:51:48.861962', deleted: '2019-02-12 01:10:10', version: 3, batched: true },
      { C_PK: 2, extracted: '2019-01-31 15:51:48.861962', deleted: null, version: 3, batched: true },
    ]);
  });

  it('hard_delete removes rows the tap marked deleted', async () => {
    const run = await load('messages-with-three-streams.json', { hard_delete: true });
    ok(run);
    assert.deepEqual(await rows(run.schema, 'test_table_one', 'C_PK'), [{ C_PK: 1 }]);
    assert.deepEqual(await rows(run.schema, 'test_table_two', 'C_PK'), [{ C_PK: 2 }]);
    assert.deepEqual(await rows(run.schema, 'test_table_three', 'C_PK'), [{ C_PK: 1 }, { C_PK: 2 }]);
  });

  it('parallelism 1 loads the same rows', async () => {
    const run = await load('messages-with-three-streams.json', { parallelism: 1 });
    ok(run);
    assert.deepEqual(await rows(run.schema, 'test_table_three', 'C_PK, C_VARCHAR'), [
      { C_PK: 1, C_VARCHAR: '1' },
      { C_PK: 2, C_VARCHAR: '2' },
      { C_PK: 3, C_VARCHAR: '3' },
    ]);
  });

  it('an identical SCHEMA sent twice changes nothing (multi-schemas)', async () => {
    const run = await load('messages-with-multi-schemas.json');
    ok(run);
    assert.deepEqual(await rows(run.schema, 'test_table_three', 'C_PK'), [{ C_PK: 1 }, { C_PK: 2 }, { C_PK: 3 }]);
    assert.doesNotMatch(run.stderr, /Adding \d+ column\(s\) to `spark_catalog`\.`[^`]+`\.`TEST_TABLE_THREE`: (?!_SDC)/);
  });
});

describe('keys, names and text', () => {
  it('binary-format keys with hard delete (original expectation: 706b32, 706b34)', async () => {
    const run = await load('messages-with-binary-columns.json', { hard_delete: true });
    ok(run);
    assert.deepEqual(await rows(run.schema, 'test_binary', 'ID'), [{ ID: '706b32' }, { ID: '706b34' }]);
  });

  it('a reserved word as table name (my_db-order)', async () => {
    const run = await load('messages-with-reserved-name-as-table-name.json', { hard_delete: true });
    ok(run);
    assert.deepEqual(await rows(run.schema, 'order', 'ID'), [{ ID: '706b32' }, { ID: '706b34' }]);
  });

  it('unicode and punctuation arrive byte for byte', async () => {
    const run = await load('messages-with-unicode-characters.json');
    ok(run);
    const expected = await sourceRows('messages-with-unicode-characters.json', 'tap_mysql_test-test_table_unicode', 'c_pk');
    const loaded = await rows(run.schema, 'test_table_unicode', 'C_PK, C_VARCHAR', 'C_PK');
    assert.equal(loaded.length, 6);
    for (const row of loaded) assert.equal(row.C_VARCHAR, expected.get(row.C_PK)?.c_varchar);
  });

  it('columns that are not database friendly keep their names', async () => {
    const run = await load('messages-with-non-db-friendly-columns.json');
    ok(run);
    const columns = (await describeTable(run.schema, 'test_table_non_db_friendly_columns')).map(([name]) => name);
    for (const name of ['C_PK', 'CAMELCASECOLUMN', 'MINUS-COLUMN']) assert.ok(columns.includes(name), `${name} in ${columns.join(',')}`);
    assert.equal((await rows(run.schema, 'test_table_non_db_friendly_columns', '`MINUS-COLUMN`')).length, 5);
  });

  it('falsy key values (0, false) are keys like any other', async () => {
    const run = await load('messages-with-falsy-pk-values.json');
    ok(run);
    assert.equal((await rows(run.schema, 'test_simple_table')).length, 8);
  });

  it('a null key value is refused with the line and stream', async () => {
    const run = await load('messages-with-null-pk.json');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Key property 'id' is null.*\(line \d+, stream 'tap_mysql_test-test_simple_table'\)/s);
    // Only the state sent before any record (line 2) is safe; the one after rows 1-2 is not, as
    // those rows were never loaded.
    assert.equal(run.stdout, '{"bookmarks":{"tap_mysql_test-test_simple_table":{"replication_key":"id","replication_key_value":1,"version":1}}}\n');
  });

  it('changing key properties: the new keys are honoured, no column is renamed', async () => {
    const run = await load('messages-with-changing-pk.json');
    ok(run);
    assert.equal((await rows(run.schema, 'test_simple_table')).length, 6);
    const columns = (await describeTable(run.schema, 'test_simple_table')).map(([name]) => name);
    assert.deepEqual(columns.filter((name) => !name.startsWith('_SDC_')), ['ID', 'RESULTS', 'TIME_CREATED', 'NAME']);
  });

  it('keys appearing later: appended first, merged after (primary_key_required false)', async () => {
    const run = await load('messages-with-new-pk.json', { primary_key_required: false });
    ok(run);
    assert.equal((await rows(run.schema, 'test_simple_table')).length, 6);
  });
});

describe('nested data', () => {
  it('objects and arrays are kept whole as JSON text', async () => {
    const run = await load('messages-with-nested-schema.json');
    ok(run);
    const [row] = await rows(run.schema, 'test_table_nested_schema', 'C_ARRAY, C_OBJECT, C_OBJECT_WITH_PROPS, C_NESTED_OBJECT');
    assert.deepEqual(JSON.parse(String(row?.C_ARRAY)), [1, 2, 3]);
    assert.deepEqual(JSON.parse(String(row?.C_OBJECT)), { key_1: 'value_1' });
    assert.deepEqual(JSON.parse(String(row?.C_OBJECT_WITH_PROPS)), { key_1: 'value_1' });
    assert.deepEqual(JSON.parse(String(row?.C_NESTED_OBJECT)).nested_prop_3, { multi_nested_prop_1: 'multi_value_1', multi_nested_prop_2: 'multi_value_2' });
  });

  it('data_flattening_max_level 10 makes columns of nested properties, losing nothing', async () => {
    const run = await load('messages-with-nested-schema.json', { data_flattening_max_level: 10 });
    ok(run);
    const [row] = await rows(
      run.schema,
      'test_table_nested_schema',
      'C_OBJECT, C_ARRAY, C_OBJECT_WITH_PROPS__KEY_1, C_NESTED_OBJECT__NESTED_PROP_1, C_NESTED_OBJECT__NESTED_PROP_3__MULTI_NESTED_PROP_1',
    );
    assert.deepEqual(row, {
      C_OBJECT: '{"key_1":"value_1"}',
      C_ARRAY: '[1,2,3]',
      C_OBJECT_WITH_PROPS__KEY_1: 'value_1',
      C_NESTED_OBJECT__NESTED_PROP_1: 'nested_value_1',
      C_NESTED_OBJECT__NESTED_PROP_3__MULTI_NESTED_PROP_1: 'multi_value_1',
    });
  });
});
