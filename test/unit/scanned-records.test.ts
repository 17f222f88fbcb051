import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { resolveConfig } from '../../src/config/config.js';
import { StreamSink } from '../../src/engine/stream-sink.js';
import type { Logger } from '../../src/logging.js';
import { BATCHED_AT } from '../../src/schema/metadata.js';
import { TableRegistry } from '../../src/schema/table-registry.js';
import { parseMessage, type RecordMessage, type SchemaMessage } from '../../src/singer/messages.js';
import { ScannedRecord, scanRecordLine } from '../../src/singer/record-scan.js';
import { parquetFileRecords } from '../../src/staging/parquet-reader.js';

/**
 * StreamSink.addScanned against StreamSink.add: the same lines, staged once from their bytes and
 * once parsed, must give the same rows in the batch file, the same batch size (distinct keys),
 * the same warnings and the same error for each refused line. A refused record stages nothing
 * (its cells and key are worked out before anything is written), so the lines after it go on
 * being compared.
 */

const RUNS = Number(process.env.FC_RUNS ?? 150);

const SCHEMA = {
  type: 'object',
  properties: {
    id: { type: ['integer'] },
    n: { type: ['null', 'number'] },
    i: { type: ['null', 'integer'] },
    s: { type: ['null', 'string'] },
    'a b': { type: ['null', 'string'] },
    b: { type: ['null', 'boolean'] },
    t: { type: ['null', 'string'], format: 'date-time' },
    d: { type: ['null', 'string'], format: 'date' },
    j: { type: ['null', 'object'] },
    a: { type: ['null', 'array'] },
    m: { type: ['null', 'number'], multipleOf: 0.01 },
    // A plain number made DECIMAL(18,4) by column_types, and an integer beyond 64 bits by its bounds.
    p: { type: ['null', 'number'] },
    u: { type: ['null', 'integer'], minimum: 0, maximum: 18446744073709551615n },
    _sdc_deleted_at: { type: ['null', 'string'], format: 'date-time' },
  },
};

const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('json'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', '1', 'x y'), tie('json'), { maxKeys: 3 }),
  ),
}));

const timestamp = fc.oneof(
  fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2024-01-01T00:00:00Z', '2024-02-29T23:59:59.123456789Z', '2024-01-01T00:00:00.5Z', '2024-01-01T00:00:00.Z', '2023-02-29T00:00:00Z', '2024-01-01Tx0:00:00Z', '2024-01-01T00:00:00+02:00', '2024-01-01 00:00:00Z', '2024-01-01', 'soon', '10000-01-01T00:00:00Z'),
);

/** A value for each property: mostly what the schema says, sometimes anything at all. */
const fieldValues: Record<string, fc.Arbitrary<unknown>> = {
  id: fc.oneof(fc.integer({ min: -5, max: 20 }), fc.integer({ min: -5, max: 20 }), fc.constantFrom('7', 1.5, null)),
  n: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.integer().map((c) => c / 1000), fc.constantFrom(0.1, -0, 1e21, 123.456, '12.5')),
  i: fc.oneof(fc.integer(), fc.constantFrom(-0, 2 ** 53, '42', 1e3)),
  s: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('naïve 東京 🚀', 'tab\tnew\nline', '"q"', '')),
  'a b': fc.string({ maxLength: 6 }),
  b: fc.boolean(),
  t: timestamp,
  d: fc.constantFrom('2024-05-01', '2024-13-01', '0099-01-01', '2024-05-01T10:00:00Z'),
  j: fc.oneof(fc.dictionary(fc.constantFrom('source', 'score', 'tags', '2'), json, { maxKeys: 3 }), fc.constantFrom('{"a":1}', 'text')),
  a: fc.array(json, { maxLength: 3 }),
  m: fc.oneof(fc.integer({ min: -1000, max: 1000 }).map((c) => c / 100), fc.constantFrom(0.001, 5)),
  p: fc.oneof(fc.integer({ min: -1e9, max: 1e9 }).map((c) => c / 10000), fc.constantFrom(0.00001, 1e14, 1e15)),
  u: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(-1)),
  _sdc_deleted_at: fc.oneof(timestamp, fc.constant(null)),
};

/** JSON text written as is into the line: forms JSON.stringify never writes. */
class Raw {
  constructor(readonly text: string) {}
}
/** Number texts a double cannot hold (or holds only in a JSON-parsing path that keeps their text), and ones it can. */
const numberText = fc
  .constantFrom('99999999999999.9999', '6000000000000.0000000006', '0.10000000000000001', '1e-400', '1.2345678901234e-320', '1e400', '0E-10', '1.5e+300', '-1.5e300', '9007199254740993', '18446744073709551615', '123.4500')
  .map((t) => new Raw(t));
const rawJson = fc.constantFrom('{"a": 1}', '{"b":1,"2":0}', '{"a":1,"a":2}', '[1.50]', '["a\\nb"]', '[-0]', '[1e3]', '{ }', '[0.1 ]', '"\\u0041"').map((t) => new Raw(t));

const field = fc.constantFrom(...Object.keys(fieldValues)).chain((key) =>
  fc.tuple(fc.constant(key), fc.oneof({ weight: 6, arbitrary: fieldValues[key]! }, { weight: 1, arbitrary: json }, { weight: 1, arbitrary: rawJson }, { weight: 1, arbitrary: numberText })),
);

