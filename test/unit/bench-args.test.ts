import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseBenchArgs, targetSettings, type BenchOptions } from '../../bench/args.js';
import { distinctKeys, existingKey, singerLines, type ExpectedOutcome } from '../../bench/generator.js';

const parse = (...argv: string[]) => parseBenchArgs(argv) as BenchOptions;

describe('bench arguments', () => {
  it('defaults to the full run with three repeats', () => {
    const o = parse();
    assert.equal(o.mode, 'full');
    assert.equal(o.repeat, 3);
    assert.deepEqual(o.initialRows, [100_000]);
    assert.equal(o.keys, 'oldest');
    assert.equal(o.records, 100_000);
  });

  it('reads --stage-only and --bare-merge with their counts', () => {
    assert.equal(parse('--stage-only', '--repeat', '5').repeat, 5);
    assert.equal(parse('--stage-only').mode, 'stage-only');
    const bare = parse('--bare-merge', '--initial-rows', '1M', '--records', '50k');
    assert.deepEqual([bare.mode, bare.initialRows, bare.records, bare.streams], ['bare-merge', [1_000_000], 50_000, 1]);
    assert.equal(parse('--schema-width', '1000', '--stage-only').schemaWidth, 1000);
    const many = parse('--streams', '200', '--records', '10k', '--against-one-stream');
    assert.deepEqual([many.streams, many.records, many.againstOneStream], [200, 10_000, true]);
  });

  it('reads --keys and several table sizes for --bare-merge', () => {
    const o = parse('--bare-merge', '--keys', 'recent', '--initial-rows', '100k,3M');
    assert.deepEqual([o.keys, o.initialRows], ['recent', [100_000, 3_000_000]]);
    assert.equal(parse('--bare-merge', '--keys', 'random').keys, 'random');
    assert.throws(() => parse('--bare-merge', '--keys', 'newest'), /^Error: --keys needs one of oldest, recent, random, got 'newest'$/);
    assert.throws(() => parse('--keys', 'recent'), /^Error: --keys applies to --bare-merge only$/);
    assert.throws(() => parse('--bare-merge', '--initial-rows', '3M,100k'), /^Error: --initial-rows sizes must be ascending, got '3M,100k'$/);
    assert.throws(() => parse('--bare-merge', '--initial-rows', '100k,'), /^Error: --initial-rows needs a positive integer \(e\.g\. 400k, 1M\), got ''$/);
  });

  it('refuses combinations that measure nothing sensible', () => {
    assert.throws(() => parse('--stage-only', '--bare-merge'), /exclude each other/);
    assert.throws(() => parse('--bare-merge', '--append'), /keyed/);
    assert.throws(() => parse('--bare-merge', '--streams', '3'), /one stream/);
    assert.throws(() => parse('--stage-only', '--ratio'), /full run only/);
    assert.throws(() => parse('--repeat', '0'), /--repeat needs a positive integer/);
    assert.throws(() => parse('--stage-only', '--against-one-stream'), /full run only/);
    assert.throws(() => parse('--ratio', '--against-one-stream', '--streams', '200'), /exclude each other/);
    assert.throws(() => parse('--against-one-stream', '--streams', '1'), /--streams of 2 or more/);
  });

  it('turns options into target settings', () => {
    assert.deepEqual(targetSettings({ batchSizeRows: 10, keyed: false, overrides: { parallelism: 2 } }), { batch_size_rows: 10, primary_key_required: false, parallelism: 2 });
    assert.deepEqual(targetSettings({ keyed: true, overrides: {} }), {});
  });
});

describe('bench input with existing rows', () => {
  const records = (spec: Parameters<typeof singerLines>[0]) => {
    const expected: ExpectedOutcome = { rowsPerStream: new Map(), statesSent: 0, lastState: undefined };
    const ids = [...singerLines(spec, expected)].map((l) => JSON.parse(l) as { type: string; record?: { id: number } }).filter((m) => m.type === 'RECORD').map((m) => m.record!.id);
    return { ids, expected };
  };
  const base = { streams: 1, keyed: true, schemaWidth: 2, stateEvery: 50 };

  it('names the keys a first input left, in order', () => {
    const { ids, expected } = records({ ...base, records: 95 });
    const keys = [...new Set(ids)].sort((a, b) => a - b);
    assert.equal(keys.length, distinctKeys(95));
    assert.equal(expected.rowsPerStream.get('stream_0'), distinctKeys(95));
    assert.deepEqual(keys, keys.map((_, r) => existingKey(r)));
  });

  it('updates existing keys in every 10th record and adds new keys after them', () => {
    const first = new Set(records({ ...base, records: 100 }).ids);
    const { ids, expected } = records({ ...base, records: 50, existingPerStream: 100 });
    assert.equal(ids.filter((id) => first.has(id)).length, 5);
    assert.equal(expected.rowsPerStream.get('stream_0'), first.size + 45);
    assert.equal(new Set([...first, ...ids]).size, first.size + 45);
  });

  it('updates the newest, the oldest or random existing keys as asked, and tallies the key range', () => {
    const first = [...new Set(records({ ...base, records: 1000 }).ids)].sort((a, b) => a - b);
    const updates = (updates: 'oldest' | 'recent' | 'random') => {
      const { ids, expected } = records({ ...base, records: 200, existingPerStream: 1000, updates });
      const old = ids.filter((id) => id <= 1000);
      assert.deepEqual(expected.keyRange, { min: Math.min(...ids), max: Math.max(...ids) });
      assert.equal(expected.rowsPerStream.get('stream_0'), first.length + 180);
      return old;
    };
    assert.deepEqual(updates('oldest'), first.slice(0, 20));
    assert.deepEqual(updates('recent'), first.slice(-20).reverse());
    const random = updates('random');
    assert.equal(random.length, 20);
    assert.ok(random.every((id) => first.includes(id)));
    // Spread over the table: neither only the oldest nor only the newest keys.
    assert.ok(Math.min(...random) < first[first.length - 200]! && Math.max(...random) > first[199]!);
  });
});
