import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { configFile, dropSchema, fixtures, freshSchema, query, runTarget, type RunResult } from './harness.js';

describe('three streams loaded end to end into the local lakehouse', () => {
  let schema: string;
  let result: RunResult;

  before(async () => {
    schema = await freshSchema();
    const config = await configFile({ default_target_schema: schema });
    const input = await readFile(join(fixtures, 'messages-with-three-streams.json'));
    result = await runTarget(['--config', config], input);
  });
  after(async () => {
    if (schema) await dropSchema(schema);
  });

  it('exits 0 and prints only state lines on stdout', () => {
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.states.length > 0);
  });

  it('emits the final state last', () => {
    assert.deepEqual(result.states.at(-1), {
      currently_syncing: null,
      bookmarks: {
        'tap_mysql_test-test_table_one': { initial_full_table_complete: true },
        'tap_mysql_test-test_table_two': { initial_full_table_complete: true },
        'tap_mysql_test-test_table_three': { initial_full_table_complete: true },
      },
    });
  });

  it('loads table_one', async () => {
    const rows = await query(`SELECT CAST(C_PK AS STRING) pk, C_INT, C_VARCHAR FROM spark_catalog.${schema}.test_table_one ORDER BY C_PK`);
    assert.deepEqual(rows, [{ pk: '1', C_INT: 1, C_VARCHAR: '1' }]);
  });

  it('loads table_two with its timestamps and dates', async () => {
    const rows = await query(
      `SELECT C_PK, C_VARCHAR, C_INT, CAST(C_DATE AS STRING) c_date, CAST(C_ISO_DATE AS STRING) c_iso_date FROM spark_catalog.${schema}.test_table_two ORDER BY C_PK`,
    );
    assert.deepEqual(rows, [
      { C_PK: 1, C_VARCHAR: '1', C_INT: 1, c_date: '2019-02-01 15:12:45', c_iso_date: '2019-02-01' },
      { C_PK: 2, C_VARCHAR: '2', C_INT: 2, c_date: '2019-02-10 02:00:00', c_iso_date: '2019-02-10' },
    ]);
  });

  it('loads table_three', async () => {
    const rows = await query(`SELECT C_PK, C_VARCHAR, C_INT, C_TIME FROM spark_catalog.${schema}.test_table_three ORDER BY C_PK`);
    assert.deepEqual(rows, [
      { C_PK: 1, C_VARCHAR: '1', C_INT: 1, C_TIME: '2019-02-01 04:00:00' },
      { C_PK: 2, C_VARCHAR: '2', C_INT: 2, C_TIME: '2019-02-01 07:15:00' },
      { C_PK: 3, C_VARCHAR: '3', C_INT: 3, C_TIME: '2019-02-01 23:00:03' },
    ]);
  });

  it('creates Iceberg tables with the schema types', async () => {
    const rows = await query(`DESCRIBE TABLE spark_catalog.${schema}.test_table_two`);
    const columns = rows.filter((r) => r.col_name && !String(r.col_name).startsWith('#')).map((r) => [r.col_name, r.data_type]);
    // The stream sends ACTIVATE_VERSION, so rows record their table version (and can be retired).
    assert.deepEqual(columns, [
      ['C_PK', 'bigint'],
      ['C_VARCHAR', 'string'],
      ['C_INT', 'bigint'],
      ['C_DATE', 'timestamp'],
      ['C_ISO_DATE', 'date'],
      ['_SDC_DELETED_AT', 'timestamp'],
      ['_SDC_TABLE_VERSION', 'bigint'],
    ]);
    const props = await query(`SHOW TBLPROPERTIES spark_catalog.${schema}.test_table_two`);
    assert.ok(props.some((p) => String(p.key).startsWith('current-snapshot-id') || p.key === 'format'), JSON.stringify(props));
  });
});
