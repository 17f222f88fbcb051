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
    assert.equal(o.initialRows, 100_000);
    assert.equal(o.records, 100_000);
  });

  it('reads --stage-only and --bare-merge with their counts', () => {
    assert.equal(parse('--stage-only', '--repeat', '5').repeat, 5);
    assert.equal(parse('--stage-only').mode, 'stage-only');
    const bare = parse('--bare-merge', '--initial-rows', '1M', '--records', '50k');
    assert.deepEqual([bare.mode, bare.initialRows, bare.records, bare.streams], ['bare-merge', 1_000_000, 50_000, 1]);
    assert.equal(parse('--schema-width', '1000', '--stage-only').schemaWidth, 1000);
    const many = parse('--streams', '200', '--records', '10k', '--against-one-stream');
    assert.deepEqual([many.streams, many.records, many.againstOneStream], [200, 10_000, true]);
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
});
