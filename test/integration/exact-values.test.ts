import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { describe as describeTable, query, committedRows, rows, schemaScope } from './harness.js';

/**
 * Every value exact or refused (README "How data is stored"): what a SQL tap sends for its
 * decimals and unsigned keys, read back from the local lakehouse.
 */
const lines = (...messages: unknown[]) => messages.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join('\n') + '\n';
/** What MeltanoLabs tap-postgres declares for `numeric`: a plain number. */
const plainNumber = { type: ['number', 'null'] };
const invoices = { type: 'SCHEMA', stream: 'public-invoices', schema: { properties: { id: { type: ['integer'] }, amount: plainNumber, price: plainNumber, größe: { type: ['string', 'null'] } } }, key_properties: ['id'] };
/** Log lines of one level, without their timestamps. */
const logged = (stderr: string, level: string) => stderr.split('\n').filter((l) => l.includes(` ${level} `)).map((l) => l.slice(l.indexOf(` ${level} `) + level.length + 2));
const FIXES = "give the column an exact type with the column_types setting (e.g. DECIMAL(38,10)) or default_number_type, add multipleOf to the property with the extractor's schema extra, or set on_inexact_number to round";

describe('numbers are stored exactly or refused', () => {
  const scope = schemaScope();
  const input = lines(
    invoices,
    '{"type":"RECORD","stream":"public-invoices","record":{"id":1,"amount":12.5,"price":0.1}}',
    '{"type":"RECORD","stream":"public-invoices","record":{"id":2,"amount":99999999999999.9999,"price":1e300}}',
    { type: 'STATE', value: { bookmarks: { 'public-invoices': { id: 2 } } } },
    '{"type":"RECORD","stream":"public-invoices","record":{"id":3,"amount":6000000000000.0000000006,"price":0E-10}}',
  );

  it('stops at the first number a DOUBLE cannot hold, with one line naming stream, column, line, value and fixes', async () => {
    const run = await scope.load(input);
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(logged(run.stderr, 'ERROR'), [
      `Column 'amount': 99999999999999.9999 cannot be stored exactly in a DOUBLE column (it would become 100000000000000); ${FIXES} (line 3, stream 'public-invoices')`,
    ]);
    assert.deepEqual(run.states, []);
    assert.deepEqual(await committedRows(run.schema, 'INVOICES', 'ID'), []);
  });

  it('stores the nearest double with on_inexact_number round, and says so once per column', async () => {
    const run = await scope.load(input, { on_inexact_number: 'round' });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(logged(run.stderr, 'WARN'), [
      "Stream 'public-invoices', column 'amount': 2 value(s) had more digits than a DOUBLE holds and were stored rounded (on_inexact_number is round); the first, line 3: 99999999999999.9999 stored as 100000000000000",
    ]);
    assert.deepEqual(await describeTable(run.schema, 'INVOICES'), [['ID', 'bigint'], ['AMOUNT', 'double'], ['PRICE', 'double'], ['GRÖßE', 'string']]);
    assert.deepEqual(await rows(run.schema, 'INVOICES', 'ID, AMOUNT, PRICE', 'ID'), [
      { ID: 1, AMOUNT: 12.5, PRICE: 0.1 },
      { ID: 2, AMOUNT: 1e14, PRICE: 1e300 },
      { ID: 3, AMOUNT: 6000000000000, PRICE: 0 },
    ]);
    // An existing DOUBLE column keeps its type when column_types later asks for a DECIMAL: said so,
    // and its values still follow on_inexact_number.
    const later = await scope.load(
      lines(invoices, '{"type":"RECORD","stream":"public-invoices","record":{"id":4,"amount":99999999999999.9999}}'),
      { column_types: { 'public-invoices': { amount: 'DECIMAL(18,4)' } } },
      run.schema,
    );
    assert.equal(later.code, 1, later.stderr);
    assert.deepEqual(logged(later.stderr, 'WARN'), [
      `Stream 'public-invoices': column AMOUNT of \`spark_catalog\`.\`${run.schema}\`.\`INVOICES\` stays DOUBLE (the schema or column_types give DECIMAL(18,4)), so values are stored as DOUBLE; on_inexact_number decides about those a DOUBLE cannot hold (alter the column to keep them exact)`,
    ]);
    assert.match(logged(later.stderr, 'ERROR').join('\n'), /^Column 'amount': 99999999999999\.9999 cannot be stored exactly in a DOUBLE column .*\(line 2, stream 'public-invoices'\)$/);
  });

  it('stores decimals exactly in the types column_types chooses, and refuses a value the type cannot hold', async () => {
    const config = { column_types: { 'public-invoices': { amount: 'DECIMAL(18,4)' }, '*': { price: 'DECIMAL(38,10)', amount: 'DOUBLE' } } };
    const run = await scope.load(
      lines(
        invoices,
        '{"type":"RECORD","stream":"public-invoices","record":{"id":1,"amount":99999999999999.9999,"price":1234567890123456789012345678.0123456789,"größe":"XL"}}',
        '{"type":"RECORD","stream":"public-invoices","record":{"id":2,"amount":-0.0001,"price":6000000000000.0000000006,"größe":"S"}}',
        '{"type":"RECORD","stream":"public-invoices","record":{"id":3,"amount":12.5,"price":0.1}}',
        '{"type":"RECORD","stream":"public-invoices","record":{"id":4,"amount":0E-10,"price":-1E-10}}',
      ),
      config,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await describeTable(run.schema, 'INVOICES'), [['ID', 'bigint'], ['AMOUNT', 'decimal(18,4)'], ['PRICE', 'decimal(38,10)'], ['GRÖßE', 'string']]);
    assert.deepEqual(await rows(run.schema, 'INVOICES', 'ID, CAST(AMOUNT AS STRING) AS A, CAST(PRICE AS STRING) AS P', 'ID'), [
      { ID: 1, A: '99999999999999.9999', P: '1234567890123456789012345678.0123456789' },
      { ID: 2, A: '-0.0001', P: '6000000000000.0000000006' },
      { ID: 3, A: '12.5000', P: '0.1000000000' },
      { ID: 4, A: '0.0000', P: '-1E-10' },
    ]);
    // The column resolves from the tap's property name (ß is not respelled SS).
    assert.deepEqual(await query(`SELECT \`größe\` AS g FROM spark_catalog.\`${run.schema}\`.INVOICES WHERE id = 1`), [{ g: 'XL' }]);

    const tooFine = await scope.load(lines(invoices, '{"type":"RECORD","stream":"public-invoices","record":{"id":5,"amount":1.23456}}'), config, run.schema);
    assert.equal(tooFine.code, 1, tooFine.stderr);
    assert.deepEqual(logged(tooFine.stderr, 'ERROR'), [
      "Column 'amount': 1.23456 has more than 4 digits after the decimal point, so it does not fit DECIMAL(18,4); fix the tap's value, or give the column a larger scale (column_types, or the schema's multipleOf) (line 2, stream 'public-invoices')",
    ]);
    assert.equal((await rows(run.schema, 'INVOICES', 'ID')).length, 4);
  });

  it('keys a BIGINT UNSIGNED column by an exact DECIMAL(20,0) and merges on it', async () => {
    // pipelinewise-tap-mysql's schema of a BIGINT UNSIGNED key.
    const accounts =
      '{"type":"SCHEMA","stream":"shop-accounts","schema":{"properties":{"id":{"type":["null","integer"],"minimum":0,"maximum":18446744073709551615},"name":{"type":["null","string"]}}},"key_properties":["id"]}';
    const first = await scope.load(
      lines(
        accounts,
        '{"type":"RECORD","stream":"shop-accounts","record":{"id":18446744073709551615,"name":"max"}}',
        '{"type":"RECORD","stream":"shop-accounts","record":{"id":9223372036854775808,"name":"2^63"}}',
        '{"type":"RECORD","stream":"shop-accounts","record":{"id":1,"name":"one"}}',
      ),
    );
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(await describeTable(first.schema, 'ACCOUNTS'), [['ID', 'decimal(20,0)'], ['NAME', 'string']]);
    const second = await scope.load(
      lines(
        accounts,
        '{"type":"RECORD","stream":"shop-accounts","record":{"id":18446744073709551615,"name":"max, updated"}}',
        '{"type":"RECORD","stream":"shop-accounts","record":{"id":18446744073709551614,"name":"max - 1"}}',
      ),
      {},
      first.schema,
    );
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(await rows(first.schema, 'ACCOUNTS', 'CAST(ID AS STRING) AS ID, NAME', 'ACCOUNTS.ID'), [
      { ID: '1', NAME: 'one' },
      { ID: '9223372036854775808', NAME: '2^63' },
      { ID: '18446744073709551614', NAME: 'max - 1' },
      { ID: '18446744073709551615', NAME: 'max, updated' },
    ]);
  });
});
