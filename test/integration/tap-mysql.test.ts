import { strict as assert } from 'node:assert';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ensureTapMysql } from '../../scripts/python-tools.js';
import { qualifiedName, quoteIdentifier } from '../../src/sql/quote.js';
import { differences, lakehouseQuery, mysqlQuery, parsePostgresRows, type Cells, type Kind, type TableSpec } from '../support/cell-compare.js';
import { startMariaDb, type MariaDb } from '../support/mariadb.js';
import { mysqlTapFor } from '../support/tap-mysql.js';
import { discover, pipeToTarget, selectAll, type Catalog, type PipeRun, type Tap } from '../support/tap-postgres.js';
import { configFile, describe as describeTable, dropSchema, freshSchema, query } from './harness.js';

/**
 * The Meltano Hub's default tap-mysql (pipelinewise-tap-mysql, a Singer tap without the SDK) from a
 * real MariaDB (Debian's mariadb-server, apt-installed when missing, started in a temp dir) into
 * the local lakehouse: discovery with every stream selected, FULL_TABLE and INCREMENTAL streams,
 * `tap-mysql | target-iomete`, and every cell read back on both sides and compared exactly
 * (test/support/cell-compare.ts). The server runs at +05:00 so no reader depends on its zone.
 *
 * What the tap itself changes on the way is asserted from its own output and listed in TAP_CHANGES:
 * those cells are the only differences allowed.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = join(root, 'test/fixtures/tap-mysql');
const SERVER_TIME_ZONE = '+05:00';

/**
 * Each all_types column the tap sends: how its cells are compared, and its Spark type (the tap's
 * schema; d65 by column_types).
 */
const ALL_TYPES_COLUMNS: Record<string, [Kind, string]> = {
  id: ['integer', 'bigint'],
  flag: ['boolean', 'boolean'],
  yes: ['boolean', 'boolean'],
  ti: ['integer', 'bigint'],
  tu: ['integer', 'bigint'],
  si: ['integer', 'bigint'],
  mi: ['integer', 'bigint'],
  i: ['integer', 'bigint'],
  iu: ['integer', 'bigint'],
  bi: ['integer', 'bigint'],
  bu: ['decimal', 'decimal(20,0)'],
  d65: ['decimal', 'string'],
  d10: ['decimal', 'decimal(38,2)'],
  f: ['double', 'double'],
  dbl: ['double', 'double'],
  b1: ['boolean', 'boolean'],
  b64: ['boolean', 'boolean'],
  dt: ['timestamp', 'timestamp'],
  dtm: ['timestamp', 'timestamp'],
  dt0: ['timestamp', 'timestamp'],
  ts: ['timestamp', 'timestamp'],
  tm: ['duration', 'string'],
  ch: ['text', 'string'],
  vc: ['text', 'string'],
  tx: ['text', 'string'],
  en: ['text', 'string'],
  js: ['text', 'string'],
  bn: ['bytes', 'string'],
  vb: ['bytes', 'string'],
};
const ALL_TYPES: TableSpec = {
  stream: 'shop-all_types',
  source: 'shop.all_types',
  origin: 'MariaDB',
  table: 'all_types',
  key: ['id'],
  columns: Object.fromEntries(Object.entries(ALL_TYPES_COLUMNS).map(([column, [kind]]) => [column, kind])),
};
const SPARK_TYPES = Object.fromEntries(Object.entries(ALL_TYPES_COLUMNS).map(([column, [, type]]) => [column, type]));
const NUMBERS: TableSpec = {
  stream: 'shop-numbers',
  source: 'shop.numbers',
  origin: 'MariaDB',
  table: 'numbers',
  key: ['id'],
  columns: { id: 'integer', d65: 'decimal', d10: 'decimal' },
};
const ORDER_ITEMS: TableSpec = {
  stream: 'shop-Order Items',
  source: 'shop.`Order Items`',
  origin: 'MariaDB',
  table: 'order_items',
  key: ['order_id', 'line_no'],
  columns: { order_id: 'integer', line_no: 'integer', sku: 'text', qty: 'integer', price: 'decimal', updated_at: 'timestamp' },
};
const EVENTS_LOG: TableSpec = {
  stream: 'shop-events_log',
  source: 'shop.events_log',
  origin: 'MariaDB',
  table: 'events_log',
  key: [],
  columns: { at: 'timestamp', kind: 'text', payload: 'text' },
};
const TABLES = [ALL_TYPES, NUMBERS, ORDER_ITEMS, EVENTS_LOG];

