import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { SparkType } from '../../src/schema/columns.js';
import { retiredColumnName, typeFit } from '../../src/schema/evolution.js';

describe('typeFit', () => {
  const cases: Array<[string, SparkType, string]> = [
    ['bigint', 'BIGINT', 'same'],
    ['BIGINT', 'BIGINT', 'same'],
    ['long', 'BIGINT', 'same'],
    ['int', 'BIGINT', 'widen'],
    ['float', 'DOUBLE', 'widen'],
    ['string', 'BIGINT', 'cast'],
    ['string', 'TIMESTAMP', 'cast'],
    ['double', 'BIGINT', 'cast'],
    ['timestamp', 'DATE', 'cast'],
    ['decimal(38,0)', 'BIGINT', 'cast'],
    ['bigint', 'DOUBLE', 'conflict'],
    ['bigint', 'STRING', 'conflict'],
    ['timestamp', 'STRING', 'conflict'],
    ['boolean', 'BIGINT', 'conflict'],
    ['array<int>', 'STRING', 'conflict'],
    ['decimal(18,4)', 'DECIMAL(38,4)', 'widen'],
    ['decimal(38,10)', 'DECIMAL(18,4)', 'cast'],
    ['decimal(38,4)', 'DECIMAL(18,4)', 'cast'],
    ['decimal(18,4)', 'DECIMAL(18,6)', 'conflict'],
    ['decimal(18,4)', 'DECIMAL(38,10)', 'conflict'],
    ['double', 'DECIMAL(18,4)', 'cast'],
    ['decimal(18,4)', 'DOUBLE', 'cast'],
    ['bigint', 'DECIMAL(20,0)', 'conflict'],
  ];
  for (const [table, wanted, fit] of cases) {
    it(`${table} column, ${wanted} values -> ${fit}`, () => assert.equal(typeFit(table, { type: wanted }), fit));
  }
});

describe('retiredColumnName', () => {
  it('suffixes the old type', () => {
    assert.equal(retiredColumnName('PRICE', 'bigint'), 'PRICE__BIGINT');
    assert.equal(retiredColumnName('AMOUNT', 'decimal(10,2)'), 'AMOUNT__DECIMAL_10_2');
  });
});
