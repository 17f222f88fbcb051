import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { configFile, describe as describeTable, freshSchema, query, committedRows, rows, runTarget, schemaScope } from './harness.js';

/**
 * How stream names and values land: every rule of the README's "How data is stored", read back
 * from the local lakehouse.
 */
const jsonLines = (...messages: unknown[]) => messages.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join('\n') + '\n';
const schemaOf = (stream: string, properties: Record<string, unknown>, key_properties: string[] = ['id']) => ({ type: 'SCHEMA', stream, schema: { properties }, key_properties });
const record = (stream: string, rec: Record<string, unknown>) => ({ type: 'RECORD', stream, record: rec });

async function tables(schema: string): Promise<string[]> {
  return (await query(`SHOW TABLES IN spark_catalog.\`${schema}\``)).map((r) => String(r.tableName)).sort();
}

describe('how data is stored', () => {
  const scope = schemaScope();

  it('maps every stream name to a valid Hive table name and finds the tables again on the next run', async () => {
    const names = ['test:SpecialChars!in?attributes', 'raw-weird Stream.Name', 'ventes-Größe Übersicht', 'ORDERS(V2)', 'tap-public-orders.v2'];
    const input = jsonLines(...names.flatMap((stream, i) => [schemaOf(stream, { id: { type: 'integer' } }), record(stream, { id: i })]));
    const first = await scope.load(input, { primary_key_required: true });
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(await tables(first.schema), ['grosse_ubersicht', 'orders_v2_', 'orders_v2', 'test_specialchars_in_attributes', 'weird_stream_name'].sort());
    const second = await scope.load(input, {}, first.schema);
    assert.equal(second.code, 0, second.stderr);
    assert.doesNotMatch(second.stderr, /Creating table/);
    assert.deepEqual(await rows(first.schema, 'ORDERS_V2_', 'ID'), [{ ID: 3 }]);
    assert.deepEqual(await rows(first.schema, 'GROSSE_UBERSICHT', 'ID'), [{ ID: 2 }]);
  });

  it('refuses a default_target_schema the metastore would refuse, before reading input', async () => {
    const run = await runTarget(['--config', await configFile({ default_target_schema: 'my-schema' })], jsonLines(schemaOf('s', { id: { type: 'integer' } })));
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /'default_target_schema' is not a valid schema name: use only ASCII letters, digits and '_'/);
    assert.doesNotMatch(run.stderr, /my-schema/);
  });

  it('refuses two streams that map to one table, naming both, before any data moves', async () => {
    const input = jsonLines(schemaOf('a.b', { id: { type: 'integer' } }), schemaOf('a_b', { id: { type: 'integer' } }), record('a.b', { id: 1 }), record('a_b', { id: 2 }));
    const run = await scope.load(input);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /Streams 'a\.b' and 'a_b' both map to table spark_catalog\.\w+\.A_B.*\(line 2, stream 'a_b'\)/);
    // Nothing was created either: a new table waits for its first batch, and none was loaded.
    const tables = await query(`SHOW TABLES IN spark_catalog.\`${run.schema}\``).catch(() => []);
    assert.deepEqual(tables.filter((t) => String(t.tableName).toLowerCase() === 'a_b'), []);
    const cased = await scope.load(jsonLines(schemaOf('Users', { id: { type: 'integer' } }), schemaOf('users', { id: { type: 'integer' } })));
    assert.match(cased.stderr, /Streams 'Users' and 'users' both map to table/);
  });

  it('keeps loading a table whose column name starts with #', async () => {
    const input = (id: number) => jsonLines(schemaOf('items', { id: { type: 'integer' }, '# of items': { type: 'integer' } }), record('items', { id, '# of items': id * 10 }));
    const first = await scope.load(input(1));
    assert.equal(first.code, 0, first.stderr);
    const second = await scope.load(input(2), {}, first.schema);
    assert.equal(second.code, 0, second.stderr);
    assert.doesNotMatch(second.stderr, /Adding/);
    assert.deepEqual(await rows(first.schema, 'ITEMS', 'ID, `# OF ITEMS` AS N', 'ID'), [{ ID: 1, N: 10 }, { ID: 2, N: 20 }]);
  });

  it('stores multipleOf numbers as exact DECIMAL(38,s) and big integers exactly', async () => {
    const input = jsonLines(
      schemaOf('money', { id: { type: 'integer' }, amount: { type: ['null', 'number'], multipleOf: 0.01 }, mixed: { type: ['integer', 'number'] }, ratio: { type: 'number' } }),
      '{"type":"RECORD","stream":"money","record":{"id":1,"amount":12345678901234567.89,"mixed":9007199254740992,"ratio":0.5}}',
      '{"type":"RECORD","stream":"money","record":{"id":2,"amount":0.1,"mixed":1.25,"ratio":1e-7}}',
      '{"type":"RECORD","stream":"money","record":{"id":3,"amount":"-42.50","mixed":-3,"ratio":2}}',
    );
    const run = await scope.load(input);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await describeTable(run.schema, 'MONEY'), [['ID', 'bigint'], ['AMOUNT', 'decimal(38,2)'], ['MIXED', 'double'], ['RATIO', 'double']]);
    assert.deepEqual(await rows(run.schema, 'MONEY', 'ID, CAST(AMOUNT AS STRING) AS A, MIXED', 'ID'), [
      { ID: 1, A: '12345678901234567.89', MIXED: 9007199254740992 },
      { ID: 2, A: '0.10', MIXED: 1.25 },
      { ID: 3, A: '-42.50', MIXED: -3 },
    ]);
  });

  it('fails naming stream, line, column and value when a number does not fit', async () => {
    const tooFine = await scope.load(jsonLines(schemaOf('money', { id: { type: 'integer' }, amount: { type: 'number', multipleOf: 0.01 } }), record('money', { id: 1, amount: 1.005 })));
    assert.notEqual(tooFine.code, 0);
    assert.match(tooFine.stderr, /Column 'amount': 1\.005 has more than 2 digits after the decimal point.*DECIMAL\(38,2\).*\(line 2, stream 'money'\)/);
    const bigInt = await scope.load(jsonLines(schemaOf('m', { id: { type: 'integer' }, mixed: { type: ['integer', 'number'] } }), '{"type":"RECORD","stream":"m","record":{"id":1,"mixed":9007199254740993}}'));
    assert.notEqual(bigInt.code, 0);
    assert.match(bigInt.stderr, /Column 'mixed': 9007199254740993 cannot be stored exactly in a DOUBLE column \(it would become 9007199254740992\);.*on_inexact_number.*\(line 2, stream 'm'\)/);
  });

  it('fails instead of writing NULL when a BIGINT does not fit an existing DECIMAL column', async () => {
    const schema = scope.track(await freshSchema());
    await query(`CREATE SCHEMA spark_catalog.\`${schema}\``);
    await query(`CREATE TABLE spark_catalog.\`${schema}\`.PRICES (ID BIGINT, PRICE DECIMAL(10,2)) USING iceberg`);
    const run = await scope.load(jsonLines(schemaOf('prices', { id: { type: 'integer' }, price: { type: 'integer' } }), record('prices', { id: 1, price: 5 }), record('prices', { id: 2, price: 123456789012 })), {}, schema);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /Stream 'prices', column PRICE: value 123456789012 \(BIGINT\) cannot be stored as DECIMAL\(10,2\)/);
    assert.deepEqual(await committedRows(schema, 'PRICES', 'ID'), []);
  });

  it('parses every RFC 3339 / ISO 8601 form and stores the UTC instant', async () => {
    const values = [
      '0001-01-01T00:30:00+01:00',
      '2016-12-31T23:59:60Z',
      '2020-12-31T24:00:00Z',
      '20200101T000000Z',
      '2020-01-01T10:00:00.123456789+05:30',
      '1969-07-20 20:17:40',
      '9999-12-31T23:59:59.999999Z',
      '12020-01-01T00:00:00Z',
    ];
    const input = jsonLines(
      schemaOf('times', { id: { type: 'integer' }, at: { type: ['null', 'string'], format: 'date-time' }, loose: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'string' }, { type: 'null' }] } }),
      ...values.map((at, id) => record('times', { id, at, loose: id === 0 ? 'n/a' : at })),
    );
    const run = await scope.load(input);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /'12020-01-01T00:00:00Z' is after the year 9999.*stored as 9999-12-31 23:59:59\.999999Z/);
    // What a TIMESTAMP cannot store is said once per column at the end of the run.
    assert.match(run.stderr, /WARN Stream 'times', column 'at': 1 value\(s\) were leap seconds \(:60\).*the first, line 3: 2016-12-31T23:59:60Z stored as 2016-12-31 23:59:59\.999999\n/);
    assert.match(run.stderr, /WARN Stream 'times', column 'at': 1 value\(s\) had digits beyond the microsecond.*the first, line 6: 2020-01-01T10:00:00\.123456789\+05:30 stored as 2020-01-01 04:30:00\.123456\n/);
    assert.deepEqual(await describeTable(run.schema, 'TIMES'), [['ID', 'bigint'], ['AT', 'timestamp'], ['LOOSE', 'string']]);
    const stored = await rows(run.schema, 'TIMES', 'ID, CAST(AT AS STRING) AS AT, LOOSE', 'ID');
    assert.deepEqual(
      stored.map((r) => r.AT),
      ['0000-12-31 23:30:00', '2016-12-31 23:59:59.999999', '2021-01-01 00:00:00', '2020-01-01 00:00:00', '2020-01-01 04:30:00.123456', '1969-07-20 20:17:40', '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59.999999'],
    );
    assert.equal(stored[0]?.LOOSE, 'n/a');
  });

  it('refuses malformed date-times naming the value, or stores NULL with on_invalid_datetime null', async () => {
    const input = jsonLines(schemaOf('t', { id: { type: 'integer' }, at: { type: 'string', format: 'date-time' } }), record('t', { id: 1, at: '2020-01-01T00:00:00+99:99' }), record('t', { id: 2, at: '2020-01-01garbage' }));
    const strict = await scope.load(input);
    assert.notEqual(strict.code, 0);
    assert.match(strict.stderr, /Column 'at': "2020-01-01T00:00:00\+99:99" is not a valid date-time.*on_invalid_datetime.*\(line 2, stream 't'\)/);
    const lenient = await scope.load(input, { on_invalid_datetime: 'null' });
    assert.equal(lenient.code, 0, lenient.stderr);
    assert.match(lenient.stderr, /"2020-01-01garbage" is not a valid date-time.*stored as NULL/);
    assert.deepEqual(await rows(lenient.schema, 'T', 'ID, AT', 'ID'), [{ ID: 1, AT: null }, { ID: 2, AT: null }]);
  });

  it('refuses an _sdc_deleted_at that is not a timestamp instead of deleting the row', async () => {
    const props = { id: { type: 'integer' }, _sdc_deleted_at: { type: ['null', 'string'] } };
    const first = await scope.load(jsonLines(schemaOf('live', props), record('live', { id: 1 })), { hard_delete: true });
    assert.equal(first.code, 0, first.stderr);
    const second = await scope.load(jsonLines(schemaOf('live', props), record('live', { id: 1, _sdc_deleted_at: '' })), { hard_delete: true, on_invalid_datetime: 'null' }, first.schema);
    assert.notEqual(second.code, 0);
    assert.match(second.stderr, /Column '_sdc_deleted_at': "" is not a valid date-time.*\(line 2, stream 'live'\)/);
    assert.deepEqual(await rows(first.schema, 'LIVE', 'ID'), [{ ID: 1 }]);
  });

  it('reads a SCHEMA without key_properties as a stream without keys, with a warning', async () => {
    const input = jsonLines({ type: 'SCHEMA', stream: 'nokeys', schema: { properties: { v: { type: 'string' } } } }, record('nokeys', { v: 'a' }), record('nokeys', { v: 'a' }));
    const run = await scope.load(input, { primary_key_required: false });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /SCHEMA of stream 'nokeys' has no 'key_properties'/);
    assert.deepEqual(await rows(run.schema, 'NOKEYS', 'V'), [{ V: 'a' }, { V: 'a' }]);
    const required = await scope.load(input, { primary_key_required: true });
    assert.match(required.stderr, /no key properties and 'primary_key_required' is true/);
  });

  it('reads property names as plain data: constructor, toString, __proto__, hasOwnProperty', async () => {
    // Written as JSON text: in a JS object literal `__proto__` would set the prototype.
    const props = '{"id":{"type":"integer"},"constructor":{"type":["null","string"]},"toString":{"type":["null","string"]},"__proto__":{"type":["null","object"]},"hasOwnProperty":{"type":["null","integer"]}}';
    const input = jsonLines(
      `{"type":"SCHEMA","stream":"proto","schema":{"type":"object","properties":${props}},"key_properties":["id"]}`,
      '{"type":"RECORD","stream":"proto","record":{"id":1,"constructor":"c","toString":"t","__proto__":{"x":1},"hasOwnProperty":7}}',
      record('proto', { id: 2 }),
    );
    const run = await scope.load(input, { validate_records: true });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await rows(run.schema, 'PROTO', 'ID, CONSTRUCTOR, TOSTRING, __PROTO__ AS P, HASOWNPROPERTY AS H', 'ID'), [
      { ID: 1, CONSTRUCTOR: 'c', TOSTRING: 't', P: '{"x":1}', H: 7 },
      { ID: 2, CONSTRUCTOR: null, TOSTRING: null, P: null, H: null },
    ]);
  });

  it('refuses empty property names, absurd nesting, fractional versions and invalid UTF-8, naming the line', async () => {
    const base = schemaOf('s', { id: { type: 'integer' } });
    const cases: Array<[string | Buffer, RegExp]> = [
      [jsonLines(schemaOf('s', { id: { type: 'integer' }, '': { type: 'string' } })), /property with an empty name.*\(line 1, stream 's'\)/],
      [jsonLines(base, `{"type":"RECORD","stream":"s","record":{"id":1,"deep":${'['.repeat(20000)}${']'.repeat(20000)}}}`), /nests deeper than 100 levels.*\(line 2, stream 's'\)/],
      [jsonLines(base, { type: 'ACTIVATE_VERSION', stream: 's', version: 1.5 }), /ACTIVATE_VERSION 'version' must be a non-negative integer.*got 1\.5 \(line 2, stream 's'\)/],
      [Buffer.concat([Buffer.from(jsonLines(base)), Buffer.from('{"type":"RECORD","stream":"s","record":{"id":1,"name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}\n')]), /not valid UTF-8.*on_invalid_utf8.*\(line 2\)/],
    ];
    for (const [input, expected] of cases) {
      const run = await scope.load(input as string);
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, expected);
      assert.doesNotMatch(run.stderr, /TypeError|RangeError|Unexpected failure|\n\s+at /);
    }
  });

  it('replaces invalid UTF-8 with U+FFFD and a warning when on_invalid_utf8 is replace', async () => {
    const input = Buffer.concat([Buffer.from(jsonLines(schemaOf('s', { id: { type: 'integer' }, name: { type: 'string' } }))), Buffer.from('{"type":"RECORD","stream":"s","record":{"id":1,"name":"a'), Buffer.from([0xff]), Buffer.from('b"}}\n')]);
    const run = await scope.load(input as unknown as string, { on_invalid_utf8: 'replace' });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Line 2: invalid UTF-8 bytes replaced by U\+FFFD/);
    assert.deepEqual(await rows(run.schema, 'S', 'NAME'), [{ NAME: 'a\uFFFDb' }]);
  });

  it('resolves $ref (definitions, $defs) and allOf before deriving columns', async () => {
    const schema = {
      type: 'object',
      definitions: { id: { type: 'integer' }, stamp: { type: ['null', 'string'], format: 'date-time' } },
      $defs: { money: { type: 'number', multipleOf: 0.001 } },
      properties: {
        id: { $ref: '#/definitions/id' },
        at: { $ref: '#/definitions/stamp' },
        price: { $ref: '#/$defs/money' },
        both: { allOf: [{ type: ['null', 'integer', 'string'] }, { type: ['integer', 'null'] }] },
      },
    };
    const input = jsonLines({ type: 'SCHEMA', stream: 'refs', schema, key_properties: ['id'] }, record('refs', { id: 1, at: '2020-01-01T00:00:00Z', price: 1.234, both: 5 }));
    const run = await scope.load(input, { validate_records: true });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await describeTable(run.schema, 'REFS'), [['ID', 'bigint'], ['AT', 'timestamp'], ['PRICE', 'decimal(38,3)'], ['BOTH', 'bigint']]);
    assert.deepEqual(await rows(run.schema, 'REFS', 'CAST(AT AS STRING) AS AT, CAST(PRICE AS STRING) AS P, BOTH'), [{ AT: '2020-01-01 00:00:00', P: '1.234', BOTH: 5 }]);
  });
});
