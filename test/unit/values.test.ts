import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Column, ValueKind } from '../../src/schema/columns.js';
import { normaliseDate, normaliseTimestamp } from '../../src/schema/datetime.js';
import { convertValue } from '../../src/schema/values.js';
import { ExactNumber } from '../../src/singer/json.js';

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
    ['0001-01-01T00:30:00+01:00', '0000-12-31 23:30:00.000000Z'],
    ['2016-12-31T23:59:60Z', '2016-12-31 23:59:59.999999Z'],
    ['2016-12-31T23:59:60.5+00:00', '2016-12-31 23:59:59.999999Z'],
    ['2020-12-31T24:00:00Z', '2021-01-01 00:00:00.000000Z'],
    ['20200101T000000Z', '2020-01-01 00:00:00.000000Z'],
    ['20200101T123456.5-0100', '2020-01-01 13:34:56.500000Z'],
    ['2020-01-01T10:00:00.123456789Z', '2020-01-01 10:00:00.123456Z'],
    ['2020-01-01t10:00:00,5z', '2020-01-01 10:00:00.500000Z'],
    ['2020-01-01T10:00+05', '2020-01-01 05:00:00.000000Z'],
    ['9999-12-31T23:30:00-01:00', '10000-01-01 00:30:00.000000Z'],
    ['2019-12-18T13:19:44+00:00+00:00', '2019-12-18 13:19:44.000000Z'],
    // Python's isoformat gives a zone's local mean time before 1900 in seconds (tap-postgres, Asia/Kathmandu).
    ['0001-01-01T05:41:16.000000+05:41:16', '0001-01-01 00:00:00.000000Z'],
    ['1890-06-01T00:00:00-00:25:21', '1890-06-01 00:25:21.000000Z'],
    ['2020-01-01T00:00:00+05:30:60', 'invalid'],
    ['2020-01-01T00:00:00+053016', 'invalid'],
    ['2019-12-18T13:19:44+00:00+01:00', 'invalid'],
    ['2019-02-30T00:00:00Z', 'invalid'],
    ['2020-01-01T00:00:00+99:99', 'invalid'],
    ['2020-01-01T00:00:00+24:00', 'invalid'],
    ['2020-01-01garbage', 'invalid'],
    ['2020-01-01T24:00:01Z', 'invalid'],
    ['2020-01-01T23:60:00Z', 'invalid'],
    ['0000-01-01T00:00:00Z', 'invalid'],
    ['25:01:01', 'invalid'],
    ['not a date', 'invalid'],
    ['10000-01-22 12:04:22', 'beyond-9999'],
  ];
  for (const [input, expected] of cases) {
    it(`${input} -> ${expected}`, () => {
      const r = normaliseTimestamp(input);
      if (r.ok) delete r.altered;
      assert.deepEqual(r, expected === 'invalid' || expected === 'beyond-9999' ? { ok: false, problem: expected } : { ok: true, value: expected });
    });
  }
  it('says what a TIMESTAMP cannot store: digits beyond the microsecond, a leap second', () => {
    const altered = (text: string) => {
      const r = normaliseTimestamp(text);
      return r.ok ? r.altered : r.problem;
    };
    assert.equal(altered('2019-01-31T15:51:48.8619623Z'), 'sub-microsecond');
    assert.equal(altered('2020-01-01T10:00:00.123456789+01:00'), 'sub-microsecond');
    assert.equal(altered('2020-01-01T10:00:00.123456000Z'), undefined);
    assert.equal(altered('2016-12-31T23:59:60Z'), 'leap-second');
    assert.equal(altered('2020-12-31T24:00:00Z'), undefined, 'the next midnight is the same instant');
    assert.deepEqual(normaliseDate('2019-02-10T13:45:00+05:00'), { ok: true, value: '2019-02-10', altered: 'time-of-day' });
    assert.deepEqual(normaliseDate('2019-02-10T00:00:00+05:00'), { ok: true, value: '2019-02-10' });
    assert.deepEqual(normaliseDate('2019-12-18T00:00:00+00:00+00:00'), { ok: true, value: '2019-12-18' });
  });
});

