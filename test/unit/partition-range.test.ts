import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/config.js';
import { mergeTouch, PartitionRange } from '../../src/engine/partition-range.js';
import { StreamSink } from '../../src/engine/stream-sink.js';
import { TouchedPartitions } from '../../src/loading/touched-partitions.js';
import type { Logger } from '../../src/logging.js';
import { TableRegistry } from '../../src/schema/table-registry.js';
import { parseMessage, type RecordMessage, type SchemaMessage } from '../../src/singer/messages.js';
import { ScannedRecord, scanRecordLine } from '../../src/singer/record-scan.js';
import type { PartitionTouch } from '../../src/sql/compaction-filter.js';
import { SPAN } from '../../src/staging/row-block.js';

/**
 * What a run wrote into partition columns: per batch (PartitionRange over the staged cells, as
 * StreamSink stages them), over the run per table (TouchedPartitions), and the filter maintenance
 * asks. Every value written must be inside what is kept; a commit the target did not stage makes
 * the table whole.
 */
const DAY = 86_400_000_000;
const ref = { catalog: 'spark_catalog', schema: 's', table: 'T' };

function logger(lines: string[]): Logger {
  const log = { error: () => log, warn: () => log, info: () => log, debug: (m: string) => (lines.push(m), log) } as unknown as Logger;
  return log;
}

describe('PartitionRange', () => {
  it('keeps the day numbers of staged timestamps (micros or staging text) and the range', () => {
    const range = new PartitionRange({ name: 'TS', type: 'TIMESTAMP', kind: 'timestamp' }, 0, { kind: 'day' });
    range.add(3 * DAY + 5);
    range.add('1970-01-02 10:00:00.000000Z');
    range.add(null);
    range.add(3 * DAY);
    assert.deepEqual(range.touch(), { column: 'TS', type: 'TIMESTAMP', transform: { kind: 'day' }, min: 36_000_000_000n + BigInt(DAY), max: 3 * DAY + 5, nulls: true, values: [3, 1] });
  });

  it('keeps distinct texts of spans and strings; past the cap only the range', () => {
    const range = new PartitionRange({ name: 'S', type: 'STRING', kind: 'string' }, 1, { kind: 'identity' }, 2);
    const bytes = Buffer.from('xxébyy');
    const spans = { bytes, start: Int32Array.from([0, 2]), end: Int32Array.from([0, 5]) };
    range.add(SPAN, spans);
    range.add('éb');
    range.add('a');
    assert.deepEqual(range.touch(), { column: 'S', type: 'STRING', transform: { kind: 'identity' }, min: 'a', max: 'éb', nulls: false, values: ['éb', 'a'] });
    range.add('z');
    // 'é' (0xC3 ...) is after 'z' in UTF-8 order.
    assert.deepEqual(range.touch(), { column: 'S', type: 'STRING', transform: { kind: 'identity' }, min: 'a', max: 'éb', nulls: false });
  });

  it('keeps the partitions of truncate[W] of text: the first W code points, the range of the values', () => {
    const range = new PartitionRange({ name: 'S', type: 'STRING', kind: 'string' }, 0, { kind: 'truncate', width: 2 });
    for (const text of ['abc', 'abd', '😀é😀', 'a']) range.add(text);
    assert.deepEqual(range.touch(), { column: 'S', type: 'STRING', transform: { kind: 'truncate', width: 2 }, min: 'a', max: '😀é😀', nulls: false, values: ['ab', '😀é', 'a'] });
  });

  it('tracks nothing for a type without an order (DOUBLE)', () => {
    const range = new PartitionRange({ name: 'X', type: 'DOUBLE', kind: 'number' }, 0, { kind: 'identity' });
    range.add(1.5);
    assert.equal(range.tracked, false);
    assert.equal(range.touch(), undefined);
  });
});

describe('mergeTouch', () => {
  const base = { column: 'S', type: 'STRING', transform: { kind: 'identity' } } as const;
  it('unions values, widens the range in UTF-8 order, ORs NULLs, drops the list past the cap', () => {
    const a: PartitionTouch = { ...base, min: 'b', max: '\uffff', nulls: false, values: ['b', '\uffff'] };
    const b: PartitionTouch = { ...base, min: 'a', max: '😀', nulls: true, values: ['a', 'b', '😀'] };
    assert.deepEqual(mergeTouch(a, b), { ...base, min: 'a', max: '😀', nulls: true, values: ['b', '\uffff', 'a', '😀'] });
    assert.deepEqual(mergeTouch(a, b, 3), { ...base, min: 'a', max: '😀', nulls: true });
    assert.deepEqual(mergeTouch({ ...base, nulls: true, values: [] }, a), { ...base, min: 'b', max: '\uffff', nulls: true, values: ['b', '\uffff'] });
  });
});

