import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { configFile, dropSchema, freshSchema, query, runTarget, type RunResult } from './harness.js';

/**
 * Maintenance compacts only the partitions a run wrote. A first run without maintenance leaves
 * two small data files in every partition of four tables (batch_size_rows 2): identity on a
 * text column and truncate[2] of one (append-only streams), day() of a timestamp and bucket[2] of
 * the key (keyed streams, merge-on-read). The second run, with maintenance and compaction of
 * groups of 2 files, writes into one partition of each: that partition's files are rewritten, every other
 * partition's file paths are unchanged (a whole-table compaction would have rewritten them too,
 * each holding 2 files), and every row is kept.
 */
const DAY = (d: number, hour: number) => `2024-03-0${d}T${String(hour).padStart(2, '0')}:00:00Z`;
/** The touched identity partition: a quote and non-ASCII text go through the procedure's where. */
const TOUCHED_KIND = "it's é";
const KINDS = ['a', TOUCHED_KIND, 'c'];
/** truncate[2] partitions of `notes.label` (two code points: 'é' is two UTF-8 bytes); the first is touched. */
const PREFIXES = ['éa', 'éb', 'ab'];

function schemaLine(stream: string, keys: string[], properties: Record<string, unknown>): string {
  return JSON.stringify({ type: 'SCHEMA', stream, key_properties: keys, schema: { type: 'object', properties } });
}
const record = (stream: string, value: Record<string, unknown>) => JSON.stringify({ type: 'RECORD', stream, record: value });

/** Each partition gets its records two at a time (one flush each), twice. */
function firstInput(): string {
  const lines = [
    schemaLine('visits', [], { id: { type: 'integer' }, kind: { type: 'string' } }),
    schemaLine('orders', ['id'], { id: { type: 'integer' }, created_at: { type: 'string', format: 'date-time' }, amount: { type: 'integer' } }),
    schemaLine('items', ['id'], { id: { type: 'integer' }, v: { type: 'string' } }),
    schemaLine('notes', [], { id: { type: 'integer' }, label: { type: 'string' } }),
  ];
  let id = 0;
  for (let round = 0; round < 2; round += 1) for (const kind of KINDS) for (let i = 0; i < 2; i += 1) lines.push(record('visits', { id: id++, kind }));
  id = 0;
  for (const round of [0, 1]) for (const d of [1, 2, 3]) for (let i = 0; i < 2; i += 1) lines.push(record('orders', { id: id++, created_at: DAY(d, 10 + round * 2 + i), amount: id * 10 }));
  for (let i = 0; i < 12; i += 1) lines.push(record('items', { id: i, v: `v${i}` }));
  // Each file of a partition holds other labels than the second run writes (their bounds exclude it).
  id = 0;
  for (let round = 0; round < 2; round += 1) for (const prefix of PREFIXES) for (let i = 0; i < 2; i += 1) lines.push(record('notes', { id: id++, label: `${prefix}${round * 2 + i}` }));
  lines.push(JSON.stringify({ type: 'STATE', value: { run: 1 } }));
  return lines.join('\n') + '\n';
}

/** One partition of each table: two new visits of the touched kind, an update and an insert on day 2, an update of item 5, a note in the first prefix's partition. */
function secondInput(): string {
  return (
    [
      schemaLine('visits', [], { id: { type: 'integer' }, kind: { type: 'string' } }),
      schemaLine('orders', ['id'], { id: { type: 'integer' }, created_at: { type: 'string', format: 'date-time' }, amount: { type: 'integer' } }),
      schemaLine('items', ['id'], { id: { type: 'integer' }, v: { type: 'string' } }),
      schemaLine('notes', [], { id: { type: 'integer' }, label: { type: 'string' } }),
      record('visits', { id: 100, kind: TOUCHED_KIND }),
      record('visits', { id: 101, kind: TOUCHED_KIND }),
      record('orders', { id: 2, created_at: DAY(2, 10), amount: -1 }),
      record('orders', { id: 100, created_at: DAY(2, 23), amount: 1000 }),
      record('items', { id: 5, v: 'updated' }),
      record('notes', { id: 100, label: `${PREFIXES[0]}9` }),
      JSON.stringify({ type: 'STATE', value: { run: 2 } }),
    ].join('\n') + '\n'
  );
}