describe('text UTF-8 cannot hold', () => {
  it('refuses an unpaired surrogate, or replaces it with on_invalid_utf8: replace', () => {
    assert.deepEqual(convertValue('a\ud800', col('string')), {
      ok: false,
      reason: 'the text "a\\ud800" holds an unpaired UTF-16 surrogate escape, which UTF-8 cannot store; fix the tap, or set on_invalid_utf8 to replace to store U+FFFD instead',
    });
    assert.deepEqual(convertValue('a\ud800', col('json'), { on_invalid_utf8: 'replace' }), {
      ok: true,
      value: 'a\ufffd',
      warning: 'the text "a\\ud800" holds an unpaired UTF-16 surrogate escape, which UTF-8 cannot store; stored with U+FFFD in its place (on_invalid_utf8 is replace)',
    });
    assert.deepEqual(convertValue('🚀', col('string')), { ok: true, value: '🚀' });
  });
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
  it('stores timestamps after the year 9999 as the maximum with a warning', () => {
    const r = convertValue('10000-01-22 12:04:22', col('timestamp'));
    assert.ok(r.ok);
    assert.equal(r.value, '9999-12-31 23:59:59.999999Z');
    assert.match(r.warning ?? '', /after the year 9999/);
  });
  it('refuses malformed date-times naming the value and the setting', () => {
    const r = convertValue('2020-01-01garbage', col('timestamp'));
    assert.equal(r.ok, false);
    assert.match((r as { reason: string }).reason, /"2020-01-01garbage" is not a valid date-time.*on_invalid_datetime/);
    assert.equal(convertValue('2020-13-01', col('date')).ok, false);
  });
  it('refuses a date-time with a letter where a digit of the time belongs (the fast form checks every field)', () => {
    for (const text of ['2024-01-01Tx0:00:00Z', '2024-01-01T00:a0:00Z', '2024-01-01T00:00:-1Z']) {
      const converted = convertValue(text, col('timestamp'));
      assert.equal(converted.ok, false, text);
    }
  });
  it('stores malformed date-times as NULL with a warning when on_invalid_datetime is null', () => {
    const r = convertValue('+99:99', col('timestamp'), { on_invalid_datetime: 'null' });
    assert.ok(r.ok);
    assert.equal(r.value, null);
    assert.match(r.warning ?? '', /not a valid date-time.*stored as NULL/);
  });
  it('refuses an _sdc_deleted_at that is not a timestamp whatever the setting (never a delete)', () => {
    for (const value of ['', 'yes', 1]) {
      const r = convertValue(value, { kind: 'timestamp', name: '_SDC_DELETED_AT' }, { on_invalid_datetime: 'null' });
      assert.equal(r.ok, false, String(value));
    }
  });
  it('stages decimals as exact text and refuses what does not fit', () => {
    const dec = (scale: number) => ({ kind: 'decimal' as const, scale });
    assert.deepEqual(convertValue(new ExactNumber('12345678901234567.89'), dec(2)), { ok: true, value: '12345678901234567.89' });
    assert.deepEqual(convertValue(0.1, dec(2)), { ok: true, value: '0.1' });
    assert.deepEqual(convertValue(1e-7, dec(7)), { ok: true, value: '0.0000001' });
    assert.deepEqual(convertValue('-12.50', dec(2)), { ok: true, value: '-12.5' });
    assert.deepEqual(convertValue(9007199254740993n, dec(0)), { ok: true, value: '9007199254740993' });
    assert.match((convertValue(1.005, dec(2)) as { reason: string }).reason, /1\.005 has more than 2 digits after the decimal point.*DECIMAL\(38,2\)/);
    assert.match((convertValue('1e40', dec(0)) as { reason: string }).reason, /more than 38 digits before/);
    assert.equal(convertValue('abc', dec(2)).ok, false);
  });
  it('refuses integers a DOUBLE column would round, keeps others', () => {
    assert.equal(convertValue(9007199254740993n, col('number')).ok, false);
    assert.deepEqual(convertValue(9007199254740992n, col('number')), { ok: true, value: 9007199254740992 });
    assert.deepEqual(convertValue(1.5, col('number')), { ok: true, value: 1.5 });
  });
  it('refuses a number in a date-time column', () => assert.equal(convertValue(235667, col('timestamp')).ok, false));
  it('keeps the written calendar date of a date', () => assert.deepEqual(convertValue('2019-02-10T00:00:00+05:00', col('date')), { ok: true, value: '2019-02-10' }));
});
