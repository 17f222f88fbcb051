import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { configFile, dropSchema, freshSchema, query, rows, runTarget, type RunResult } from './harness.js';

/**
 * Table layout per stream (partition_by, sort_by, table_properties), read back from the lakehouse.
 * Run 1 creates `orders` by its first load (CREATE TABLE ... AS SELECT, then WRITE ORDERED BY)
 * partitioned by day(_sdc_extracted_at), bucket[4](id) and truncate[2](name), and `quiet` (a
 * stream without records) by a plain CREATE, and `events` (unkeyed: an exactly-once append) by
 * its plain CREATE with write-audit-publish on. Run 2 changes the settings: the spec, sort order and
 * a property of the existing table are evolved, and its rows stay right.
 */
const ORDERS_SCHEMA = {
  type: 'SCHEMA',
  stream: 'orders',
  key_properties: ['id'],
  schema: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, region: { type: 'string' }, updated_at: { type: 'string', format: 'date-time' } } },
};
const QUIET_SCHEMA = { type: 'SCHEMA', stream: 'quiet', key_properties: ['k'], schema: { type: 'object', properties: { k: { type: 'integer' }, at: { type: 'string', format: 'date-time' } } } };
const EVENTS_SCHEMA = { type: 'SCHEMA', stream: 'events', key_properties: [], schema: { type: 'object', properties: { kind: { type: 'string' }, n: { type: 'integer' } } } };
const NAMES = ['alpha', 'beta', 'gamma', 'delta'];

function order(id: number, run: number, extracted: string): string {
  const record = { id, name: `${NAMES[id % NAMES.length]}-${id}`, region: id % 2 === 0 ? 'eu' : 'us', updated_at: `2024-0${run}-01T00:00:${String(id % 60).padStart(2, '0')}Z` };
  return JSON.stringify({ type: 'RECORD', stream: 'orders', record, time_extracted: extracted });
}

function input(run: number, ids: number[], extracted: string[]): string {
  const lines = [JSON.stringify(ORDERS_SCHEMA), JSON.stringify(QUIET_SCHEMA)];
  ids.forEach((id, i) => lines.push(order(id, run, extracted[i % extracted.length]!)));
  if (run === 1) {
    lines.push(JSON.stringify(EVENTS_SCHEMA));
    for (let n = 1; n <= 6; n += 1) lines.push(JSON.stringify({ type: 'RECORD', stream: 'events', record: { kind: n % 2 === 0 ? 'click' : 'view', n } }));
  }
  lines.push(JSON.stringify({ type: 'STATE', value: { run } }));
  return lines.join('\n') + '\n';
}

const FIRST = {
  partition_by: {
    orders: [
      { column: '_sdc_extracted_at', transform: 'day' },
      { column: 'id', transform: 'bucket[4]' },
      { column: 'name', transform: 'truncate[2]' },
    ],
    quiet: [{ column: 'at', transform: 'month' }],
    events: ['kind'],
  },
  sort_by: { orders: [{ column: 'updated_at', direction: 'desc' }], 'qu*': ['k'], events: [{ column: 'n', direction: 'desc' }] },
  table_properties: { '*': { 'custom.owner': 'layout-test', 'write.target-file-size-bytes': 67108864 } },
};
const SECOND = {
  partition_by: { orders: [{ column: '_sdc_extracted_at', transform: 'day' }, 'region'] },
  sort_by: { orders: ['id'] },
  table_properties: { orders: { 'custom.owner': 'changed' } },
};

