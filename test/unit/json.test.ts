import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { hasLongDigitRun, isExactNumber, parseJson, stringifyJson } from '../../src/singer/json.js';
import { convertValue } from '../../src/schema/values.js';

describe('lossless JSON', () => {
  it('keeps integers beyond 2^53 exact', () => {
    const parsed = parseJson('{"id":9007199254740993,"small":12,"f":1.5,"neg":-9223372036854775808}') as Record<string, unknown>;
    assert.equal(parsed.id, 9007199254740993n);
    assert.equal(parsed.small, 12);
    assert.equal(parsed.f, 1.5);
    assert.equal(parsed.neg, -9223372036854775808n);
    assert.equal(stringifyJson(parsed), '{"id":9007199254740993,"small":12,"f":1.5,"neg":-9223372036854775808}');
  });
  it('keeps long digit runs inside strings as strings', () => {
    assert.deepEqual(parseJson('{"s":"12345678901234567890"}'), { s: '12345678901234567890' });
  });
  it('stages big integers as exact text, refuses beyond 64 bits', () => {
    assert.deepEqual(convertValue(9007199254740993n, { kind: 'integer' }), { ok: true, value: '9007199254740993' });
    assert.deepEqual(convertValue(9223372036854775807n, { kind: 'integer' }), { ok: true, value: '9223372036854775807' });
    const tooBig = convertValue(9223372036854775808n, { kind: 'integer' });
    assert.equal(tooBig.ok, false);
    assert.deepEqual(convertValue({ id: 9007199254740993n }, { kind: 'json' }), { ok: true, value: '{"id":9007199254740993}' });
  });
});

describe('the long digit run scan', () => {
  const LONG_DIGIT_RUN = /\d(?:\.?\d){15}/;
  it('finds runs of 16 digits wherever they sit, a single dot allowed between digits', () => {
    const cases: Array<[string, boolean]> = [
      ['1234567890123456', true],
      ['123456789012345', false],
      ['{"a":1234567.890123456}', true],
      ['{"a":1234567..890123456}', false],
      ['.123456789012345.', false],
      [`${'x'.repeat(9)}1234567890123456`, true],
      [`1234567890123456${'x'.repeat(9)}`, true],
      ['12345678.1234567x1234567890123456', true],
      ['2024-01-01T00:00:00.000000Z 9007199254740993', true],
      ['', false],
    ];
    for (const [text, expected] of cases) assert.equal(hasLongDigitRun(text), expected, text);
  });
  it('answers as the regular expression does, for any text', () => {
    // Stretches of digits and dots of every length around 16, at every offset, between other text.
    const stretch = fc.array(fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...'0123456789') }, { weight: 1, arbitrary: fc.constant('.') }), { minLength: 1, maxLength: 24 });
    const other = fc.array(fc.constantFrom(...'a"-:, é😀'), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(fc.array(fc.oneof(stretch, other), { maxLength: 12 }), (parts) => {
        const text = parts.map((p) => p.join('')).join('');
        assert.equal(hasLongDigitRun(text), LONG_DIGIT_RUN.test(text), JSON.stringify(text));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('exact decimals', () => {
  it('keeps decimals of 16 or more significant digits as exact text, others as numbers', () => {
    const parsed = parseJson('{"a":12345678901234567.89,"b":1234567.123456789,"c":0.1,"d":[1.5]}') as Record<string, unknown>;
    assert.ok(isExactNumber(parsed.a));
    assert.equal(String(parsed.a), '12345678901234567.89');
    assert.equal(parsed.c, 0.1);
    assert.equal(stringifyJson(parsed), '{"a":12345678901234567.89,"b":1234567.123456789,"c":0.1,"d":[1.5]}');
  });
});
