import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { columnsFor } from '../../src/schema/columns.js';
import { flattenSchema, valueAt } from '../../src/schema/flatten.js';

const nested = {
  properties: {
    c_pk: { type: ['null', 'integer'] },
    c_array: { type: ['null', 'array'] },
    c_object: { type: ['null', 'object'] },
    c_object_with_props: { type: ['null', 'object'], properties: { key_1: { type: ['null', 'string'] } } },
    c_nested_object: {
      type: ['null', 'object'],
      properties: {
        nested_prop_1: { type: ['null', 'string'] },
        nested_prop_3: { type: ['null', 'object'], properties: { multi_nested_prop_1: { type: ['null', 'string'] } } },
      },
    },
  },
};

describe('flattenSchema', () => {
  it('keeps every property whole at level 0', () => {
    assert.deepEqual(
      flattenSchema(nested, 0).map((p) => p.path.join('.')),
      ['c_pk', 'c_array', 'c_object', 'c_object_with_props', 'c_nested_object'],
    );
  });
  it('opens one level at level 1', () => {
    assert.deepEqual(
      columnsFor(nested, 's', 1).map((c) => [c.name, c.kind]),
      [
        ['C_PK', 'integer'],
        ['C_ARRAY', 'json'],
        ['C_OBJECT', 'json'],
        ['C_OBJECT_WITH_PROPS__KEY_1', 'string'],
        ['C_NESTED_OBJECT__NESTED_PROP_1', 'string'],
        ['C_NESTED_OBJECT__NESTED_PROP_3', 'json'],
      ],
    );
  });
  it('opens every level at level 10; objects without properties stay whole (no data loss)', () => {
    assert.deepEqual(
      columnsFor(nested, 's', 10).map((c) => c.name),
      ['C_PK', 'C_ARRAY', 'C_OBJECT', 'C_OBJECT_WITH_PROPS__KEY_1', 'C_NESTED_OBJECT__NESTED_PROP_1', 'C_NESTED_OBJECT__NESTED_PROP_3__MULTI_NESTED_PROP_1'],
    );
  });
  it('reports a flattened name that clashes with a property', () =>
    assert.throws(
      () => columnsFor({ properties: { a__b: { type: 'string' }, a: { type: 'object', properties: { b: { type: 'string' } } } } }, 's', 1),
      /'a__b' and 'a__b'/,
    ));
});

describe('valueAt', () => {
  const record = { a: { b: { c: 1 } }, x: [1, 2], s: 'text' };
  it('walks nested objects', () => assert.equal(valueAt(record, ['a', 'b', 'c']), 1));
  it('gives the object itself at a shorter path', () => assert.deepEqual(valueAt(record, ['a', 'b']), { c: 1 }));
  it('is undefined through arrays, scalars and missing steps', () => {
    assert.equal(valueAt(record, ['x', '0']), undefined);
    assert.equal(valueAt(record, ['s', 'length']), undefined);
    assert.equal(valueAt(record, ['nope', 'b']), undefined);
  });
});