describe('table layout per stream', () => {
  let schema: string;
  let table: string;
  let first: RunResult;
  let second: RunResult;
  let showCreate = '';
  let partitionsAfterFirst: Record<string, unknown>[] = [];
  let propertiesAfterFirst = new Map<string, string>();

  const properties = async (t: string) => new Map((await query(`SHOW TBLPROPERTIES ${t}`)).map((r) => [String(r.key), String(r.value)]));

  before(async () => {
    schema = await freshSchema('layout');
    table = `spark_catalog.\`${schema}\`.orders`;
    const base = { default_target_schema: schema, add_metadata_columns: true, primary_key_required: false };
    first = await runTarget(['--config', await configFile({ ...base, ...FIRST })], input(1, [...Array(40).keys()].map((i) => i + 1), ['2024-05-01T10:00:00Z', '2024-05-02T10:00:00Z']));
    assert.equal(first.code, 0, first.stderr);
    showCreate = String((await query(`SHOW CREATE TABLE ${table}`))[0]?.createtab_stmt);
    partitionsAfterFirst = await query(`SELECT partition._SDC_EXTRACTED_AT_day AS day, partition.ID_bucket AS bucket, partition.NAME_trunc AS trunc, record_count FROM ${table}.partitions`);
    propertiesAfterFirst = await properties(table);
    // Updates of 10 keys, 5 new ones, extracted on a third day.
    second = await runTarget(['--config', await configFile({ ...base, ...SECOND })], input(2, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 41, 42, 43, 44, 45], ['2024-05-03T10:00:00Z']));
    assert.equal(second.code, 0, second.stderr);
  });
  after(async () => {
    if (schema) await dropSchema(schema);
  });

  it('creates the table by its first load with the partition spec, properties and sort order asked for', () => {
    assert.match(showCreate, /PARTITIONED BY \(days\(_SDC_EXTRACTED_AT\), truncate\(2, NAME\)\)\nCLUSTERED BY \(ID\)\nINTO 4 BUCKETS/);
    assert.equal(propertiesAfterFirst.get('sort-order'), 'UPDATED_AT DESC NULLS LAST');
    assert.equal(propertiesAfterFirst.get('custom.owner'), 'layout-test');
    assert.equal(propertiesAfterFirst.get('write.target-file-size-bytes'), '67108864');
    // The target's defaults for a keyed table stay under the user's properties.
    assert.equal(propertiesAfterFirst.get('format-version'), '2');
    assert.equal(propertiesAfterFirst.get('write.merge.mode'), 'merge-on-read');
    assert.match(first.stderr, /Creating table `spark_catalog`\.`layout_[0-9a-f]+`\.`ORDERS` partitioned by days\(`_SDC_EXTRACTED_AT`\), bucket\(4, `ID`\), truncate\(2, `NAME`\), sorted by UPDATED_AT DESC NULLS LAST/);
  });

  it('writes the first load into the partitions of the spec', () => {
    const total = partitionsAfterFirst.reduce((n, p) => n + Number(p.record_count), 0);
    assert.equal(total, 40);
    assert.deepEqual([...new Set(partitionsAfterFirst.map((p) => String(p.day)))].sort(), ['2024-05-01', '2024-05-02']);
    assert.deepEqual([...new Set(partitionsAfterFirst.map((p) => String(p.trunc)))].sort(), ['al', 'be', 'de', 'ga']);
    assert.deepEqual([...new Set(partitionsAfterFirst.map((p) => Number(p.bucket)))].sort(), [0, 1, 2, 3]);
  });

  it('creates a table without records with its layout too (plain CREATE, then WRITE ORDERED BY)', async () => {
    const quiet = `spark_catalog.\`${schema}\`.quiet`;
    const described = await query(`DESCRIBE TABLE EXTENDED ${quiet}`);
    assert.deepEqual(
      described.filter((r) => /^Part \d+$/.test(String(r.col_name))).map((r) => r.data_type),
      ['months(AT)'],
    );
    const props = await properties(quiet);
    assert.equal(props.get('sort-order'), 'K ASC NULLS FIRST');
    assert.equal(props.get('custom.owner'), 'layout-test');
  });

  it('creates an exactly-once append table by its plain CREATE with write-audit-publish on and its layout', async () => {
    const events = `spark_catalog.\`${schema}\`.events`;
    const props = await properties(events);
    assert.equal(props.get('write.wap.enabled'), 'true');
    assert.equal(props.get('sort-order'), 'N DESC NULLS LAST');
    assert.equal(props.get('custom.owner'), 'layout-test');
    // Partitioned by KIND (identity): an unpartitioned table's partitions table has no such field.
    const partitions = await query(`SELECT partition.KIND AS kind, record_count FROM ${events}.partitions ORDER BY kind`);
    assert.deepEqual(partitions.map((p) => [String(p.kind), Number(p.record_count)]), [['click', 3], ['view', 3]]);
    // Its one commit was staged with a wap id and made current (the exactly-once path), not a CREATE TABLE ... AS SELECT.
    const current = await query(`SELECT s.summary['wap.id'] AS wap FROM ${events}.snapshots s JOIN ${events}.refs r ON r.snapshot_id = s.snapshot_id WHERE r.name = 'main'`);
    assert.match(String(current[0]?.wap), /^[0-9a-f]{12}-\d+-1$/);
  });

  it('evolves the existing table: partition fields dropped and added, sort order and property changed, one INFO line each', async () => {
    const described = await query(`DESCRIBE TABLE EXTENDED ${table}`);
    assert.deepEqual(
      described.filter((r) => /^Part \d+$/.test(String(r.col_name))).map((r) => r.data_type),
      ['days(_SDC_EXTRACTED_AT)', 'REGION'],
    );
    const props = await properties(table);
    assert.equal(props.get('sort-order'), 'ID ASC NULLS FIRST');
    assert.equal(props.get('custom.owner'), 'changed');
    assert.equal(props.get('write.target-file-size-bytes'), '67108864', 'a property no longer listed is left as it is');
    const notes = second.stderr.split('\n').filter((l) => /Stream 'orders': (dropped|added|sort order|set table properties)/.test(l));
    assert.equal(notes.length, 5, second.stderr);
    assert.match(second.stderr, /Stream 'orders': dropped partition field bucket\(4, `ID`\) of .*ORDERS/);
    assert.match(second.stderr, /Stream 'orders': added partition field `REGION` to .*ORDERS/);
    assert.match(second.stderr, /Stream 'orders': sort order of .*ORDERS` set to ID ASC NULLS FIRST \(was UPDATED_AT DESC NULLS LAST\) \(sort_by\)/);
    assert.match(second.stderr, /Stream 'orders': set table properties of .*ORDERS`: custom.owner=changed \(was layout-test\) \(table_properties\)/);
  });

  it("loads the second run's rows into the new spec, and every row is right", async () => {
    const specs = await query(`SELECT spec_id, SUM(record_count) AS n FROM ${table}.partitions GROUP BY spec_id ORDER BY spec_id`);
    // Merge-on-read: the 10 updated rows are deleted by position in the old spec, written anew in the new one.
    assert.equal(specs.length, 2, JSON.stringify(specs));
    assert.equal(Number(specs[1]?.n), 15);
    const loaded = await rows(schema, 'orders', 'id, name, region, CAST(updated_at AS STRING) AS updated_at, CAST(_sdc_extracted_at AS DATE) AS day', 'id');
    assert.equal(loaded.length, 45);
    for (const row of loaded) {
      const id = Number(row.id);
      const run = id <= 10 || id > 40 ? 2 : 1;
      assert.deepEqual(row, {
        id,
        name: `${NAMES[id % NAMES.length]}-${id}`,
        region: id % 2 === 0 ? 'eu' : 'us',
        updated_at: `2024-0${run}-01 00:00:${String(id % 60).padStart(2, '0')}`,
        day: run === 2 ? '2024-05-03' : id % 2 === 1 ? '2024-05-01' : '2024-05-02',
      });
    }
  });
});

