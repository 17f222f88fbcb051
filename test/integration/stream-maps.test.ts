import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { describe as describeTable, query, rows, schemaScope, type FixtureRun } from './harness.js';

/** Stream maps and the SDK flattening settings through the CLI, rows read back from the lakehouse. */

const { load } = schemaScope();
const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const CUSTOMERS_SCHEMA = {
  type: 'SCHEMA',
  stream: 'customers',
  key_properties: ['id'],
  schema: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      name: { type: ['null', 'string'] },
      email: { type: ['null', 'string'] },
      country: { type: ['null', 'string'] },
    },
  },
};
const PEOPLE = [
  { id: 1, name: 'Jane Carter', email: 'Jane@Example.com', country: 'NL' },
  { id: 2, name: 'Bob Stone', email: 'bob@other.org', country: 'DE' },
  { id: 3, name: 'Ann Lee', email: 'ann@example.com', country: 'NL' },
];
const ORDERS_SCHEMA = { type: 'SCHEMA', stream: 'orders', key_properties: ['id'], schema: { properties: { id: { type: 'integer' }, total: { type: 'number' } } } };

function input(...messages: unknown[]): string {
  return `${messages.map((m) => JSON.stringify(m)).join('\n')}\n`;
}
const customers = (people: ReadonlyArray<Record<string, unknown>> = PEOPLE) => [CUSTOMERS_SCHEMA, ...people.map((record) => ({ type: 'RECORD', stream: 'customers', record }))];
const state = { type: 'STATE', value: { bookmarks: { customers: { id: 3 } } } };

function ok(run: FixtureRun): void {
  assert.equal(run.code, 0, `target failed:\n${run.stderr}`);
}

async function tables(schema: string): Promise<string[]> {
  return (await query(`SHOW TABLES IN spark_catalog.\`${schema}\``)).map((r) => String(r.tableName)).sort();
}

