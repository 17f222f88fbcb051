import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Column, ValueKind } from '../../src/schema/columns.js';
import { normaliseTimestamp } from '../../src/schema/datetime.js';
import { convertValue } from '../../src/schema/values.js';

const col = (kind: ValueKind): Column => ({ property: 'p', path: ['p'], name: 'P', type: 'STRING', kind });

describe('normaliseTimestamp', () => {
  const cases: Array<[string, string | undefined]> = [
    ['2019-02-01 15:12:45', '2019-02-01 15:12:45.000000Z'],
    ['2019-01-31T15:51:48.861962Z', '2019-01-31 15:51:48.861962Z'],
    ['2019-01-31T15:51:48.8619623Z', '2019-01-31 15:51:48.861962Z'],
    ['2019-02-12T01:10:10+02:00', '2019-02-11 23:10:10.000000Z'],
    ['2019-02-12T01:10:10-0530', '2019-02-12 06:40:10.000000Z'],
    ['2020-02-29', '2020-02-29 00:00:00.000000Z'],
    ['0099-05-06T01:02:03Z', '0099-05-06 01:02:03.000000Z'],
    ['2019-02-30T00:00:00Z', undefined],
    ['10000-01-22 12:04:22', undefined],
    ['25:01:01', undefined],
    ['not a date', undefined],
  ];
  for (const [input, expected] of cases) {
    it(`${input} -> ${expected ?? 'refused'}`, () => {
      const r = normaliseTimestamp(input);
      assert.deepEqual(r, expected === undefined ? { ok: false } : { ok: true, value: expected });
    });
  }
});

describe('convertValue', () => {
  it('passes nulls through for every kind', () => {
    for (const kind of ['integer', 'number', 'boolean', 'string', 'timestamp', 'date', 'json'] as const) {
      assert.deepEqual(convertValue(null, col(kind)), { ok: true, value: null });
      assert.deepEqual(convertValue(undefined, col(kind)), { ok: true, value: null });
    }
  });
  it('keeps empty strings distinct from null', () => assert.deepEqual(convertValue('', col('string')), { ok: true, value: '' }));
  it('keeps text exactly', () => assert.deepEqual(convertValue('a\nb\t"c"\\ Ελ', col('string')), { ok: true, value: 'a\nb\t"c"\\ Ελ' }));
  it('stores objects and arrays as JSON text', () => {
    assert.deepEqual(convertValue({ k: [1, 2] }, col('json')), { ok: true, value: '{"k":[1,2]}' });
    assert.deepEqual(convertValue([1, 2, 3], col('json')), { ok: true, value: '[1,2,3]' });
    assert.deepEqual(convertValue('{"already":"text"}', col('json')), { ok: true, value: '{"already":"text"}' });
  });
  it('accepts integers and integer text, refuses fractions', () => {
    assert.deepEqual(convertValue(0, col('integer')), { ok: true, value: 0 });
    assert.deepEqual(convertValue('42', col('integer')), { ok: true, value: 42 });
    assert.equal(convertValue(1.5, col('integer')).ok, false);
    assert.match((convertValue('Non Numeric PK', col('integer')) as { reason: string }).reason, /expected an integer, got "Non Numeric PK"/);
  });
  it('refuses non-booleans and non-finite numbers', () => {
    assert.equal(convertValue('true', col('boolean')).ok, false);
    assert.equal(convertValue(Number.NaN, col('number')).ok, false);
    assert.deepEqual(convertValue(false, col('boolean')), { ok: true, value: false });
  });
  it('stores out-of-range timestamps as the maximum with a warning', () => {
    const r = convertValue('10000-01-22 12:04:22', col('timestamp'));
    assert.ok(r.ok);
    assert.equal(r.value, '9999-12-31 23:59:59.999999Z');
    assert.match(r.warning ?? '', /not a storable date-time/);
  });
  it('refuses a number in a date-time column', () => assert.equal(convertValue(235667, col('timestamp')).ok, false));
  it('keeps the written calendar date of a date', () => assert.deepEqual(convertValue('2019-02-10T00:00:00+05:00', col('date')), { ok: true, value: '2019-02-10' }));
});