/** DECIMAL(65,30) has up to 35 digits before the point: no Spark DECIMAL holds it, its exact text does. */
const COLUMN_TYPES = { 'shop-*': { d65: 'STRING' } };

/**
 * The tap connects with pymysql's 3-byte `utf8`, so the server sends `?` for every character beyond
 * the Basic Multilingual Plane (an emoji); a session in utf8mb4 (the tap's own `session_sqls`,
 * its defaults kept) sends them as they are.
 */
const UTF8MB4_SESSION = {
  session_sqls: [
    'SET @@session.time_zone="+0:00"',
    'SET @@session.wait_timeout=28800',
    'SET @@session.net_read_timeout=3600',
    'SET @@session.innodb_lock_wait_timeout=3600',
    'SET NAMES utf8mb4',
  ],
};

/** What pipelinewise-tap-mysql 1.6.0 declares for each column of shop.all_types. */
const DECLARED: Record<string, unknown> = {
  id: { inclusion: 'automatic', minimum: -2147483648, maximum: 2147483647, type: ['null', 'integer'] },
  flag: { inclusion: 'available', type: ['null', 'boolean'] },
  yes: { inclusion: 'available', type: ['null', 'boolean'] },
  ti: { inclusion: 'available', minimum: -128, maximum: 127, type: ['null', 'integer'] },
  tu: { inclusion: 'available', minimum: 0, maximum: 255, type: ['null', 'integer'] },
  si: { inclusion: 'available', minimum: -32768, maximum: 32767, type: ['null', 'integer'] },
  mi: { inclusion: 'available', minimum: -8388608, maximum: 8388607, type: ['null', 'integer'] },
  i: { inclusion: 'available', minimum: -2147483648, maximum: 2147483647, type: ['null', 'integer'] },
  iu: { inclusion: 'available', minimum: 0, maximum: 4294967295, type: ['null', 'integer'] },
  // The bounds are Python floats: 2^63 written as the double nearest it.
  bi: { inclusion: 'available', minimum: -9223372036854776000, maximum: 9223372036854776000, type: ['null', 'integer'] },
  bu: { inclusion: 'available', minimum: 0, maximum: 18446744073709552000, type: ['null', 'integer'] },
  d65: { inclusion: 'available', multipleOf: 1e-30, type: ['null', 'number'] },
  d10: { inclusion: 'available', multipleOf: 0.01, type: ['null', 'number'] },
  f: { inclusion: 'available', type: ['null', 'number'] },
  dbl: { inclusion: 'available', type: ['null', 'number'] },
  b1: { inclusion: 'available', type: ['null', 'boolean'] },
  b64: { inclusion: 'available', type: ['null', 'boolean'] },
  dt: { inclusion: 'available', format: 'date-time', type: ['null', 'string'] },
  dtm: { inclusion: 'available', format: 'date-time', type: ['null', 'string'] },
  dt0: { inclusion: 'available', format: 'date-time', type: ['null', 'string'] },
  ts: { inclusion: 'available', format: 'date-time', type: ['null', 'string'] },
  tm: { inclusion: 'available', format: 'time', type: ['null', 'string'] },
  yr: { inclusion: 'unsupported', description: 'Unsupported column type year(4)' },
  ch: { inclusion: 'available', maxLength: 5, type: ['null', 'string'] },
  vc: { inclusion: 'available', maxLength: 100, type: ['null', 'string'] },
  tx: { inclusion: 'available', maxLength: 65535, type: ['null', 'string'] },
  en: { inclusion: 'available', maxLength: 10, type: ['null', 'string'] },
  st: { inclusion: 'unsupported', description: "Unsupported column type set('red','green','blue')" },
  js: { inclusion: 'available', maxLength: 4294967295, type: ['null', 'string'] },
  bn: { inclusion: 'available', format: 'binary', type: ['null', 'string'] },
  vb: { inclusion: 'available', format: 'binary', type: ['null', 'string'] },
  bl: { inclusion: 'unsupported', description: 'Unsupported column type blob' },
};


/**
 * The cells the tap changes before the target sees them, each shown from the tap's own output in
 * the first run's test: a FLOAT is read as the 6 significant digits MySQL prints of it, and a BIT(n)
 * wider than 1 is declared boolean and sent `true` for any value, zero bits included.
 */
const TAP_CHANGES = [
  'all_types ["2"] f: mariadb "3.402820018375656e38", lakehouse "3.40282E38"',
  'all_types ["3"] f: mariadb "-1.1754900067970481e-38", lakehouse "-1.17549E-38"',
  'all_types ["4"] f: mariadb "0.10000000149011612", lakehouse "0.1"',
  'all_types ["6"] f: mariadb "16777216", lakehouse "1.67772E7"',
  'all_types ["1"] b64: mariadb "false", lakehouse "true"',
];