describe('stream maps', () => {
  it('hash and drop PII: the raw e-mail never reaches the table', async () => {
    const run = await load(input(...customers(), state), {
      stream_maps: { customers: { email: '__NULL__', email_hash: "md5(config['seed'] + email.lower())", name_hash: 'sha256(name)', country: 'country.lower()' } },
      stream_map_config: { seed: 'pepper' },
    });
    ok(run);
    assert.deepEqual(run.states, [state.value]);
    const columns = await describeTable(run.schema, 'customers');
    assert.deepEqual(columns, [
      ['ID', 'bigint'],
      ['NAME', 'string'],
      ['COUNTRY', 'string'],
      ['EMAIL_HASH', 'string'],
      ['NAME_HASH', 'string'],
    ]);
    assert.deepEqual(await rows(run.schema, 'customers', 'ID, COUNTRY, EMAIL_HASH, NAME_HASH', 'ID'), [
      { ID: 1, COUNTRY: 'nl', EMAIL_HASH: md5('pepperjane@example.com'), NAME_HASH: sha256('Jane Carter') },
      { ID: 2, COUNTRY: 'de', EMAIL_HASH: md5('pepperbob@other.org'), NAME_HASH: sha256('Bob Stone') },
      { ID: 3, COUNTRY: 'nl', EMAIL_HASH: md5('pepperann@example.com'), NAME_HASH: sha256('Ann Lee') },
    ]);
    assert.ok(!run.stderr.includes('pepper'), 'the hash seed is never logged');
  });

  it('alias, filter and a __source__ copy with __else__: two tables with the rows each map keeps', async () => {
    const run = await load(input(...customers(), state), {
      stream_maps: {
        customers: { __alias__: 'clients', __filter__: "country == 'NL'", email: null, first_name: "name.split(' ')[0]" },
        customers_pii: { __source__: 'customers', id: 'id', email: 'email', __else__: null },
      },
    });
    ok(run);
    assert.deepEqual(await tables(run.schema), ['clients', 'customers_pii']);
    assert.deepEqual(await rows(run.schema, 'clients', '*', 'ID'), [
      { ID: 1, NAME: 'Jane Carter', COUNTRY: 'NL', FIRST_NAME: 'Jane' },
      { ID: 3, NAME: 'Ann Lee', COUNTRY: 'NL', FIRST_NAME: 'Ann' },
    ]);
    assert.deepEqual(await rows(run.schema, 'customers_pii', '*', 'ID'), [
      { ID: 1, EMAIL: 'Jane@Example.com' },
      { ID: 2, EMAIL: 'bob@other.org' },
      { ID: 3, EMAIL: 'ann@example.com' },
    ]);
  });

  it('top-level __else__: null loads only the mapped streams; new keys with __key_properties__', async () => {
    const run = await load(input(...customers(), ORDERS_SCHEMA, { type: 'RECORD', stream: 'orders', record: { id: 1, total: 9.5 } }, state), {
      stream_maps: {
        customers: { id: null, email_key: 'md5(email.lower())', __key_properties__: ['email_key'], name: null, email: null },
        __else__: null,
      },
    });
    ok(run);
    assert.deepEqual(await tables(run.schema), ['customers']);
    assert.deepEqual(await rows(run.schema, 'customers', '*', 'EMAIL_KEY'), [
      { COUNTRY: 'NL', EMAIL_KEY: md5('ann@example.com') },
      { COUNTRY: 'DE', EMAIL_KEY: md5('bob@other.org') },
      { COUNTRY: 'NL', EMAIL_KEY: md5('jane@example.com') },
    ].sort((a, b) => a.EMAIL_KEY.localeCompare(b.EMAIL_KEY)));
    assert.deepEqual(run.states, [state.value]);
  });

  it('the * wildcard maps every stream, and BATCH files of a mapped stream take the record path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stream-maps-batch-'));
    const file = join(dir, 'customers.jsonl');
    await writeFile(file, `${PEOPLE.map((p) => JSON.stringify(p)).join('\n')}\n`);
    const run = await load(
      input(CUSTOMERS_SCHEMA, { type: 'BATCH', stream: 'customers', encoding: { format: 'jsonl', compression: 'none' }, manifest: [pathToFileURL(file).href] }, ORDERS_SCHEMA, { type: 'RECORD', stream: 'orders', record: { id: 1, total: 9.5 } }),
      { stream_maps: { '*': { loaded_by: "'stream maps'" }, customers: { email: null, loaded_by: "'batch'" } } },
    );
    ok(run);
    assert.deepEqual(await rows(run.schema, 'customers', 'ID, LOADED_BY', 'ID'), [
      { ID: 1, LOADED_BY: 'batch' },
      { ID: 2, LOADED_BY: 'batch' },
      { ID: 3, LOADED_BY: 'batch' },
    ]);
    assert.ok(!(await describeTable(run.schema, 'customers')).some(([name]) => name === 'EMAIL'));
    assert.deepEqual(await rows(run.schema, 'orders', '*'), [{ ID: 1, TOTAL: 9.5, LOADED_BY: 'stream maps' }]);
  });

  it('a failing expression stops the run with one line naming stream, property, expression and line', async () => {
    const run = await load(input(...customers([{ id: 1, name: null, email: 'x@y', country: 'NL' }])), { stream_maps: { customers: { name_hash: 'md5(name)' } } });
    assert.equal(run.code, 1);
    const errors = run.stderr.split('\n').filter((l) => /error/i.test(l));
    assert.equal(errors.length, 1, run.stderr);
    assert.match(errors[0]!, /Stream map 'stream_maps\.customers\.name_hash': expression `md5\(name\)` failed: TypeError: md5\(\) needs a str, got NoneType .*\(line 2, stream 'customers'\)/);
    assert.ok(!/\n\s+at /.test(run.stderr), 'no stack trace');
  });

  it('a bad expression is a config error before anything is loaded', async () => {
    const run = await load(input(...customers()), { stream_maps: { customers: { x: 'md5(' } } });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /'stream_maps\.customers\.x': cannot parse expression `md5\(`/);
    assert.deepEqual(await query(`SHOW SCHEMAS LIKE '${run.schema}'`), []);
  });
});

describe('SDK flattening settings', () => {
  it('flattening_enabled: false keeps objects whole, even with flattening_max_depth', async () => {
    const run = await load('messages-with-nested-schema.json', { flattening_enabled: false, flattening_max_depth: 1 });
    ok(run);
    const columns = (await describeTable(run.schema, 'test_table_nested_schema')).map(([name]) => name);
    assert.ok(columns.includes('C_OBJECT_WITH_PROPS') && !columns.some((c) => c.includes('__')), columns.join(', '));
    const [row] = await rows(run.schema, 'test_table_nested_schema', 'C_OBJECT_WITH_PROPS');
    assert.deepEqual(JSON.parse(String(row?.C_OBJECT_WITH_PROPS)), { key_1: 'value_1' });
  });

  it('flattening_enabled: true with flattening_max_depth 1 opens one level', async () => {
    const run = await load('messages-with-nested-schema.json', { flattening_enabled: true, flattening_max_depth: 1 });
    ok(run);
    const [row] = await rows(run.schema, 'test_table_nested_schema', 'C_OBJECT_WITH_PROPS__KEY_1, C_NESTED_OBJECT__NESTED_PROP_3');
    assert.equal(row?.C_OBJECT_WITH_PROPS__KEY_1, 'value_1');
    assert.deepEqual(JSON.parse(String(row?.C_NESTED_OBJECT__NESTED_PROP_3)), { multi_nested_prop_1: 'multi_value_1', multi_nested_prop_2: 'multi_value_2' });
  });

  it('conflicting spellings are one config error', async () => {
    const run = await load('messages-with-nested-schema.json', { flattening_enabled: false, data_flattening_max_level: 2 });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /'flattening_enabled' is false but 'data_flattening_max_level' is 2; keep one of them/);
  });
});
