import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/config.js';
import fc from 'fast-check';
import { columnsFor } from '../../src/schema/columns.js';
import { columnKey, columnNameFor, hiveName, tableRefFor } from '../../src/schema/naming.js';
import { TableRegistry } from '../../src/schema/table-registry.js';
import { describedColumns } from '../../src/sql/described-columns.js';

describe('hiveName', () => {
  const cases: Array<[string, string]> = [
    ['test:SpecialChars!in?attributes', 'TEST_SPECIALCHARS_IN_ATTRIBUTES'],
    ['weird Stream.Name', 'WEIRD_STREAM_NAME'],
    ['Größe Übersicht', 'GROSSE_UBERSICHT'],
    ['ORDERS(V2)', 'ORDERS_V2_'],
    ['café_crème', 'CAFE_CREME'],
    ['Łódź Ærø', 'LODZ_AERO'],
    ['数据', '__'],
    ['already_valid_123', 'ALREADY_VALID_123'],
  ];
  for (const [input, expected] of cases) it(`${input} -> ${expected}`, () => assert.equal(hiveName(input), expected));
  it('keeps the original target names for valid names', () => {
    const config = { catalog: 'spark_catalog', default_target_schema: 's' };
    assert.equal(tableRefFor('tap-public-my.table-v2', config).table, 'MY_TABLE_V2');
  });
  it('does not take schema_mapping entries from the prototype', () => {
    assert.throws(() => tableRefFor('x-constructor-t', { catalog: 'c', schema_mapping: {} }), /map source schema 'constructor'/);
  });
});

describe('TableRegistry', () => {
  const ref = (table: string) => ({ catalog: 'spark_catalog', schema: 's', table });
  it('accepts a stream claiming its table again', () => {
    const registry = new TableRegistry();
    registry.claim('a.b', ref('A_B'));
    assert.deepEqual(registry.claim('a.b', ref('A_B')), ref('A_B'));
  });
  it('refuses a second stream on the same table, case-insensitively, naming both', () => {
    const registry = new TableRegistry();
    registry.claim('Users', ref('USERS'));
    assert.throws(() => registry.claim('users', ref('users'), { line: 4 }), /Streams 'Users' and 'users' both map to table spark_catalog\.s\.users.*\(line 4, stream 'users'\)/);
  });
});

describe('describedColumns', () => {
  it('ends at the partition section, not at a column named with #', () => {
    const rows = [
      { col_name: '# of items', data_type: 'bigint', comment: null },
      { col_name: '# Partition Information', data_type: 'bigint', comment: null },
      { col_name: 'd', data_type: 'date', comment: null },
      { col_name: '# Partition Information', data_type: '', comment: '' },
      { col_name: '# col_name', data_type: 'data_type', comment: 'comment' },
      { col_name: 'd', data_type: 'date', comment: null },
    ];
    assert.deepEqual(describedColumns(rows), [
      { name: '# of items', type: 'bigint' },
      { name: '# Partition Information', type: 'bigint' },
      { name: 'd', type: 'date' },
    ]);
    assert.deepEqual(describedColumns([{ col_name: 'a', data_type: 'int' }, { col_name: '', data_type: '' }, { col_name: '# Metadata Columns', data_type: '' }]), [{ name: 'a', type: 'int' }]);
  });
  it('reads DESCRIBE up to its first section', () => {
    const rows = [
      { col_name: 'ID', data_type: 'bigint' },
      { col_name: '# of items', data_type: 'int' },
      { col_name: '', data_type: '' },
      { col_name: '# Partitioning', data_type: '' },
    ];
    assert.deepEqual(describedColumns(rows), [
      { name: 'ID', type: 'bigint' },
      { name: '# of items', type: 'int' },
    ]);
  });
});

describe('schema names in the config', () => {
  const base = { host: 'h', lakehouse: 'l', user: 'u', password: 'p', s3_bucket: 'b' };
  it('refuses names the metastore refuses, without printing them', () => {
    assert.throws(
      () => resolveConfig({ ...base, default_target_schema: 'my-schema', schema_mapping: { pg: { target_schema: 'Größe' } } }),
      (e: Error) =>
        /'default_target_schema' is not a valid schema name/.test(e.message) &&
        /'schema_mapping\.pg\.target_schema' is not a valid schema name/.test(e.message) &&
        !/my-schema|Größe/.test(e.message),
    );
  });
  it('accepts letters, digits and _', () => assert.equal(resolveConfig({ ...base, default_target_schema: 'Raw_2024' }).config.default_target_schema, 'Raw_2024'));
});

describe('columnNameFor', () => {
  const cases: Array<[string, string]> = [
    ['order_id', 'ORDER_ID'],
    ['Größe', 'GRÖßE'],
    ['straße', 'STRAßE'],
    ['ﬁle', 'ﬁLE'],
    ['ıd', 'ıD'],
    ['ſum', 'ſUM'],
    ['naïve', 'NAÏVE'],
    ['𐐨x', '𐐨X'],
    ['a b.c', 'A B.C'],
  ];
  for (const [property, name] of cases) it(`${property} -> ${name}`, () => assert.equal(columnNameFor(property), name));

  it('gives a name Spark finds from the property name: same key, same length, ASCII upper-cased as before', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), (property) => {
        const name = columnNameFor(property);
        assert.equal(columnKey(name), columnKey(property));
        assert.equal(name.length, property.length);
        if (/^[\x00-\x7f]*$/.test(property)) assert.equal(name, property.toUpperCase());
      }),
    );
  });

  it('keys names as Spark compares them: ignoring case per character, not spelling', () => {
    assert.equal(columnKey('GRÖßE'), columnKey('größe'));
    assert.notEqual(columnKey('GRÖSSE'), columnKey('größe'));
    assert.equal(columnKey('ıd'), columnKey('ID'));
  });

  it('refuses properties that would be one column to Spark, and keeps apart what Spark keeps apart', () => {
    const schema = (...names: string[]) => ({ type: 'object', properties: Object.fromEntries(names.map((n) => [n, { type: 'string' }])) });
    assert.throws(() => columnsFor(schema('größe', 'GRÖßE'), 's'), { message: "Properties 'größe' and 'GRÖßE' both map to column GRÖßE (Spark column names are case-insensitive); rename one in the tap (stream 's')" });
    assert.throws(() => columnsFor(schema('ıd', 'ID'), 's'), /Properties 'ıd' and 'ID' both map to column ID/);
    assert.deepEqual(columnsFor(schema('größe', 'grösse'), 's').map((c) => c.name), ['GRÖßE', 'GRÖSSE']);
  });
});
