import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { KeyRange } from '../../src/engine/key-range.js';
import type { Column } from '../../src/schema/columns.js';
import { keyLiteral, keyRangeCondition, type KeyBounds } from '../../src/sql/statements.js';
import { SPAN, type Cell, type Spans } from '../../src/staging/row-block.js';

/**
 * The range of a batch's keys must hold every key of the batch in the order Spark compares the
 * column's type, and its literals must be exactly the values: then `t.k BETWEEN min AND max`
 * keeps every target row that equals a batch key, and the MERGE matches the same rows.
 */

/** A staged cell and the value Spark compares, computed here without the code under test. */
interface Sample {
  cell: Cell;
  /** For SPAN cells: the text, placed in a line's bytes. */
  span?: string;
  value: bigint | string;
}

// 0001-01-01 (Date.UTC would read the year 1 as 1901).
const MIN_MS = -62_135_596_800_000;
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** `YYYY-MM-DDTHH:MM:SS.mmmZ` (four-digit years in this range). */
function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

const integers: fc.Arbitrary<Sample> = fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n).map((v) => ({ cell: Number.isSafeInteger(Number(v)) ? Number(v) : v.toString(), value: v }));

const timestamps: fc.Arbitrary<Sample> = fc.tuple(fc.integer({ min: MIN_MS, max: MAX_MS }), fc.integer({ min: 0, max: 999 }), fc.boolean()).map(([ms, extra, asText]) => {
  const value = BigInt(ms) * 1000n + BigInt(extra);
  const iso = isoOf(ms);
  const text = `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${iso.slice(20, 23)}${String(extra).padStart(3, '0')}Z`;
  return { cell: asText || !Number.isSafeInteger(Number(value)) ? text : Number(value), value };
});

const dates: fc.Arbitrary<Sample> = fc.integer({ min: MIN_MS, max: MAX_MS }).map((ms) => ({ cell: isoOf(ms).slice(0, 10), value: BigInt(Math.floor(ms / 86_400_000)) }));

const decimals = (scale: number): fc.Arbitrary<Sample> =>
  fc.bigInt(-(10n ** 38n) + 1n, 10n ** 38n - 1n).map((unscaled) => {
    const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
    const whole = digits.slice(0, digits.length - scale);
    const text = `${unscaled < 0n ? '-' : ''}${whole}${scale > 0 ? '.' + digits.slice(digits.length - scale).replace(/0+$/, '') : ''}`.replace(/\.$/, '');
    return { cell: text, value: unscaled };
  });

// Any code points: surrogate pairs and U+E000..U+FFFF order differently in UTF-16 and UTF-8.
const texts: fc.Arbitrary<Sample> = fc
  .tuple(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom<'string' | 'bytes' | 'span'>('string', 'bytes', 'span'))
  .map(([text, as]) => ({ cell: as === 'string' ? text : as === 'bytes' ? new Uint8Array(Buffer.from(text, 'utf8')) : SPAN, span: as === 'span' ? text : undefined, value: text }));

/** Spark's order: numbers by value, text by UTF-8 bytes, which is the order of code points. */
function compare(a: bigint | string, b: bigint | string): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const [x, y] = [Array.from(String(a), (c) => c.codePointAt(0)!), Array.from(String(b), (c) => c.codePointAt(0)!)];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** What Spark reads from a literal keyLiteral made (the forms it makes, read back independently). */
function literalValue(literal: string): bigint | string {
  const text = /^'((?:[^'\\]|\\.)*)'$/.exec(literal);
  if (text) return text[1]!.replace(/\\(.)/gs, (_, c: string) => ({ n: '\n', r: '\r', t: '\t', '0': '\0' })[c] ?? c);
  const call = /^(?:TIMESTAMP_MICROS|DATE_FROM_UNIX_DATE)\((-?\d+)\)$/.exec(literal);
  if (call) return BigInt(call[1]!);
  const decimal = /^CAST\('(-?)(\d+)(?:\.(\d+))?' AS DECIMAL\(38,(\d+)\)\)$/.exec(literal);
  if (decimal) {
    const [, sign, whole, fraction = '', scale] = decimal;
    assert.equal(fraction.length, Number(scale));
    const unscaled = BigInt(whole! + fraction);
    return sign ? -unscaled : unscaled;
  }
  assert.match(literal, /^-?\d+$/);
  return BigInt(literal);
}