describe('a bad table layout fails before anything is loaded, in one line naming stream and setting', () => {
  let schema: string;
  before(async () => {
    schema = await freshSchema('layout');
  });
  after(async () => {
    if (schema) await dropSchema(schema);
  });

  it('bucket[0] is refused when the configuration is read', async () => {
    const result = await runTarget(['--config', await configFile({ default_target_schema: schema, partition_by: { orders: [{ column: 'id', transform: 'bucket[0]' }] } })], input(1, [1], ['2024-05-01T10:00:00Z']));
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /'partition_by\.orders\[0\]\.transform' 'bucket\[0\]' needs a bucket count from 1 to 2147483647/);
  });

  it('a column the SCHEMA does not give is refused when the SCHEMA arrives, and no table is created', async () => {
    const result = await runTarget(['--config', await configFile({ default_target_schema: schema, partition_by: { orders: [{ column: '_sdc_extracted_at', transform: 'day' }] } })], input(1, [1, 2], ['2024-05-01T10:00:00Z']));
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /Stream 'orders': 'partition_by' names column '_sdc_extracted_at', which the stream's schema does not give \(columns: ID, NAME, REGION, UPDATED_AT\); metadata columns exist only with 'add_metadata_columns'/);
    assert.deepEqual(result.states, []);
    const tables = await query(`SHOW TABLES IN spark_catalog.\`${schema}\``).catch(() => []);
    assert.equal(tables.length, 0);
  });
});
