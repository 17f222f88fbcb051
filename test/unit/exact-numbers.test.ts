import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { resolveConfig } from '../../src/config/config.js';
import { StreamSink } from '../../src/engine/stream-sink.js';
import type { Logger } from '../../src/logging.js';
import { TableRegistry } from '../../src/schema/table-registry.js';
import { parseMessage, type RecordMessage } from '../../src/singer/messages.js';
import { columnsFor } from '../../src/schema/columns.js';
import { columnTypesFor } from '../../src/schema/column-types.js';
import { convertValue } from '../../src/schema/values.js';
import { exactAsDouble } from '../../src/singer/decimal-text.js';
import { isExactNumber, parseJson } from '../../src/singer/json.js';

/** Reference: the text's value and the value of the double's shortest text, as BigInt fractions. */
function sameValueAsDouble(text: string): boolean {
  const n = Number(text);
  if (!Number.isFinite(n)) return false;
  const exact = (t: string): [bigint, number] => {
    const m = /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(t)!;
    const digits = BigInt(`${m[1]}${m[2] ?? ''}${m[3] ?? ''}` === '-' ? '0' : `${m[1]}${(m[2] ?? '') + (m[3] ?? '') || '0'}`);
    return [digits, Number(m[4] ?? 0) - (m[3] ?? '').length];
  };
  const [a, ea] = exact(text);
  const [b, eb] = exact(String(n));
  const low = Math.min(ea, eb);
  return a * 10n ** BigInt(ea - low) === b * 10n ** BigInt(eb - low);
}

const numberText = fc
  .tuple(fc.boolean(), fc.stringMatching(/^[1-9]\d{0,21}$/), fc.nat({ max: 24 }), fc.integer({ min: -340, max: 330 }), fc.boolean())
  .map(([negative, digits, point, exponent, withExponent]) => {
    const at = Math.min(point, digits.length);
    const mantissa = at === digits.length ? digits : `${digits.slice(0, at) || '0'}.${digits.slice(at)}`;
    return `${negative ? '-' : ''}${mantissa}${withExponent ? `e${exponent}` : ''}`;
  });

const significant = (text: string) => text.replace(/e.*$/i, '').replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '').length;

describe('exactAsDouble: a DOUBLE holds a number when its shortest text has the same value', () => {
  it('agrees with comparing the decimal values of the text and of the double', () => {
    fc.assert(fc.property(numberText, (text) => assert.equal(exactAsDouble(text), sameValueAsDouble(text), text)), { numRuns: 2000 });
  });

  it('holds every number of at most 15 significant digits in the normal range, and none of 18 or more', () => {
    fc.assert(
      fc.property(numberText, (text) => {
        const magnitude = Math.abs(Number(text));
        if (significant(text) <= 15 && magnitude > 1e-307 && magnitude < 1e308) assert.ok(exactAsDouble(text), text);
        if (significant(text) >= 18) assert.ok(!exactAsDouble(text), text);
      }),
      { numRuns: 2000 },
    );
  });

  const cases: Array<[string, boolean]> = [
    ['0.1', true],
    ['1e300', true],
    ['0E-10', true],
    ['-0', true],
    ['123.4500', true],
    ['-1.5e+300', true],
    ['99999999999999.9999', false],
    ['6000000000000.0000000006', false],
    ['1234567890123456789012345678.0123456789', false],
    ['9007199254740993', false],
    ['9007199254740992', true],
    ['1e-400', false],
    ['1.2345678901234e-320', false],
    ['1e400', false],
  ];
  for (const [text, exact] of cases) it(`${text} -> ${exact ? 'exact' : 'not exact'}`, () => assert.equal(exactAsDouble(text), exact));
});

describe('parseJson keeps the text of every number a double would change', () => {
  for (const text of ['99999999999999.9999', '1e-400', '1.2345678901234E-320', '1e400']) {
    it(text, () => {
      const value = (parseJson(`{"x":${text}}`) as { x: unknown }).x;
      assert.ok(isExactNumber(value), `${text} parsed as ${String(value)}`);
      assert.equal(String(value), text);
    });
  }
  it('and reads numbers a double holds as numbers', () => assert.deepEqual(parseJson('{"x":1.5e+300,"y":0.1,"z":"e100"}'), { x: 1.5e300, y: 0.1, z: 'e100' }));
});