function rangeOf(column: Pick<Column, 'name' | 'type' | 'kind' | 'scale'>, samples: ReadonlyArray<Sample | null>): KeyBounds | undefined {
  const range = new KeyRange(column, 1);
  for (const sample of samples) {
    if (sample === null) {
      range.add(null);
      continue;
    }
    // The key's bytes somewhere inside a longer line, as in a scanned record.
    const before = Buffer.from('{"x":"é","k":"');
    const bytes = Buffer.concat([before, Buffer.from(sample.span ?? '', 'utf8'), Buffer.from('"}')]);
    const spans: Spans = { bytes, start: Int32Array.of(0, before.length), end: Int32Array.of(0, before.length + Buffer.byteLength(sample.span ?? '')) };
    range.add(sample.cell, spans);
  }
  return range.bounds();
}

const COLUMNS: Array<[Pick<Column, 'name' | 'type' | 'kind' | 'scale'>, fc.Arbitrary<Sample>]> = [
  [{ name: 'K', type: 'BIGINT', kind: 'integer' }, integers],
  [{ name: 'K', type: 'TIMESTAMP', kind: 'timestamp' }, timestamps],
  [{ name: 'K', type: 'DATE', kind: 'date' }, dates],
  [{ name: 'K', type: 'DECIMAL(38,0)', kind: 'decimal', scale: 0 }, decimals(0)],
  [{ name: 'K', type: 'DECIMAL(38,6)', kind: 'decimal', scale: 6 }, decimals(6)],
  [{ name: 'K', type: 'STRING', kind: 'string' }, texts],
];

describe('key range of a batch', () => {
  for (const [column, samples] of COLUMNS) {
    it(`holds every key of a ${column.type} column between two exact literals`, () =>
      fc.assert(
        fc.property(fc.array(fc.option(samples, { freq: 8 }), { maxLength: 30 }), (batch) => {
          const bounds = rangeOf(column, batch);
          const values = batch.flatMap((s) => (s === null ? [] : [s.value]));
          const nulls = batch.includes(null);
          if (batch.length === 0) return assert.equal(bounds, undefined);
          assert.equal(bounds?.nulls, nulls);
          if (values.length === 0) return assert.equal(bounds?.min, undefined);
          const low = literalValue(keyLiteral(column.type, bounds!.min!)!);
          const high = literalValue(keyLiteral(column.type, bounds!.max!)!);
          // Every key lies within, and both ends are keys of the batch (the range is as narrow as it can be).
          for (const v of values) assert.ok(compare(low, v) <= 0 && compare(v, high) <= 0, `${String(v)} outside [${String(low)}, ${String(high)}]`);
          assert.ok(values.some((v) => compare(v, low) === 0) && values.some((v) => compare(v, high) === 0));
          const condition = keyRangeCondition([bounds!], new Map([['K', column.type]]));
          assert.equal(condition, `${nulls ? '(' : ''}t.\`K\` BETWEEN ${keyLiteral(column.type, bounds!.min!)} AND ${keyLiteral(column.type, bounds!.max!)}${nulls ? ' OR t.`K` IS NULL)' : ''}`);
        }),
        { numRuns: 300 },
      ));
  }

  it('has no range for types whose order Spark and the statistics may not share', () => {
    for (const [type, kind] of [['DOUBLE', 'number'], ['BOOLEAN', 'boolean'], ['STRING', 'json']] as const) {
      const range = new KeyRange({ name: 'K', type, kind }, 0);
      range.add(kind === 'number' ? 1.5 : kind === 'boolean' ? true : '{}');
      assert.equal(range.tracked, false);
      assert.equal(range.bounds(), undefined);
    }
  });

  it('a batch of NULL keys only matches NULL keys', () => {
    const range = new KeyRange({ name: 'K', type: 'BIGINT', kind: 'integer' }, 0);
    range.add(null);
    assert.equal(keyRangeCondition([range.bounds()!], new Map([['K', 'BIGINT']])), 't.`K` IS NULL');
  });
});
