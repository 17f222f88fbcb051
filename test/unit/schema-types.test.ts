import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { columnsFor, decimalScale, valueKindFor } from '../../src/schema/columns.js';
import { typeFit } from '../../src/schema/evolution.js';
import { resolveSchema } from '../../src/schema/resolve-schema.js';
import type { JsonSchema } from '../../src/singer/messages.js';

describe('decimal columns', () => {
  const cases: Array<[JsonSchema, number | undefined]> = [
    [{ type: 'number', multipleOf: 0.01 }, 2],
    [{ type: ['null', 'number'], multipleOf: 1e-7 }, 7],
    [{ type: 'number', multipleOf: 0.25 }, 2],
    [{ type: 'number', multipleOf: 1 }, 0],
    // PostgreSQL numeric(10,2) as pipelinewise taps describe it.
    [{ type: 'number', multipleOf: 0.01, maximum: 1e8, exclusiveMaximum: true, minimum: -1e8, exclusiveMinimum: true }, 2],
    // Unconstrained numeric: 38 integer and 38 fraction digits fit no DECIMAL.
    [{ type: 'number', multipleOf: 1e-38, maximum: 1e38, exclusiveMaximum: true }, undefined],
    [{ type: 'number' }, undefined],
    [{ type: 'number', multipleOf: -1 }, undefined],
  ];
  for (const [schema, scale] of cases) it(`${JSON.stringify(schema)} -> ${scale ?? 'DOUBLE'}`, () => assert.equal(decimalScale(schema), scale));
  it('gives DECIMAL(38,s) columns', () => {
    const [column] = columnsFor({ properties: { p: { type: 'number', multipleOf: 0.001 } } }, 's');
    assert.deepEqual([column?.type, column?.kind, column?.scale], ['DECIMAL(38,3)', 'decimal', 3]);
  });
  it('widens decimal precision, keeps DOUBLE tables loading, never changes scale', () => {
    assert.equal(typeFit('decimal(10,2)', { type: 'DECIMAL(38,2)' }), 'widen');
    assert.equal(typeFit('decimal(38,2)', { type: 'DECIMAL(38,2)' }), 'same');
    assert.equal(typeFit('decimal(38,2)', { type: 'DECIMAL(38,3)' }), 'conflict');
    assert.equal(typeFit('double', { type: 'DECIMAL(38,2)' }), 'cast');
    assert.equal(typeFit('bigint', { type: 'DECIMAL(38,0)' }), 'conflict');
  });
});

describe('date-time unions', () => {
  it('anyOf date-time and plain string is text', () => {
    assert.equal(valueKindFor({ anyOf: [{ type: 'string', format: 'date-time' }, { type: 'string' }] }), 'string');
    assert.equal(valueKindFor({ anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] }), 'timestamp');
    assert.equal(valueKindFor({ anyOf: [{ type: 'string', format: 'date-time' }, { type: 'string', format: 'date' }] }), 'string');
  });
});

describe('resolveSchema', () => {
  const where = { stream: 's', line: 3 };
  it('replaces local $ref and merges allOf', () => {
    const schema: JsonSchema = {
      definitions: { id: { type: 'integer' }, 'a/b': { type: 'string', format: 'date' } },
      $defs: { base: { properties: { x: { type: 'integer' } } } },
      properties: {
        id: { $ref: '#/definitions/id' },
        d: { $ref: '#/definitions/a~1b' },
        o: { allOf: [{ $ref: '#/$defs/base' }, { properties: { y: { type: 'string' } } }], type: 'object' },
        n: { allOf: [{ type: ['number', 'null'] }, { type: 'integer' }] },
      },
    };
    assert.deepEqual(resolveSchema(schema, where).properties, {
      id: { type: 'integer' },
      d: { type: 'string', format: 'date' },
      o: { type: ['object'], properties: { x: { type: 'integer' }, y: { type: 'string' } } },
      n: { type: ['integer'] },
    });
    assert.deepEqual(
      columnsFor(schema, 's', 1).map((c) => [c.name, c.type]),
      [['ID', 'BIGINT'], ['D', 'DATE'], ['O__X', 'BIGINT'], ['O__Y', 'STRING'], ['N', 'BIGINT']],
    );
  });
  it('stops at a recursive reference, keeping its type', () => {
    const schema: JsonSchema = { definitions: { node: { type: 'object', properties: { child: { $ref: '#/definitions/node' } } } }, properties: { root: { $ref: '#/definitions/node' } } };
    assert.deepEqual(resolveSchema(schema, where).properties?.root, { type: 'object', properties: { child: { type: 'object' } } });
  });
  it('refuses references to other documents, dangling references and absurd depth, naming line and stream', () => {
    assert.throws(() => resolveSchema({ properties: { a: { $ref: 'http://example.com/s.json' } } }, where), /only references inside the schema.*\(line 3, stream 's'\)/);
    assert.throws(() => resolveSchema({ properties: { a: { $ref: '#/definitions/missing' } } }, where), /points to nothing/);
    let deep: JsonSchema = { type: 'integer' };
    for (let i = 0; i < 150; i += 1) deep = { type: 'object', properties: { a: deep } };
    assert.throws(() => resolveSchema(deep, where), /nests deeper than 100 levels/);
  });
});
