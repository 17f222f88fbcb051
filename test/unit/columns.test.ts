import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { columnsFor, valueKindFor } from '../../src/schema/columns.js';
import type { JsonSchema } from '../../src/singer/messages.js';
import { splitStreamName, tableRefFor } from '../../src/schema/naming.js';

describe('valueKindFor', () => {
  const cases: Array<[JsonSchema, string]> = [
    [{ type: 'integer' }, 'integer'],
    [{ type: ['null', 'integer'] }, 'integer'],
    [{ type: ['null', 'number'] }, 'number'],
    [{ type: ['integer', 'number'] }, 'number'],
    [{ type: 'boolean' }, 'boolean'],
    [{ type: ['null', 'string'] }, 'string'],
    [{ type: ['null', 'string'], format: 'date-time' }, 'timestamp'],
    [{ type: 'string', format: 'date' }, 'date'],
    [{ type: 'string', format: 'time' }, 'string'],
    [{ type: ['null', 'object'] }, 'json'],
    [{ type: ['null', 'array'] }, 'json'],
    [{ type: ['null', 'array', 'object'] }, 'json'],
    [{ type: ['boolean', 'string'] }, 'string'],
    [{ type: ['integer', 'string'] }, 'string'],
    [{ anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] }, 'timestamp'],
    [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }, 'string'],
    [{}, 'string'],
    [{ type: 'null' }, 'string'],
  ];
  for (const [schema, kind] of cases) {
    it(`${JSON.stringify(schema)} -> ${kind}`, () => assert.equal(valueKindFor(schema), kind));
  }
});

describe('columnsFor', () => {
  it('keeps property order and upper-cases names', () => {
    const columns = columnsFor({ properties: { id: { type: 'integer' }, camelCase: { type: 'string' }, 'minus-column': { type: 'number' } } }, 's');
    assert.deepEqual(
      columns.map((c) => [c.property, c.name, c.type]),
      [
        ['id', 'ID', 'BIGINT'],
        ['camelCase', 'CAMELCASE', 'STRING'],
        ['minus-column', 'MINUS-COLUMN', 'DOUBLE'],
      ],
    );
  });
  it('reports properties that clash once case is ignored', () =>
    assert.throws(() => columnsFor({ properties: { Name: { type: 'string' }, name: { type: 'string' } } }, 'people'), /'Name' and 'name'.*stream 'people'/s));
  it('refuses a schema without properties', () => assert.throws(() => columnsFor({ type: 'object' }, 's'), /no properties/));
});

describe('stream naming', () => {
  it('splits stream names like the original target', () => {
    assert.deepEqual(splitStreamName('table'), { table: 'table' });
    assert.deepEqual(splitStreamName('public-orders'), { sourceSchema: 'public', table: 'orders' });
    assert.deepEqual(splitStreamName('db-public-order-items'), { sourceSchema: 'public', table: 'order_items' });
  });
  it('maps schemas and upper-cases tables', () => {
    const config = { catalog: 'spark_catalog', default_target_schema: 'singer', schema_mapping: { public: { target_schema: 'pg' } } };
    assert.deepEqual(tableRefFor('public-my.table', config), { catalog: 'spark_catalog', schema: 'pg', table: 'MY_TABLE' });
    assert.deepEqual(tableRefFor('tap_mysql_test-test_table_one', config), { catalog: 'spark_catalog', schema: 'singer', table: 'TEST_TABLE_ONE' });
    assert.deepEqual(tableRefFor('orders', config), { catalog: 'spark_catalog', schema: 'singer', table: 'ORDERS' });
  });
  it('explains a stream without target schema', () =>
    assert.throws(() => tableRefFor('crm-users', { catalog: 'c', schema_mapping: {} }), /map source schema 'crm'.*stream 'crm-users'/s));
});