describe('numbers for a DOUBLE column (on_inexact_number)', () => {
  const double = { kind: 'number' } as const;
  const exact = (text: string) => (parseJson(`[${text}]`) as unknown[])[0];

  it('refuses a number a double cannot hold, naming the value and the three fixes', () => {
    assert.deepEqual(convertValue(exact('99999999999999.9999'), double), {
      ok: false,
      reason:
        "99999999999999.9999 cannot be stored exactly in a DOUBLE column (it would become 100000000000000); give the column an exact type with the column_types setting (e.g. DECIMAL(38,10)) or default_number_type, add multipleOf to the property with the extractor's schema extra, or set on_inexact_number to round",
    });
    assert.equal(convertValue(exact('9007199254740993'), double).ok, false);
    assert.equal(convertValue('1e-400', double).ok, false);
  });

  it('stores the nearest double with on_inexact_number round, marked for the end-of-run count', () => {
    assert.deepEqual(convertValue(exact('99999999999999.9999'), double, { on_inexact_number: 'round' }), { ok: true, value: 1e14, altered: 'rounded' });
    assert.deepEqual(convertValue(exact('1e-400'), double, { on_inexact_number: 'round' }), { ok: true, value: 0, altered: 'rounded' });
  });

  it('takes exact numbers in either mode, unmarked', () => {
    for (const text of ['0.1', '1e300', '0E-10', '9007199254740992', '123.4500']) {
      assert.deepEqual(convertValue(exact(text), double), { ok: true, value: Number(text) }, text);
      assert.deepEqual(convertValue(exact(text), double, { on_inexact_number: 'round' }), { ok: true, value: Number(text) }, text);
    }
  });
});

describe('decimals of a chosen precision', () => {
  const decimal = { kind: 'decimal', precision: 18, scale: 4 } as const;
  it('stages the exact text, and refuses what does not fit the type', () => {
    assert.deepEqual(convertValue((parseJson('[99999999999999.9999]') as unknown[])[0], decimal), { ok: true, value: '99999999999999.9999' });
    assert.deepEqual(convertValue(0, decimal), { ok: true, value: '0' });
    assert.deepEqual(convertValue('0E-10', decimal), { ok: true, value: '0' });
    assert.deepEqual(convertValue(1.23456, decimal), {
      ok: false,
      reason: "1.23456 has more than 4 digits after the decimal point, so it does not fit DECIMAL(18,4); fix the tap's value, or give the column a larger scale (column_types, or the schema's multipleOf)",
    });
    assert.deepEqual(convertValue('123456789012345', decimal), {
      ok: false,
      reason: "123456789012345 has more than 14 digits before the decimal point, so it does not fit DECIMAL(18,4); fix the tap's value, or give the column a larger precision (column_types, or the schema's maximum)",
    });
    // MySQL's DECIMAL(65,30), declared multipleOf 1e-30: DECIMAL(38,30) is the widest there is.
    assert.deepEqual(convertValue('123456789.5', { kind: 'decimal', precision: 38, scale: 30 }), {
      ok: false,
      reason: "123456789.5 has more than 8 digits before the decimal point, so it does not fit DECIMAL(38,30); fix the tap's value, or no DECIMAL of scale 30 holds it: give the column a smaller scale or STRING (the number's exact text) with column_types",
    });
  });
});