describe('TouchedPartitions', () => {
  const day = (values: number[]): PartitionTouch => ({ column: 'TS', type: 'TIMESTAMP', transform: { kind: 'day' }, min: Math.min(...values) * DAY, max: Math.max(...values) * DAY, nulls: false, values });

  it('accumulates the run: a filter on every partition the commits wrote', () => {
    const debug: string[] = [];
    const touched = new TouchedPartitions(logger(debug));
    touched.committed(ref, [day([1])], new Map([['TS', 'timestamp']]));
    touched.committed(ref, [day([3])]);
    assert.equal(
      touched.filter(ref),
      '((`TS` >= TIMESTAMP_MICROS(86400000000) AND `TS` < TIMESTAMP_MICROS(172800000000)) OR (`TS` >= TIMESTAMP_MICROS(259200000000) AND `TS` < TIMESTAMP_MICROS(345600000000)))',
    );
    assert.deepEqual(debug, []);
  });

  it('the whole table after a commit of rows it did not stage, or of an unpartitioned stream', () => {
    const debug: string[] = [];
    const touched = new TouchedPartitions(logger(debug));
    touched.committed(ref, [day([1])]);
    touched.committed(ref, undefined);
    touched.committed(ref, [day([2])]);
    assert.equal(touched.filter(ref), undefined);
    assert.equal(touched.filter({ ...ref, table: 'OTHER' }), undefined);
    assert.deepEqual(debug, [
      'Compaction of `spark_catalog`.`s`.`T`: the whole table (rows were written the target did not stage, or the table is not partitioned by the settings)',
      'Compaction of `spark_catalog`.`s`.`OTHER`: the whole table (no partition column tracked)',
    ]);
  });

  it('a column the table stores in another type, or a field missing from a commit, restricts nothing', () => {
    const debug: string[] = [];
    const touched = new TouchedPartitions(logger(debug));
    const id: PartitionTouch = { column: 'ID', type: 'BIGINT', transform: { kind: 'identity' }, min: 7, max: 7, nulls: false, values: [7] };
    touched.committed(ref, [day([1]), id], new Map([['TS', 'STRING'], ['ID', 'bigint']]));
    assert.equal(touched.filter(ref), '`ID` = 7');
    touched.committed(ref, [day([1])]);
    assert.equal(touched.filter(ref), undefined);
    assert.equal(debug.at(-1), 'Compaction of `spark_catalog`.`s`.`T`: the whole table (no partition column tracked)');
  });
});

describe('StreamSink partition touches', () => {
  async function closed(settings: Record<string, unknown>, records: Array<Record<string, unknown>>): Promise<readonly PartitionTouch[] | undefined> {
    const tempDir = await mkdtemp(join(tmpdir(), 'target-iomete-touch-'));
    const { config } = resolveConfig({ host: 'h', lakehouse: 'lh', user: 'u', password: 'p', s3_bucket: 'b', default_target_schema: 'x', temp_dir: tempDir, ...settings });
    const schema: SchemaMessage = {
      type: 'SCHEMA',
      stream: 'orders',
      schema: { type: 'object', properties: { id: { type: 'integer' }, created_at: { type: 'string', format: 'date-time' }, kind: { type: 'string' } } },
      key_properties: ['id'],
    };
    const sink = new StreamSink('orders', schema, { config, log: logger([]), tempDir, filePrefix: 'run', registry: new TableRegistry() }, 1);
    const scan = new ScannedRecord();
    try {
      records.forEach((record, i) => {
        const text = JSON.stringify({ type: 'RECORD', stream: 'orders', record });
        const bytes = Buffer.from(text);
        // Scanned and parsed lines alike.
        if (i % 2 === 0 && scanRecordLine(bytes, 0, bytes.length, scan)) sink.addScanned(scan, i + 2, () => 1);
        else sink.add(parseMessage(text, i + 2) as RecordMessage, i + 2, () => 1);
      });
      const batch = sink.close();
      await batch?.file.discard();
      return batch?.partitionTouches;
    } finally {
      await sink.discard();
      await rm(tempDir, { recursive: true, force: true });
    }
  }
  const records = [
    { id: 1, created_at: '2024-01-01T10:00:00Z', kind: "it's" },
    { id: 2, created_at: '2024-01-03T00:00:00.5Z', kind: 'b' },
    { id: 3, created_at: null, kind: "it's" },
  ];

  it('with compaction on, each partition_by column of the stream is tracked, named as the table names it', async () => {
    const touches = await closed({ maintenance: true, partition_by: { orders: [{ column: 'CREATED_AT', transform: 'day' }, 'kind', { column: 'id', transform: 'bucket[4]' }] } }, records);
    const micros = (iso: string) => Date.parse(iso) * 1000;
    assert.deepEqual(touches, [
      // The scanned timestamp is staged as micros, the parsed one (fraction) as staging text.
      { column: 'CREATED_AT', type: 'TIMESTAMP', transform: { kind: 'day' }, min: micros('2024-01-01T10:00:00Z'), max: BigInt(micros('2024-01-03T00:00:00.500Z')), nulls: true, values: [19723, 19725] },
      { column: 'KIND', type: 'STRING', transform: { kind: 'identity' }, min: 'b', max: "it's", nulls: false, values: ["it's", 'b'] },
      { column: 'ID', type: 'BIGINT', transform: { kind: 'bucket', buckets: 4 }, min: 1, max: 3, nulls: false, values: [1, 2, 3] },
    ]);
  });

  it('nothing is tracked without maintenance, without compaction, or without a partition spec', async () => {
    const partition_by = { orders: ['kind'] };
    assert.equal(await closed({ partition_by }, records), undefined);
    assert.equal(await closed({ partition_by, maintenance: true, maintenance_compact: false }, records), undefined);
    assert.equal(await closed({ maintenance: true }, records), undefined);
  });
});
