import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { bookmarksOf, compareTable, keyOf, recordOf, replayLines, type ReplaySpec } from '../support/replay-input.js';

// The crash and fault suites trust these helpers to say "0 lost, 0 duplicates"; they must be able to say otherwise.
const SPEC: ReplaySpec = {
  streams: [
    { name: 'k', keyed: true, records: 30, keys: 12 },
    { name: 'a', keyed: false, records: 20 },
  ],
  stateEvery: 7,
};
const [keyed, append] = SPEC.streams as [ReplaySpec['streams'][0], ReplaySpec['streams'][0]];

/** What a correct target leaves: the last write per key, every append record once. */
function tablesAfter(lines: Iterable<string>): Map<string, Array<{ id: number; seq: number; val: string }>> {
  const keyedRows = new Map<number, { id: number; seq: number; val: string }>();
  const appendRows: Array<{ id: number; seq: number; val: string }> = [];
  for (const line of lines) {
    const m = JSON.parse(line) as { type: string; stream: string; record: { id: number; seq: number; val: string } };
    if (m.type !== 'RECORD') continue;
    if (m.stream === 'k') keyedRows.set(m.record.id, m.record);
    else appendRows.push(m.record);
  }
  return new Map([
    ['k', [...keyedRows.values()]],
    ['a', appendRows],
  ]);
}

describe('replay tap for crash tests', () => {
  it('a full run leaves exactly the expected rows; a missing, stale or doubled row is counted', () => {
    const tables = tablesAfter(replayLines(SPEC));
    assert.deepEqual(compareTable(keyed, tables.get('k')!), { lost: 0, duplicates: 0, wrongValues: 0 });
    assert.deepEqual(compareTable(append, tables.get('a')!), { lost: 0, duplicates: 0, wrongValues: 0 });
    assert.equal(tables.get('k')!.length, 12);

    const keyedRows = tables.get('k')!;
    const stale = keyedRows.map((r) => (r.id === keyOf(keyed, 30) ? recordOf(keyed, r.id) : r));
    assert.equal(compareTable(keyed, stale).lost, 1, 'a key holding an older write is lost');
    assert.equal(compareTable(keyed, [...keyedRows, keyedRows[0]!]).duplicates, 1);
    assert.equal(compareTable(append, tables.get('a')!.slice(1)).lost, 1);
    assert.equal(compareTable(append, [...tables.get('a')!, recordOf(append, 3)]).duplicates, 1);
    assert.equal(compareTable(append, [{ id: 1, seq: 1, val: 'other' }]).wrongValues, 1);
  });

  it('a replay re-sends each stream after its bookmark, SCHEMAs first, never moving a bookmark back', () => {
    const lines = [...replayLines(SPEC, { k: 17, a: 4 })].map((l) => JSON.parse(l) as { type: string; stream?: string; record?: { seq: number }; value?: unknown });
    assert.deepEqual(lines.slice(0, 2).map((m) => m.type), ['SCHEMA', 'SCHEMA']);
    const seqs = (stream: string) => lines.filter((m) => m.type === 'RECORD' && m.stream === stream).map((m) => m.record!.seq);
    assert.deepEqual(seqs('k'), Array.from({ length: 13 }, (_, i) => 18 + i));
    assert.deepEqual(seqs('a'), Array.from({ length: 16 }, (_, i) => 5 + i));
    const states = lines.filter((m) => m.type === 'STATE').map((m) => bookmarksOf(m.value));
    assert.ok(states.every((b) => (b.k ?? 0) >= 17 && (b.a ?? 0) >= 4));
    assert.deepEqual(states.at(-1), { k: 30, a: 20 });
  });

  it('up to a bookmark: only the records up to it are required', () => {
    const first10 = tablesAfter([...replayLines({ ...SPEC, streams: [{ ...keyed, records: 10 }] })]);
    assert.equal(compareTable(keyed, first10.get('k')!, 10).lost, 0);
    assert.ok(compareTable(keyed, first10.get('k')!, 30).lost > 0);
  });
});
