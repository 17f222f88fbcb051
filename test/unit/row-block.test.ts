import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { StagedValue } from '../../src/schema/values.js';
import { dateDays, timestampMicros, unscaledDecimal, type StagedColumn } from '../../src/staging/parquet-layout.js';
import { RowBlock, SPAN, physicalColumn, type Cell } from '../../src/staging/row-block.js';

const RUNS = Number(process.env.FC_RUNS ?? 300);

/** Staged values of each kind, in every form the record path stages them. */
const stagedValue: Record<StagedColumn['kind'], fc.Arbitrary<StagedValue>> = {
  integer: fc.oneof(fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String)),
  number: fc.double({ noNaN: true, noDefaultInfinity: true }),
  boolean: fc.boolean(),
  string: fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }).map((s) => new TextEncoder().encode(s)), fc.constant('')),
  json: fc.oneof(fc.json(), fc.json().map((s) => new TextEncoder().encode(s))),
  timestamp: fc
    .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
    .chain((d) => fc.tuple(fc.constant(d), fc.integer({ min: 0, max: 999 }), fc.constantFrom('text', 'bigint', 'number')))
    .map(([d, extra, form]) => {
      const text = `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 23)}${String(extra).padStart(3, '0')}Z`;
      const micros = timestampMicros(text);
      // As the record path stages them: text, or microseconds (a number where exact).
      return form === 'text' ? text : form === 'number' && Number.isSafeInteger(Number(micros)) ? Number(micros) : micros;
    }),
  date: fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  decimal: fc.integer({ min: -1e9, max: 1e9 }).map((n) => (n / 100).toFixed(2)),
};

const kinds = Object.keys(stagedValue) as Array<StagedColumn['kind']>;

/**
 * What the Parquet writer must receive for the staged values, worked out value by value with the
 * layout's conversions: BigInt for INT64 (integers, timestamp microseconds), days for DATE,
 * unscaled BigInts for DECIMAL, UTF-8 bytes for text, the value itself otherwise.
 */
function expected(column: StagedColumn, values: StagedValue[]): unknown[] {
  return values.map((v) => {
    if (v === null) return null;
    switch (column.kind) {
      case 'integer':
        return BigInt(v as number | string);
      case 'timestamp':
        return typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(v) : timestampMicros(v as string);
      case 'date':
        return dateDays(v as string);
      case 'decimal':
        return unscaledDecimal(v as string, column.scale ?? 0);
      default:
        return typeof v === 'string' ? new TextEncoder().encode(v) : v;
    }
  });
}

describe('RowBlock', () => {
  it('gives the writer the values the layout conversions give for the staged cells, NULL included, across growth and row groups', () => {
    const table = fc.array(fc.constantFrom(...kinds), { minLength: 1, maxLength: 8 }).chain((columnKinds) =>
      fc.tuple(
        fc.constant(columnKinds.map((kind): StagedColumn => (kind === 'decimal' ? { kind, scale: 2 } : { kind }))),
        fc.array(fc.tuple(...columnKinds.map((kind) => fc.option(stagedValue[kind], { nil: null, freq: 4 }))), { maxLength: 40 }),
        fc.integer({ min: 1, max: 50 }),
      ),
    );
    fc.assert(
      fc.property(table, fc.integer({ min: 1, max: 8 }), ([columns, rows, split], capacity) => {
        const block = new RowBlock(columns, capacity);
        // Two row groups: the block starts over after take().
        for (const [part, from, to] of [
          [0, 0, Math.min(split, rows.length)],
          [1, Math.min(split, rows.length), rows.length],
        ] as const) {
          const cells = rows.slice(from, to);
          let bytes = 0;
          for (const [r, row] of cells.entries()) {
            // Text given as bytes goes in as a SPAN of a buffer every other row, as scanned records hand it over.
            if ((from + r) % 2 === 0) {
              bytes += block.append(row);
              continue;
            }
            const start = new Int32Array(row.length);
            const end = new Int32Array(row.length);
            const parts: Uint8Array[] = [new Uint8Array([7, 7])];
            let at = 2;
            const spanned = row.map((value, i): Cell => {
              if (!(value instanceof Uint8Array)) return value;
              start[i] = at;
              end[i] = at + value.length;
              parts.push(value);
              at += value.length;
              return SPAN;
            });
            bytes += block.append(spanned, { bytes: Buffer.concat(parts), start, end });
          }
          assert.equal(block.bytes, bytes);
          const { data, transfer } = block.take();
          assert.equal(data.rows, cells.length, `row group ${part}`);
          assert.ok(transfer.every((b) => b instanceof ArrayBuffer));
          columns.forEach((column, i) => {
            assert.deepEqual(
              physicalColumn(data.columns[i]!, data.rows).map((v) => (v instanceof Uint8Array ? [...v] : v)),
              expected(column, cells.map((row) => row[i]!)).map((v) => (v instanceof Uint8Array ? [...v] : v)),
            );
          });
        }
      }),
      { numRuns: RUNS },
    );
  });
});