interface FileRow {
  path: string;
  content: number;
  partition: string;
}

describe('compaction restricted to the partitions a run wrote', () => {
  let schema: string;
  const table = (name: string) => `spark_catalog.\`${schema}\`.${name}`;
  const files = async (name: string): Promise<FileRow[]> =>
    (await query(`SELECT file_path, content, to_json(partition) AS p FROM ${table(name)}.files`)).map((r) => ({ path: String(r.file_path), content: Number(r.content), partition: String(r.p) }));
  const earlier: Record<string, FileRow[]> = {};
  const afterRun: Record<string, FileRow[]> = {};
  let second: RunResult;
  /** The data file holding item 5 before the second run. */
  let item5File: string;

  before(async () => {
    schema = await freshSchema('pcmp');
    const settings = {
      default_target_schema: schema,
      primary_key_required: false,
      batch_size_rows: 2,
      partition_by: { visits: ['kind'], orders: [{ column: 'created_at', transform: 'day' }], items: [{ column: 'id', transform: 'bucket[2]' }], notes: [{ column: 'label', transform: 'truncate[2]' }] },
    };
    const first = await runTarget(['--config', await configFile(settings)], firstInput());
    assert.equal(first.code, 0, first.stderr);
    for (const name of ['visits', 'orders', 'items', 'notes']) earlier[name] = await files(name);
    item5File = String((await query(`SELECT _file AS f FROM ${table('items')} WHERE id = 5`))[0]!.f);
    const maintained = { ...settings, maintenance: true, maintenance_compact_min_input_files: 2, maintenance_expire_snapshots: false, maintenance_rewrite_manifests_min: 0 };
    second = await runTarget(['--config', await configFile(maintained)], secondInput(), undefined, { ...process.env, TARGET_IOMETE_LOGLEVEL: 'debug' });
    assert.equal(second.code, 0, second.stderr);
    for (const name of ['visits', 'orders', 'items', 'notes']) afterRun[name] = await files(name);
  });
  after(async () => {
    if (schema) await dropSchema(schema);
  });

  /** The partition of the rows `where` selects, as `<t>.files` spells it. */
  const partitionOf = async (name: string, where: string) => {
    const found = await query(`SELECT DISTINCT to_json(_partition) AS p FROM ${table(name)} WHERE ${where}`);
    assert.equal(found.length, 1);
    return String(found[0]!.p);
  };

  /**
   * Untouched partitions keep every file path; in the touched one the earlier data files
   * `rewritten` names (all by default) are rewritten, with the run's own, into one, and the others kept.
   */
  function assertOnlyCompacted(name: string, touched: string, rewritten?: string[]): void {
    const partitions = new Set(earlier[name]!.map((f) => f.partition));
    assert.ok(partitions.has(touched), `${touched} among ${[...partitions].join(' ')}`);
    for (const partition of partitions) {
      const was = earlier[name]!.filter((f) => f.partition === partition).map((f) => f.path).sort();
      const now = afterRun[name]!.filter((f) => f.partition === partition);
      if (partition !== touched) {
        assert.ok(was.length >= 2, `${name} ${partition}: ${was.length} files before`);
        assert.deepEqual(now.map((f) => f.path).sort(), was, `${name} ${partition} untouched`);
        continue;
      }
      const data = now.filter((f) => f.content === 0).map((f) => f.path);
      const kept = was.filter((path) => rewritten !== undefined && !rewritten.includes(path));
      assert.equal(data.length, 1 + kept.length, `${name} ${partition}: ${data.length} data files after compaction`);
      for (const path of was) assert.equal(data.includes(path), kept.includes(path), `${name} ${partition}: ${path}`);
    }
  }

  it('identity on text: the partition of the new rows only, every row kept', async () => {
    assertOnlyCompacted('visits', await partitionOf('visits', 'id = 100'));
    assert.match(second.stderr, /rewrite_data_files\(table => '[^']*VISITS[^']*', where => '`KIND` = \\'it\\\\\\'s é\\''/);
    const rows = await query(`SELECT id, kind FROM ${table('visits')} ORDER BY id`);
    const expected = [...[0, 1].flatMap((round) => KINDS.flatMap((kind, k) => [0, 1].map((i) => ({ id: round * 6 + k * 2 + i, kind })))), { id: 100, kind: TOUCHED_KIND }, { id: 101, kind: TOUCHED_KIND }];
    assert.deepEqual(rows, expected);
  });

  it('day() of a timestamp: the day the merge wrote only, as a range of the whole day', async () => {
    assertOnlyCompacted('orders', await partitionOf('orders', 'id = 100'));
    const day2 = Date.parse('2024-03-02T00:00:00Z') * 1000;
    assert.ok(second.stderr.includes(`where => '\`CREATED_AT\` >= TIMESTAMP_MICROS(${day2}) AND \`CREATED_AT\` < TIMESTAMP_MICROS(${day2 + 86_400_000_000})'`), second.stderr);
    const [summary] = await query(`SELECT count(*) AS n, sum(crc32(concat_ws('|', id, unix_micros(created_at), amount))) AS checksum FROM ${table('orders')}`);
    const expected: Array<[number, number, number]> = [];
    let id = 0;
    for (const round of [0, 1]) for (const d of [1, 2, 3]) for (let i = 0; i < 2; i += 1) expected.push([id, Date.parse(DAY(d, 10 + round * 2 + i)) * 1000, (++id) * 10]);
    expected[2]![2] = -1;
    expected.push([100, Date.parse(DAY(2, 23)) * 1000, 1000]);
    const [check] = await query(`SELECT sum(crc32(concat_ws('|', id, ts, amount))) AS checksum FROM VALUES ${expected.map((r) => `(${r.join(', ')})`).join(', ')} AS v(id, ts, amount)`);
    assert.deepEqual(summary, { n: 13, checksum: check!.checksum });
  });

  it('bucket[2] of the key: the bucket of the updated key only (its files whose statistics may hold the key)', async () => {
    // Iceberg plans the rewrite with `ID = 5` also against each file's column bounds: in the
    // bucket, files of other keys' ranges are not selected.
    assertOnlyCompacted('items', await partitionOf('items', 'id = 5'), [item5File]);
    assert.match(second.stderr, /rewrite_data_files\(table => '[^']*ITEMS[^']*', where => '`ID` = 5'/);
    const rows = await query(`SELECT id, v FROM ${table('items')} ORDER BY id`);
    assert.deepEqual(rows, Array.from({ length: 12 }, (_, i) => ({ id: i, v: i === 5 ? 'updated' : `v${i}` })));
  });

  it('truncate[2] of text: the whole partition of the new label, its files of other labels too', async () => {
    // A list of the labels written (`LABEL` = 'éa9') would select no earlier file of the partition: their bounds exclude it.
    assertOnlyCompacted('notes', await partitionOf('notes', 'id = 100'));
    assert.ok(second.stderr.includes("where => 'startswith(`LABEL`, \\'éa\\')'"), second.stderr);
    const rows = await query(`SELECT id, label FROM ${table('notes')} ORDER BY id`);
    const expected = [0, 1].flatMap((round) => PREFIXES.flatMap((prefix, p) => [0, 1].map((i) => ({ id: round * 6 + p * 2 + i, label: `${prefix}${round * 2 + i}` }))));
    assert.deepEqual(rows, [...expected, { id: 100, label: 'éa9' }]);
  });
});
