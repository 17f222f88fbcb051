import { strict as assert } from 'node:assert';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ensureTapPostgres } from '../../scripts/python-tools.js';
import { qualifiedName } from '../../src/sql/quote.js';
import { differences, lakehouseQuery, parsePostgresRows, postgresQuery, type Cells, type TableSpec } from '../support/cell-compare.js';
import { startPostgres, type Postgres } from '../support/postgres.js';
import { deselect, discover, firstInexactNumber, pipeToTarget, selectAll, tapFor, type Catalog, type Tap } from '../support/tap-postgres.js';
import { configFile, describe as describeTable, dropSchema, ensureConfig, freshSchema, query, removeStagedObjects, stagedObjects } from './harness.js';

/**
 * The most common real source, for real: Debian's Postgres (apt-installed when missing) started in
 * a temp dir, the real MeltanoLabs tap-postgres from PyPI (a venv under .cache/), its discovery
 * with every stream selected, and `tap-postgres | target-iomete` into the local lakehouse. Every
 * cell is then read back on both sides and compared exactly (test/support/cell-compare.ts).
 *
 * tap-postgres declares `numeric` as a plain `number` (no `multipleOf`), so by default the target
 * must refuse the first value a DOUBLE would round; with `column_types` naming the DECIMAL types,
 * every value loads exactly. The server runs in a zone east of UTC (a fixed offset: zones with a
 * local mean time give year-1 timestamps an offset in seconds, which the tap writes as such).
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = join(root, 'test/fixtures/tap-postgres');
const DATABASE = 'shop';
/** POSIX sign: Etc/GMT-5 is UTC+05:00. */
const SERVER_TIME_ZONE = 'Etc/GMT-5';

const ALL_TYPES: TableSpec = {
  stream: 'public-all_types',
  source: 'public.all_types',
  table: 'all_types',
  key: ['id'],
  columns: {
    id: 'integer',
    t: 'text',
    vc: 'text',
    ch: 'text',
    si: 'integer',
    i: 'integer',
    bi: 'integer',
    b: 'boolean',
    n18: 'decimal',
    n38: 'decimal',
    na: 'decimal',
    dp: 'double',
    r: 'double',
    tstz: 'timestamp',
    ts: 'timestamp',
    d: 'date',
    tm: 'time',
    u: 'text',
    jb: 'json',
    j: 'json',
    tags: 'array',
    ia: 'array',
    by: 'bytes',
    ip: 'text',
  },
};
const NUMBERS: TableSpec = {
  stream: 'public-numbers',
  source: 'public.numbers',
  table: 'numbers',
  key: ['id'],
  columns: { id: 'integer', n18: 'decimal', n38: 'decimal' },
};
const ORDER_ITEMS: TableSpec = {
  stream: 'shop-Order Items',
  source: 'shop."Order Items"',
  table: 'order_items',
  key: ['order_id', 'line_no'],
  columns: { order_id: 'integer', line_no: 'integer', sku: 'text', qty: 'integer', price: 'decimal', updated_at: 'timestamp' },
};
const EVENTS_LOG: TableSpec = {
  stream: 'public-events_log',
  source: 'public.events_log',
  table: 'events_log',
  key: [],
  columns: { at: 'timestamp', kind: 'text', payload: 'json' },
};
const TABLES = [ALL_TYPES, NUMBERS, ORDER_ITEMS, EVENTS_LOG];

/** The documented way to load a tap's plain-`number` decimals exactly: the Spark type per stream and property. */
const COLUMN_TYPES = {
  'public-all_types': { n18: 'DECIMAL(18,4)', n38: 'DECIMAL(38,10)', na: 'STRING' },
  'public-numbers': { n18: 'DECIMAL(18,4)', n38: 'DECIMAL(38,10)' },
};