describe('tap-mysql from a real MariaDB into the lakehouse, every cell compared', { timeout: 30 * 60_000 }, () => {
  let db: MariaDb | undefined;
  let tap: Tap;
  let defaultTap: Tap;
  const tapDirs: string[] = [];
  let catalog: Catalog;
  const schemas: string[] = [];
  /** The exact runs' schemas and last states, for the second run. */
  const loaded: Array<{ schema: string; config: string; state: unknown; hardDelete: boolean }> = [];

  const sourceRows = async (spec: TableSpec): Promise<Cells[]> => parsePostgresRows(await (db as MariaDb).sql(mysqlQuery(spec)));

  /** The lakehouse table's rows (only those not marked deleted, with `current`), or undefined when the run made no such table. */
  const lakehouseRows = async (schema: string, spec: TableSpec, rows: 'all' | 'current' | 'deleted' = 'all'): Promise<Cells[] | undefined> => {
    const tables = (await query(`SHOW TABLES IN ${qualifiedName('spark_catalog', schema)}`)).map((row) => String(row.tableName).toLowerCase());
    if (!tables.includes(spec.table)) return undefined;
    const deletedAt = quoteIdentifier('_SDC_DELETED_AT');
    const where = rows === 'all' ? undefined : `${deletedAt} IS ${rows === 'current' ? '' : 'NOT '}NULL`;
    const found = await query(lakehouseQuery(schema, spec, await describeTable(schema, spec.table), where));
    const columns = Object.keys(spec.columns);
    return found.map((row) => columns.map((column) => (row[column] === null || row[column] === undefined ? null : String(row[column]))));
  };

  const sparkTypes = async (schema: string, table: string): Promise<Record<string, string>> =>
    Object.fromEntries((await describeTable(schema, table)).map(([name, type]) => [name.toLowerCase(), type.toLowerCase()]));

  const messages = (run: PipeRun) =>
    run.tapOutput
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { type: string; stream?: string; record?: Record<string, unknown>; value?: unknown; version?: number });
  const recordsOf = (run: PipeRun, stream: string) => messages(run).filter((m) => m.type === 'RECORD' && m.stream === stream).map((m) => m.record as Record<string, unknown>);

  before(async () => {
    const log = (line: string) => console.error(line);
    const [server, executable] = await Promise.all([startMariaDb({ timezone: SERVER_TIME_ZONE, log }), ensureTapMysql(log)]);
    db = server;
    await db.sql(await readFile(join(fixtures, 'seed.sql'), 'utf8'));
    const connection = { port: db.port, user: db.user, password: db.password, databases: ['shop'] };
    defaultTap = await mysqlTapFor(executable, connection);
    tap = await mysqlTapFor(executable, connection, UTF8MB4_SESSION);
    tapDirs.push(defaultTap.dir, tap.dir);
    catalog = selectAll(await discover(tap), {
      'shop-all_types': { method: 'FULL_TABLE' },
      'shop-numbers': { method: 'FULL_TABLE' },
      'shop-events_log': { method: 'FULL_TABLE' },
      'shop-Order Items': { method: 'INCREMENTAL', key: 'updated_at' },
    });
  });

  after(async () => {
    await db?.stop();
    for (const dir of tapDirs) await rm(dir, { recursive: true, force: true });
    for (const schema of schemas) await dropSchema(schema);
  });

  it('discovers every table, with the schemas pipelinewise-tap-mysql 1.6.0 declares', () => {
    assert.deepEqual(catalog.streams.map((s) => s.tap_stream_id).sort(), TABLES.map((t) => t.stream).sort());
    const allTypes = catalog.streams.find((s) => s.tap_stream_id === ALL_TYPES.stream);
    assert.deepEqual(allTypes?.schema.properties, DECLARED);
    const keys = (stream: string) => catalog.streams.find((s) => s.tap_stream_id === stream)?.metadata.find((m) => m.breadcrumb.length === 0)?.metadata['table-key-properties'];
    assert.deepEqual(keys(ORDER_ITEMS.stream), ['order_id', 'line_no']);
    assert.deepEqual(keys(EVENTS_LOG.stream), []);
  });

  it('by default stops at the first decimal no DECIMAL column holds, with one line naming it and the fix', async () => {
    const schema = await freshSchema('my_default');
    schemas.push(schema);
    const config = await configFile({ default_target_schema: schema, primary_key_required: false });
    const run = await pipeToTarget(defaultTap, catalog, config);

    // multipleOf 1e-30 makes DECIMAL(38,30): 8 digits before the point, where MySQL has 35.
    const lines = run.tapOutput.split('\n');
    // (The tap writes a record's properties in no fixed order.)
    const at = lines.findIndex((line) => line.includes('"type": "RECORD"') && /"d65": 9{35}\.9{30}[,}]/.test(line));
    assert.ok(at >= 0, 'the tap sent the largest DECIMAL(65,30)');
    assert.notEqual(run.target.code, 0, run.target.stderr);
    const errors = run.target.stderr.split('\n').filter((line) => /\bERROR\b/.test(line));
    assert.equal(errors.length, 1, run.target.stderr);
    assert.match(
      errors[0] as string,
      new RegExp(
        `ERROR Column 'd65': 9{35}\\.9{24}… has more than 8 digits before the decimal point, so it does not fit DECIMAL\\(38,30\\); ` +
          `fix the tap's value, or no DECIMAL of scale 30 holds it: give the column a smaller scale or STRING \\(the number's exact text\\) with column_types \\(line ${at + 1}, stream 'shop-all_types'\\)$`,
      ),
    );
    // Nothing the lakehouse holds was changed on the way.
    for (const spec of TABLES) {
      const rows = await lakehouseRows(schema, spec);
      if (rows) assert.deepEqual(differences(spec, await sourceRows(spec), rows, 'subset'), []);
    }

    // The tap's own connection is 3-byte utf8: MariaDB sends `?` for an emoji, before any target sees it.
    const row2 = recordsOf(run, ALL_TYPES.stream).find((r) => r.id === 2);
    assert.equal(row2?.vc, 'héllo wörld ✓ 日本語 ?');
  });

  /** A first run into a fresh schema with the exact settings; what the second run needs of it. */
  const firstRun = async (prefix: string, settings: Record<string, unknown>) => {
    const schema = await freshSchema(prefix);
    schemas.push(schema);
    const config = await configFile({ default_target_schema: schema, primary_key_required: false, column_types: COLUMN_TYPES, ...settings });
    const run = await pipeToTarget(tap, catalog, config);
    assert.equal(run.tapCode, 0, run.tapStderr);
    assert.equal(run.target.code, 0, run.target.stderr);
    const state = messages(run)
      .filter((m) => m.type === 'STATE')
      .map((m) => m.value)
      .at(-1);
    assert.deepEqual(run.target.states.at(-1), state, "the last state line is the tap's last STATE");
    assert.deepEqual(differences(ALL_TYPES, await sourceRows(ALL_TYPES), (await lakehouseRows(schema, ALL_TYPES)) ?? []).sort(), [...TAP_CHANGES].sort());
    for (const spec of [NUMBERS, ORDER_ITEMS, EVENTS_LOG]) assert.deepEqual(differences(spec, await sourceRows(spec), (await lakehouseRows(schema, spec)) ?? []), [], spec.table);
    return { schema, config, state, run };
  };

  it('with column_types for DECIMAL(65,30), loads every cell exactly as MariaDB holds it, but for what the tap changes', async () => {
    const { schema, config, state, run } = await firstRun('my_exact', {});
    const types = await sparkTypes(schema, ALL_TYPES.table);
    assert.deepEqual(Object.fromEntries(Object.keys(SPARK_TYPES).map((c) => [c, types[c]])), SPARK_TYPES);
    // YEAR, SET and BLOB are "unsupported" in the tap's discovery: it never sends them.
    for (const column of ['yr', 'st', 'bl']) assert.equal(types[column], undefined, column);

    // What the tap sent for the cells it changes.
    const sent = new Map(recordsOf(run, ALL_TYPES.stream).map((r) => [r.id, r]));
    assert.deepEqual([2, 3, 4, 6].map((id) => sent.get(id)?.f), [3.40282e38, -1.17549e-38, 0.1, 16777200]);
    assert.equal(sent.get(1)?.b64, true, 'BIT(64) b0 is sent as true');
    // TIME as Python's timedelta text: the same duration, not a time of day.
    assert.deepEqual(
      [1, 2, 3, 4, 6].map((id) => sent.get(id)?.tm),
      ['0:00:00', '34 days, 22:59:59', '-35 days, 1:00:01', '-1 day, 23:59:59.999999', '1 day, 1:30:00.250000'],
    );
    assert.equal(sent.get(2)?.vc, 'héllo wörld ✓ 日本語 🎉', 'utf8mb4 session: the emoji as it is');
    loaded.push({ schema, config, state, hardDelete: false });
    // The same into another schema with hard_delete, for the second run.
    loaded.push({ ...(await firstRun('my_hard', { hard_delete: true })), hardDelete: true });
  });

  it('a second run from that state, after UPDATE, INSERT and DELETE in MariaDB: older versions marked deleted (or deleted with hard_delete), incremental changes merged', async () => {
    assert.equal(loaded.length, 2, 'the first runs loaded');
    const firstRunEvents = await sourceRows(EVENTS_LOG);
    const firstRunAllTypes = await sourceRows(ALL_TYPES);
    const firstRunNumbers = await sourceRows(NUMBERS);
    await (db as MariaDb).sql(await readFile(join(fixtures, 'changes.sql'), 'utf8'));
    // The inserted row 7 has BIT(64) b0 too, which the tap sends as true.
    const tapChanges = [...TAP_CHANGES, 'all_types ["7"] b64: mariadb "false", lakehouse "true"'].sort();

    for (const { schema, config, state, hardDelete } of loaded) {
      const run = await pipeToTarget(tap, catalog, config, state);
      assert.equal(run.tapCode, 0, run.tapStderr);
      assert.equal(run.target.code, 0, run.target.stderr);
      assert.equal(recordsOf(run, ALL_TYPES.stream).find((r) => r.id === 7)?.b64, true);

      // FULL_TABLE streams are read whole under a new version, activated at their end.
      for (const spec of [ALL_TYPES, NUMBERS, EVENTS_LOG]) {
        const versions = messages(run).filter((m) => m.type === 'ACTIVATE_VERSION' && m.stream === spec.stream);
        assert.ok(versions.length > 0, `${spec.stream} sent ACTIVATE_VERSION`);
        const retired = hardDelete ? 'deleted' : 'marked in _SDC_DELETED_AT';
        assert.match(run.target.stderr, new RegExp(`Version ${versions.at(-1)?.version} of stream '${spec.stream}' is active: \\d+ row\\(s\\) of older versions ${retired}`));
      }
      // The incremental stream sends the rows at or after its bookmark: (1,1) is not read again.
      assert.deepEqual(
        recordsOf(run, ORDER_ITEMS.stream).map((r) => [r.order_id, r.line_no]),
        [
          [2, 1],
          [1, 2],
          [3, 1],
        ],
      );
      assert.deepEqual(differences(ORDER_ITEMS, await sourceRows(ORDER_ITEMS), (await lakehouseRows(schema, ORDER_ITEMS)) ?? []), []);

      if (hardDelete) {
        // Rows of older versions are gone: each table holds what MariaDB holds.
        assert.deepEqual(differences(ALL_TYPES, await sourceRows(ALL_TYPES), (await lakehouseRows(schema, ALL_TYPES)) ?? []).sort(), tapChanges);
        for (const spec of [NUMBERS, EVENTS_LOG]) assert.deepEqual(differences(spec, await sourceRows(spec), (await lakehouseRows(schema, spec)) ?? []), [], spec.table);
        continue;
      }
      // Rows MariaDB no longer holds are kept, marked deleted; the others are equal.
      assert.deepEqual(differences(ALL_TYPES, await sourceRows(ALL_TYPES), (await lakehouseRows(schema, ALL_TYPES, 'current')) ?? []).sort(), tapChanges);
      const deletedAllTypes = firstRunAllTypes.filter((row) => row[0] === '5');
      assert.deepEqual(differences(ALL_TYPES, deletedAllTypes, (await lakehouseRows(schema, ALL_TYPES, 'deleted')) ?? []), []);
      assert.deepEqual(differences(NUMBERS, await sourceRows(NUMBERS), (await lakehouseRows(schema, NUMBERS, 'current')) ?? []), []);
      const deletedNumbers = firstRunNumbers.filter((row) => Number(row[0]) % 500 === 0);
      assert.deepEqual(differences(NUMBERS, deletedNumbers, (await lakehouseRows(schema, NUMBERS, 'deleted')) ?? []), []);
      // A table without a key is appended: this run's rows are current, all of the first run's marked.
      assert.deepEqual(differences(EVENTS_LOG, await sourceRows(EVENTS_LOG), (await lakehouseRows(schema, EVENTS_LOG, 'current')) ?? []), []);
      assert.deepEqual(differences(EVENTS_LOG, firstRunEvents, (await lakehouseRows(schema, EVENTS_LOG, 'deleted')) ?? []), []);
    }
  });
});
