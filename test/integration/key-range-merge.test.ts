import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { configFile, dropSchema, freshSchema, query, rows, runTarget } from './harness.js';

/**
 * A keyed flush's MERGE matches only target rows between the smallest and largest key of its
 * batch. Three runs, one batch per stream each, whose keys hit both ends of the earlier ranges,
 * lie outside them, and differ in order between UTF-16 and UTF-8 (Spark compares text by bytes):
 * every update must land on its row, and no key may be loaded twice.
 */
const STREAMS = {
  nums: { key: ['id'], properties: { id: { type: ['null', 'integer'] } } },
  words: { key: ['w'], properties: { w: { type: 'string' } } },
  amounts: { key: ['price'], properties: { price: { type: 'number', multipleOf: 0.01 } } },
  events: { key: ['at'], properties: { at: { type: 'string', format: 'date-time' } } },
  pairs: { key: ['region', 'day', 'n'], properties: { region: { type: 'string' }, day: { type: 'string', format: 'date' }, n: { type: 'integer' } } },
} as const;

type Stream = keyof typeof STREAMS;

const BATCHES: Array<Partial<Record<Stream, Array<Record<string, unknown>>>>> = [
  {
    nums: [{ id: 10 }, { id: 20 }, { id: 30 }, { id: null }],
    words: [{ w: 'a' }, { w: '😀' }, { w: '\uFFFD' }, { w: "O'Brien\\" }],
    amounts: [{ price: 1.5 }, { price: -2.25 }, { price: 10 }],
    events: [{ at: '2024-01-01T00:00:00Z' }, { at: '2024-01-01T00:00:00.000001Z' }],
    pairs: [{ region: 'eu', day: '2024-01-01', n: 1 }, { region: 'us', day: '2024-01-02', n: 2 }],
  },
  {
    // Both ends of the first range, a key beyond it, and the NULL key again.
    nums: [{ id: 10 }, { id: 30 }, { id: 40 }, { id: null }],
    // In UTF-16 order U+FFFD sorts after the emoji, in UTF-8 (Spark's) before it.
    words: [{ w: '\uFFFD' }, { w: '😀' }],
    amounts: [{ price: -2.25 }, { price: 10 }, { price: 0.01 }],
    // The first instant again, written with an offset.
    events: [{ at: '2024-01-01T01:00:00+01:00' }, { at: '1999-12-31T23:59:59.999999Z' }],
    pairs: [{ region: 'eu', day: '2024-01-01', n: 1 }, { region: 'us', day: '2024-01-03', n: 1 }, { region: 'eu', day: '2024-01-02', n: 2 }],
  },
  {
    // Below every earlier range, and one in the middle.
    nums: [{ id: 5 }, { id: 20 }],
    words: [{ w: "O'Brien\\" }, { w: 'A' }],
    amounts: [{ price: 1.5 }],
    events: [{ at: '2024-01-01T00:00:00.000001Z' }],
    pairs: [{ region: 'us', day: '2024-01-02', n: 2 }],
  },
];

function input(batch: number): string {
  const lines: string[] = [];
  for (const [stream, spec] of Object.entries(STREAMS)) {
    lines.push(JSON.stringify({ type: 'SCHEMA', stream, key_properties: spec.key, schema: { type: 'object', properties: { ...spec.properties, v: { type: 'string' } } } }));
    for (const record of BATCHES[batch]![stream as Stream] ?? []) lines.push(JSON.stringify({ type: 'RECORD', stream, record: { ...record, v: `b${batch + 1}` } }));
  }
  lines.push(JSON.stringify({ type: 'STATE', value: { batch } }));
  return lines.join('\n') + '\n';
}

describe('keyed MERGEs that match only the batch key range', () => {
  let schema: string;

  before(async () => {
    schema = await freshSchema();
    const config = await configFile({ default_target_schema: schema, primary_key_required: false });
    for (let batch = 0; batch < BATCHES.length; batch += 1) {
      const result = await runTarget(['--config', config], input(batch));
      assert.equal(result.code, 0, result.stderr);
    }
  });
  after(async () => {
    if (schema) await dropSchema(schema);
  });

  it('creates keyed tables as merge-on-read', async () => {
    const properties = await query(`SHOW TBLPROPERTIES spark_catalog.\`${schema}\`.nums`);
    assert.ok(properties.some((p) => p.key === 'write.merge.mode' && p.value === 'merge-on-read'), JSON.stringify(properties));
  });

  it('updates integer keys at both ends of a range, beyond it, below it, and NULL keys', async () =>
    assert.deepEqual(await rows(schema, 'nums', 'CAST(id AS STRING) AS id, v', 'CAST(id AS BIGINT) NULLS FIRST'), [
      { id: null, v: 'b2' },
      { id: '5', v: 'b3' },
      { id: '10', v: 'b2' },
      { id: '20', v: 'b3' },
      { id: '30', v: 'b2' },
      { id: '40', v: 'b2' },
    ]));

  it('updates text keys in Spark byte order', async () =>
    assert.deepEqual(await rows(schema, 'words', 'w, v', 'w'), [
      { w: 'A', v: 'b3' },
      { w: "O'Brien\\", v: 'b3' },
      { w: 'a', v: 'b1' },
      { w: '\uFFFD', v: 'b2' },
      { w: '😀', v: 'b2' },
    ]));

  it('updates decimal and timestamp keys', async () => {
    assert.deepEqual(await rows(schema, 'amounts', 'CAST(price AS STRING) AS price, v'), [
      { price: '-2.25', v: 'b2' },
      { price: '0.01', v: 'b2' },
      { price: '1.50', v: 'b3' },
      { price: '10.00', v: 'b2' },
    ]);
    assert.deepEqual(await rows(schema, 'events', 'CAST(at AS STRING) AS at, v'), [
      { at: '1999-12-31 23:59:59.999999', v: 'b2' },
      { at: '2024-01-01 00:00:00', v: 'b2' },
      { at: '2024-01-01 00:00:00.000001', v: 'b3' },
    ]);
  });

  it('updates composite keys column by column', async () =>
    assert.deepEqual(await rows(schema, 'pairs', 'region, CAST(day AS STRING) AS day, n, v', 'region, day, n'), [
      { region: 'eu', day: '2024-01-01', n: 1, v: 'b2' },
      { region: 'eu', day: '2024-01-02', n: 2, v: 'b2' },
      { region: 'us', day: '2024-01-02', n: 2, v: 'b3' },
      { region: 'us', day: '2024-01-03', n: 1, v: 'b2' },
    ]));
});