/** What tap-postgres 0.10.0 declares for each column of public.all_types. */
const DECLARED: Record<string, unknown> = {
  id: { type: ['integer'] },
  t: { type: ['string', 'null'] },
  vc: { type: ['string', 'null'], maxLength: 40 },
  ch: { type: ['string', 'null'], maxLength: 5 },
  si: { type: ['integer', 'null'] },
  i: { type: ['integer', 'null'] },
  bi: { type: ['integer', 'null'] },
  b: { type: ['boolean', 'null'] },
  n18: { type: ['number', 'null'] },
  n38: { type: ['number', 'null'] },
  na: { type: ['number', 'null'] },
  dp: { type: ['number', 'null'] },
  r: { type: ['number', 'null'] },
  tstz: { type: ['string', 'null'], format: 'date-time' },
  ts: { type: ['string', 'null'], format: 'date-time' },
  d: { type: ['string', 'null'], format: 'date' },
  tm: { type: ['string', 'null'], format: 'time' },
  u: { type: ['string', 'null'] },
  jb: { type: ['string', 'number', 'integer', 'array', 'object', 'boolean', 'null'], additionalProperties: true },
  j: { type: ['string', 'number', 'integer', 'array', 'object', 'boolean', 'null'], additionalProperties: true },
  tags: { type: ['array', 'null'], items: { type: ['string'] } },
  ia: { type: ['array', 'null'], items: { type: ['integer'] } },
  by: { type: ['string', 'null'] },
  ip: { type: ['string', 'null'] },
};