describe('column types from the schema and the settings', () => {
  const schema = {
    type: 'object',
    properties: {
      id: { type: ['null', 'integer'], minimum: 0, maximum: 18446744073709551615n },
      small: { type: ['integer'], minimum: -9223372036854775808n, maximum: 9223372036854775807n },
      huge: { type: ['integer'], maximum: 10n ** 40n },
      amount: { type: ['number', 'null'] },
      price: { type: ['number', 'null'] },
      rate: { type: ['number', 'null'], multipleOf: 0.01 },
      code: { type: ['string', 'null'], maxLength: 10 },
      at: { type: ['string', 'null'], format: 'time' },
      blob: { type: ['string', 'null'], format: 'binary' },
      doc: { type: ['object', 'null'] },
    },
  };
  const typesOf = (config: Record<string, unknown>, stream = 'public-invoices') => {
    const { config: resolved } = resolveConfig({ host: 'h', lakehouse: 'l', user: 'u', password: 'p', s3_bucket: 'b', default_target_schema: 's', ...config });
    return Object.fromEntries(columnsFor(schema, stream, 0, 1, undefined, columnTypesFor(stream, resolved)).map((c) => [c.property, c.type]));
  };

  it('gives an integer beyond 64 bits an exact DECIMAL, and keeps the rest as the schema says', () => {
    assert.deepEqual(typesOf({}), {
      id: 'DECIMAL(20,0)',
      small: 'BIGINT',
      huge: 'STRING',
      amount: 'DOUBLE',
      price: 'DOUBLE',
      rate: 'DECIMAL(38,2)',
      code: 'STRING',
      at: 'STRING',
      blob: 'STRING',
      doc: 'STRING',
    });
  });

  it('applies column_types (the exact stream name over patterns, later patterns over earlier) and default_number_type to plain numbers', () => {
    const types = typesOf({
      column_types: { 'public-invoices': { amount: 'DECIMAL(18,4)', doc: 'STRING' }, '*': { amount: 'DOUBLE', price: 'DECIMAL(38,10)', rate: 'STRING' }, 'public-*': { price: 'decimal(20, 2)' } },
      default_number_type: 'DECIMAL(38,10)',
    });
    assert.equal(types.amount, 'DECIMAL(18,4)');
    assert.equal(types.price, 'DECIMAL(20,2)');
    assert.equal(types.rate, 'STRING');
    assert.equal(types.doc, 'STRING');
    assert.equal(typesOf({ default_number_type: 'DECIMAL(38,10)' }).amount, 'DECIMAL(38,10)');
    assert.equal(typesOf({ default_number_type: 'DECIMAL(38,10)' }).rate, 'DECIMAL(38,2)', 'multipleOf still decides');
    assert.equal(typesOf({ column_types: { 'other-*': { amount: 'STRING' } } }).amount, 'DOUBLE', 'a pattern of another stream');
  });

  it('refuses invalid settings when the configuration is read, naming setting and key', () => {
    const base = { host: 'h', lakehouse: 'l', user: 'u', password: 'p', s3_bucket: 'b', default_target_schema: 's' };
    const problems = (config: Record<string, unknown>) => {
      try {
        resolveConfig({ ...base, ...config });
        return [];
      } catch (e) {
        return [...(e as { problems: string[] }).problems];
      }
    };
    const allowed = 'use DECIMAL(p,s) with 1 <= p <= 38 and 0 <= s <= p, DOUBLE, BIGINT, STRING, TIMESTAMP, DATE or BOOLEAN';
    assert.deepEqual(problems({ column_types: { 'public-t': { a: 'DECIMAL(0,0)', b: 'DECIMAL(10,11)', c: 'DECIMAL(39,2)', d: 'INT', e: 5 }, x: 'DOUBLE' } }), [
      `'column_types.public-t.a' 'DECIMAL(0,0)' is not a valid decimal type; ${allowed}`,
      `'column_types.public-t.b' 'DECIMAL(10,11)' is not a valid decimal type; ${allowed}`,
      `'column_types.public-t.c' 'DECIMAL(39,2)' is not a valid decimal type; ${allowed}`,
      `'column_types.public-t.d' 'INT' is not a type the target creates; ${allowed}`,
      `'column_types.public-t.e' must be a type name (text); ${allowed}`,
      `'column_types.x' must be an object of property names and types, e.g. {"amount": "DECIMAL(18,4)"}`,
    ]);
    assert.deepEqual(problems({ column_types: ['DOUBLE'] }), [`'column_types' must be an object, got ["DOUBLE"]`]);
    assert.deepEqual(problems({ default_number_type: 'BIGINT' }), ["'default_number_type' must be DOUBLE, DECIMAL(p,s) or STRING, not 'BIGINT'"]);
    assert.deepEqual(problems({ on_inexact_number: 'truncate' }), [`'on_inexact_number' must be one of "fail", "round", got "truncate"`]);
  });
});

describe('the end-of-run report of values stored other than as given', () => {
  it('counts per column and kind, showing the first', async () => {
    const tempDir = await mkdtemp(join(tmpdir(), 'target-iomete-report-'));
    try {
      const { config } = resolveConfig({ host: 'h', lakehouse: 'l', user: 'u', password: 'p', s3_bucket: 'b', default_target_schema: 's', temp_dir: tempDir, on_inexact_number: 'round' });
      const log = { error: () => log, warn: () => log, info: () => log, debug: () => log } as unknown as Logger;
      const schema = { properties: { id: { type: 'integer' }, n: { type: 'number' }, t: { type: 'string', format: 'date-time' }, d: { type: 'string', format: 'date' } } };
      const sink = new StreamSink('s', { type: 'SCHEMA', stream: 's', schema, key_properties: ['id'] }, { config, log, tempDir, filePrefix: 'r', registry: new TableRegistry() }, 1);
      const lines = [
        '{"type":"RECORD","stream":"s","record":{"id":1,"n":99999999999999.9999,"t":"2024-01-01T00:00:00.1234567Z","d":"2024-01-01T10:00:00Z"}}',
        '{"type":"RECORD","stream":"s","record":{"id":2,"n":0.10000000000000001,"t":"2016-12-31T23:59:60Z","d":"2024-01-02"}}',
      ];
      lines.forEach((line, i) => sink.add(parseMessage(line, i + 2) as RecordMessage, i + 2, () => 1));
      assert.deepEqual(sink.alterationReport(), [
        "Stream 's', column 'n': 2 value(s) had more digits than a DOUBLE holds and were stored rounded (on_inexact_number is round); the first, line 2: 99999999999999.9999 stored as 100000000000000",
        "Stream 's', column 't': 1 value(s) had digits beyond the microsecond, which a TIMESTAMP does not store, and were cut to microseconds; the first, line 2: 2024-01-01T00:00:00.1234567Z stored as 2024-01-01 00:00:00.123456",
        "Stream 's', column 'd': 1 value(s) were date-times with a time of day, which a DATE column does not store; the date as written was kept; the first, line 2: 2024-01-01T10:00:00Z stored as 2024-01-01",
        "Stream 's', column 't': 1 value(s) were leap seconds (:60), which a TIMESTAMP does not store, and were stored as :59.999999; the first, line 3: 2016-12-31T23:59:60Z stored as 2016-12-31 23:59:59.999999",
      ]);
      await sink.discard();
    } finally {
      await rm(tempDir, { recursive: true, force: true });
    }
  });
});