const line = fc
  .record({
    fields: fc.array(field, { minLength: 1, maxLength: 10 }),
    withId: fc.boolean(),
    id: fc.integer({ min: 1, max: 30 }),
    extracted: fc.option(timestamp, { nil: undefined }),
    spaced: fc.boolean(),
  })
  .map(({ fields, withId, id, extracted, spaced }) => {
    const all: Array<[string, unknown]> = withId ? [['id', id], ...fields] : fields;
    const sep = spaced ? ', ' : ',';
    const record = `{${all.map(([k, v]) => `${JSON.stringify(k)}:${v instanceof Raw ? v.text : JSON.stringify(v)}`).join(sep)}}`;
    const time = extracted === undefined ? '' : `${sep}"time_extracted":${JSON.stringify(extracted)}`;
    return `{"type":"RECORD"${sep}"stream":"orders"${sep}"record":${record}${time}}`;
  });

const settings = fc.record({
  add_metadata_columns: fc.boolean(),
  on_invalid_datetime: fc.constantFrom('fail', 'null'),
  on_inexact_number: fc.constantFrom('fail', 'round'),
  primary_key_required: fc.boolean(),
  keyed: fc.boolean(),
});

interface Outcome {
  errors: string[];
  warnings: string[];
  rows: Array<Record<string, unknown>>;
  batchRows?: number;
  scanned: number;
  /** Lines staged before the first error. */
  staged: number;
}

async function stage(lines: readonly string[], s: { add_metadata_columns: boolean; on_invalid_datetime: string; on_inexact_number: string; primary_key_required: boolean; keyed: boolean }, scanned: boolean): Promise<Outcome> {
  const tempDir = await mkdtemp(join(tmpdir(), 'target-iomete-scan-'));
  const warnings: string[] = [];
  const log = { error: () => log, warn: (m: string) => (warnings.push(m), log), info: () => log, debug: () => log } as unknown as Logger;
  const { config } = resolveConfig({
    host: 'h',
    lakehouse: 'lh',
    user: 'u',
    password: 'p',
    s3_bucket: 'b',
    default_target_schema: 'x',
    temp_dir: tempDir,
    add_metadata_columns: s.add_metadata_columns,
    on_invalid_datetime: s.on_invalid_datetime,
    on_inexact_number: s.on_inexact_number,
    column_types: { 'ord*': { p: 'DECIMAL(18,4)' } },
    primary_key_required: s.primary_key_required && s.keyed,
  });
  const schema: SchemaMessage = { type: 'SCHEMA', stream: 'orders', schema: SCHEMA, key_properties: s.keyed ? ['id'] : [] };
  const sink = new StreamSink('orders', schema, { config, log, tempDir, filePrefix: 'run', registry: new TableRegistry() }, 1);
  assert.equal(sink.scannable, true);
  const scan = new ScannedRecord();
  const outcome: Outcome = { errors: [], warnings, rows: [], scanned: 0, staged: 0 };
  let holds = 0;
  try {
    lines.forEach((text, i) => {
      const number = i + 2;
      const bytes = Buffer.from(text);
      try {
        if (scanned && scanRecordLine(bytes, 0, bytes.length, scan)) {
          outcome.scanned += 1;
          sink.addScanned(scan, number, () => ++holds);
        } else sink.add(parseMessage(text, number) as RecordMessage, number, () => ++holds);
      } catch (e) {
        outcome.errors.push(`line ${number}: ${(e as Error).message}`);
      }
      outcome.staged += 1;
    });
    outcome.batchRows = sink.openBatch?.rows;
    warnings.push(...sink.roundingReport());
    const batch = sink.close();
    if (batch) {
      await batch.file.finish();
      for await (const row of parquetFileRecords(batch.file.path)) outcome.rows.push(row);
    }
  } finally {
    await sink.discard();
    await rm(tempDir, { recursive: true, force: true });
  }
  // _sdc_batched_at is the clock at staging: the one column that differs between two runs.
  const batchedAt = sink.columns.findIndex((c) => c.name === BATCHED_AT);
  if (batchedAt >= 0) for (const row of outcome.rows) delete row[`c${batchedAt}`];
  return outcome;
}

describe('StreamSink.addScanned', () => {
  it('stages what add() stages for the parsed line: rows, keys, warnings and the first error', async () => {
    let scannedLines = 0;
    let allLines = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 12 }), settings, async (lines, s) => {
        const parsed = await stage(lines, s, false);
        const scanned = await stage(lines, s, true);
        scannedLines += scanned.scanned;
        allLines += scanned.staged;
        assert.deepEqual(scanned.errors, parsed.errors);
        assert.deepEqual(scanned.warnings, parsed.warnings);
        assert.equal(scanned.batchRows, parsed.batchRows);
        assert.deepEqual(scanned.rows, parsed.rows);
      }),
      { numRuns: RUNS },
    );
    // Long numbers (most random doubles) leave a line to the ordinary path, but not most lines.
    assert.ok(scannedLines > allLines / 3, `${scannedLines} of ${allLines} staged lines scanned`);
  });
});