describe('tap-postgres from a real Postgres into the lakehouse, every cell compared', { timeout: 30 * 60_000 }, () => {
  let pg: Postgres | undefined;
  let tap: Tap;
  /** The tap with `batch_config` per file format, made on first use. */
  let tapWithBatches: (format: 'jsonl' | 'parquet', prefix: string) => Promise<Tap>;
  /** The tap's config and catalogs, removed at the end. */
  let tapDir: string | undefined;
  let catalog: Catalog;
  const schemas: string[] = [];
  const batchTapDirs: string[] = [];
  const batchPrefixes: string[] = [];
  /** The override run's schema and its last state, for the second run. */
  let loaded: { schema: string; config: string; state: unknown } | undefined;

  const sourceRows = async (spec: TableSpec): Promise<Cells[]> => parsePostgresRows(await (pg as Postgres).psql(postgresQuery(spec), DATABASE));

  /** The lakehouse table's rows, or undefined when the run made no such table. */
  const lakehouseRows = async (schema: string, spec: TableSpec): Promise<Cells[] | undefined> => {
    const tables = (await query(`SHOW TABLES IN ${qualifiedName('spark_catalog', schema)}`)).map((row) => String(row.tableName).toLowerCase());
    if (!tables.includes(spec.table)) return undefined;
    const rows = await query(lakehouseQuery(schema, spec, await describeTable(schema, spec.table)));
    const columns = Object.keys(spec.columns);
    return rows.map((row) => columns.map((column) => (row[column] === null || row[column] === undefined ? null : String(row[column]))));
  };

  const sparkTypes = async (schema: string, table: string): Promise<Record<string, string>> =>
    Object.fromEntries((await describeTable(schema, table)).map(([name, type]) => [name.toLowerCase(), type.toLowerCase()]));

  before(async () => {
    const log = (line: string) => console.error(line);
    const [server, executable] = await Promise.all([startPostgres({ timezone: SERVER_TIME_ZONE, log }), ensureTapPostgres(log)]);
    pg = server;
    await pg.psql(`CREATE DATABASE ${DATABASE}`);
    await pg.psql(await readFile(join(fixtures, 'seed.sql'), 'utf8'), DATABASE);
    tap = await tapFor(executable, { port: pg.port, user: pg.user, database: DATABASE, schemas: ['public', 'shop'] });
    tapDir = tap.dir;
    const lakehouse = await ensureConfig();
    tapWithBatches = async (format, prefix) => {
      const batched = await tapFor(
        executable,
        { port: (pg as Postgres).port, user: (pg as Postgres).user, database: DATABASE, schemas: ['public', 'shop'] },
        {
          // The SDK writes each batch of records to a file under root (fsspec/s3fs, the params are s3fs's)
          // and sends a BATCH message naming it.
          batch_config: {
            encoding: format === 'jsonl' ? { format, compression: 'gzip' } : { format },
            storage: {
              root: `s3://${String(lakehouse.s3_bucket)}/${prefix}`,
              prefix: 'batch-',
              params: { key: lakehouse.aws_access_key_id, secret: lakehouse.aws_secret_access_key, client_kwargs: { endpoint_url: lakehouse.s3_endpoint_url, region_name: lakehouse.s3_region_name } },
            },
          },
        },
      );
      batchTapDirs.push(batched.dir);
      return batched;
    };
    catalog = selectAll(await discover(tap), { 'shop-Order Items': { method: 'INCREMENTAL', key: 'updated_at' } });
  });

  after(async () => {
    await pg?.stop();
    if (tapDir) await rm(tapDir, { recursive: true, force: true });
    for (const dir of batchTapDirs) await rm(dir, { recursive: true, force: true });
    for (const prefix of batchPrefixes) await removeStagedObjects(prefix);
    for (const schema of schemas) await dropSchema(schema);
  });

  it('discovers every table, with the schemas tap-postgres 0.10.0 declares', () => {
    assert.deepEqual(catalog.streams.map((s) => s.tap_stream_id).sort(), TABLES.map((t) => t.stream).sort());
    const allTypes = catalog.streams.find((s) => s.tap_stream_id === ALL_TYPES.stream);
    assert.deepEqual(allTypes?.schema.properties, DECLARED);
    assert.deepEqual(catalog.streams.find((s) => s.tap_stream_id === ORDER_ITEMS.stream)?.key_properties, ['order_id', 'line_no']);
    assert.deepEqual(catalog.streams.find((s) => s.tap_stream_id === EVENTS_LOG.stream)?.key_properties, []);
  });

  it('by default stops at the first number a DOUBLE would round, with one line naming it and the fixes', async () => {
    const schema = await freshSchema('pg_default');
    schemas.push(schema);
    const config = await configFile({ default_target_schema: schema, primary_key_required: false });
    const run = await pipeToTarget(tap, catalog, config);

    const inexact = firstInexactNumber(run.tapOutput);
    assert.ok(inexact, 'the tap sent a number that a DOUBLE cannot hold');
    assert.notEqual(run.target.code, 0, run.target.stderr);
    const errors = run.target.stderr.split('\n').filter((line) => /\bERROR\b/.test(line));
    assert.equal(errors.length, 1, run.target.stderr);
    const error = errors[0] as string;
    assert.ok(error.includes(inexact.stream), `names the stream ${inexact.stream}: ${error}`);
    assert.match(error, new RegExp(`\\b${inexact.property}\\b`, 'i'), 'names the column');
    assert.match(error, new RegExp(`\\bline ${inexact.line}\\b`), 'names the line');
    assert.ok(error.includes(inexact.text), `names the value ${inexact.text}: ${error}`);
    assert.match(error, /column_types/, 'names the override setting');
    assert.match(error, /on_inexact_number/, 'names the setting that chooses rounding');

    // Every state line stands for rows the lakehouse has, and none is past the refused line.
    const tapLines = run.tapOutput.split('\n');
    for (const state of run.target.states) {
      const at = tapLines.findIndex((line) => line.includes('"type":"STATE"') && JSON.stringify((JSON.parse(line) as { value: unknown }).value) === JSON.stringify(state));
      assert.ok(at >= 0 && at + 1 < inexact.line, `state ${JSON.stringify(state)} was sent before line ${inexact.line}`);
      for (const spec of TABLES) {
        const sent = tapLines
          .slice(0, at)
          .filter((line) => line.includes('"type":"RECORD"'))
          .map((line) => JSON.parse(line) as { stream: string; record: Record<string, unknown> })
          .filter((message) => message.stream === spec.stream);
        const rows = (await lakehouseRows(schema, spec)) ?? [];
        if (spec.key.length === 0) {
          assert.ok(rows.length >= sent.length, `${spec.table}: the ${sent.length} rows sent before the state are loaded`);
          continue;
        }
        const keyColumns = spec.key.map((k) => Object.keys(spec.columns).indexOf(k));
        const loadedKeys = new Set(rows.map((row) => JSON.stringify(keyColumns.map((i) => row[i]))));
        for (const { record } of sent) {
          const key = JSON.stringify(spec.key.map((k) => String(record[k])));
          assert.ok(loadedKeys.has(key), `${spec.table} ${key} was sent before the state and is loaded`);
        }
      }
    }
    // Nothing the lakehouse holds was changed on the way.
    for (const spec of TABLES) {
      const rows = await lakehouseRows(schema, spec);
      if (rows) assert.deepEqual(differences(spec, await sourceRows(spec), rows, 'subset'), []);
    }
  });

  it('with column_types for the decimals, loads every cell exactly as Postgres holds it', async () => {
    const schema = await freshSchema('pg_exact');
    schemas.push(schema);
    const config = await configFile({ default_target_schema: schema, primary_key_required: false, column_types: COLUMN_TYPES });
    const run = await pipeToTarget(tap, catalog, config);
    assert.equal(run.tapCode, 0, run.tapStderr);
    assert.equal(run.target.code, 0, run.target.stderr);
    assert.ok(firstInexactNumber(run.tapOutput), 'the input holds numbers a DOUBLE would round');
    const lastState = run.tapOutput
      .split('\n')
      .filter((line) => line.includes('"type":"STATE"'))
      .map((line) => (JSON.parse(line) as { value: unknown }).value)
      .at(-1);
    assert.deepEqual(run.target.states.at(-1), lastState, "the last state line is the tap's last STATE");

    const allTypes = await sparkTypes(schema, ALL_TYPES.table);
    assert.deepEqual([allTypes.n18, allTypes.n38, allTypes.na], ['decimal(18,4)', 'decimal(38,10)', 'string']);
    const numbers = await sparkTypes(schema, NUMBERS.table);
    assert.deepEqual([numbers.n18, numbers.n38], ['decimal(18,4)', 'decimal(38,10)']);

    for (const spec of TABLES) assert.deepEqual(differences(spec, await sourceRows(spec), (await lakehouseRows(schema, spec)) ?? []), [], spec.table);
    loaded = { schema, config, state: lastState };
  });

  it('a second run from that state, after UPDATE and INSERT in Postgres, leaves every cell equal', async () => {
    assert.ok(loaded, 'the first run loaded');
    const firstRunEvents = await sourceRows(EVENTS_LOG);
    await (pg as Postgres).psql(await readFile(join(fixtures, 'changes.sql'), 'utf8'), DATABASE);
    const run = await pipeToTarget(tap, catalog, loaded.config, loaded.state);
    assert.equal(run.tapCode, 0, run.tapStderr);
    assert.equal(run.target.code, 0, run.target.stderr);

    // The incremental stream sends what changed since the bookmark, the bookmark's own row included
    // (tap-postgres selects updated_at >= bookmark): (1,1) is not read again.
    const orderItems = run.tapOutput
      .split('\n')
      .filter((line) => line.includes('"stream":"shop-Order Items"') && line.includes('"type":"RECORD"'))
      .map((line) => (JSON.parse(line) as { record: { order_id: number; line_no: number } }).record)
      .map((r) => [r.order_id, r.line_no]);
    assert.deepEqual(orderItems.sort(), [
      [1, 2],
      [2, 1],
      [3, 1],
    ]);

    for (const spec of [ALL_TYPES, NUMBERS, ORDER_ITEMS]) {
      assert.deepEqual(differences(spec, await sourceRows(spec), (await lakehouseRows(loaded.schema, spec)) ?? []), [], spec.table);
    }
    // A table without a key is read whole each time (FULL_TABLE) and appended: both reads are there.
    const events = [...firstRunEvents, ...(await sourceRows(EVENTS_LOG))];
    assert.deepEqual(differences(EVENTS_LOG, events, (await lakehouseRows(loaded.schema, EVENTS_LOG)) ?? []), []);
  });

  /**
   * Columns the tap itself cannot write to a batch file, deselected as a user would: the SDK's
   * encoders skip the records' post-processing, so raw `bytea` bytes stop the JSONL encoder, and
   * pyarrow refuses a json column holding objects in some rows and other values in others.
   */
  const UNWRITABLE: Record<'jsonl' | 'parquet', Record<string, string[]>> = {
    jsonl: { 'public-all_types': ['by'] },
    parquet: { 'public-all_types': ['by', 'jb', 'j'], 'public-events_log': ['payload'] },
  };
  const withoutColumns = (spec: TableSpec, dropped: string[] = []): TableSpec => ({ ...spec, columns: Object.fromEntries(Object.entries(spec.columns).filter(([c]) => !dropped.includes(c))) });

  for (const format of ['jsonl', 'parquet'] as const) {
    it(`with the tap's batch_config (${format} files on S3, BATCH messages), loads every cell exactly as Postgres holds it`, async () => {
      const schema = await freshSchema(`pg_batch_${format}`);
      schemas.push(schema);
      const prefix = `tap-batches/${schema}/`;
      batchPrefixes.push(prefix);
      const batched = await tapWithBatches(format, prefix);
      const config = await configFile({ default_target_schema: schema, primary_key_required: false, column_types: COLUMN_TYPES });
      const run = await pipeToTarget(batched, deselect(catalog, UNWRITABLE[format]), config);
      assert.equal(run.tapCode, 0, run.tapStderr);
      assert.equal(run.target.code, 0, run.target.stderr);

      // The tap sent its rows as files, not as records.
      const messages = run.tapOutput.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { type: string; stream?: string });
      assert.deepEqual(messages.filter((m) => m.type === 'RECORD').map((m) => m.stream), []);
      assert.deepEqual([...new Set(messages.filter((m) => m.type === 'BATCH').map((m) => m.stream))].sort(), TABLES.map((t) => t.stream).sort());
      assert.ok((await stagedObjects(prefix)).length >= TABLES.length, 'the batch files are on S3');
      const lastState = messages.filter((m) => m.type === 'STATE').map((m) => (m as unknown as { value: unknown }).value).at(-1);
      assert.deepEqual(run.target.states.at(-1), lastState, "the last state line is the tap's last STATE");

      if (format === 'parquet') {
        // The lakehouse loads the files it can read itself; pyarrow gives the unconstrained numeric
        // a decimal of more than 38 digits, which Spark cannot read, so the target reads that one.
        assert.match(run.target.stderr, /INFO Loaded s3a:\/\/\S+ of stream 'public-numbers' into .* directly/);
        assert.match(run.target.stderr, /INFO The lakehouse cannot read s3a:\/\/\S+ of stream 'public-all_types' .*: the target reads its rows itself/);
      }
      const allTypes = await sparkTypes(schema, ALL_TYPES.table);
      assert.deepEqual([allTypes.n18, allTypes.n38, allTypes.na], ['decimal(18,4)', 'decimal(38,10)', 'string']);
      for (const table of TABLES) {
        const spec = withoutColumns(table, UNWRITABLE[format][table.stream]);
        assert.deepEqual(differences(spec, await sourceRows(spec), (await lakehouseRows(schema, spec)) ?? []), [], spec.table);
      }
    });
  }
});

