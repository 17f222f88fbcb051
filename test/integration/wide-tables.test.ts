import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { WIDE_MERGE_COLUMNS } from '../../src/sql/statements.js';
import { configFile, dropSchema, freshSchema, query, runTarget, type RunResult } from './harness.js';

/**
 * A stream wide enough for the wide-MERGE plan (no ColumnPruning; `UPDATE SET *` / `INSERT *` when
 * the batch has exactly the table's columns), merged three times into the real lakehouse. The rows
 * read back must be those of the explicit plan: last record per key wins, untouched keys stay, and
 * a column the batch lacks keeps its value.
 */
const WIDTH = WIDE_MERGE_COLUMNS + 10;
const kinds = ['string', 'number', 'integer', 'boolean'] as const;
const property = (i: number) => (i === 0 ? 'id' : `p_${i}`);

function schemaLine(width: number): string {
  const properties = Object.fromEntries(
    Array.from({ length: width }, (_, i) => [property(i), i === 0 ? { type: 'integer' } : { type: ['null', kinds[i % 4]!] }]),
  );
  return JSON.stringify({ type: 'SCHEMA', stream: 'wide', schema: { type: 'object', properties }, key_properties: ['id'] });
}

function value(i: number, key: number, round: number): unknown {
  if (i === 0) return key;
  switch (kinds[i % 4]) {
    case 'string':
      return `r${round}-k${key}-c${i}`;
    case 'number':
      return round * 1000 + key + i / 100;
    case 'integer':
      return round * 1_000_000 + key * 1000 + i;
    default:
      return (key + i + round) % 2 === 0;
  }
}

/** Records of `keys` in order; `change` may alter the record at a position (a repeated key). */
function input(width: number, keys: readonly number[], round: number, change: (record: Record<string, unknown>, at: number) => void = () => undefined): string {
  const records = keys.map((key, at) => {
    const record = Object.fromEntries(Array.from({ length: width }, (_, i) => [property(i), value(i, key, round)]));
    change(record, at);
    return JSON.stringify({ type: 'RECORD', stream: 'wide', record });
  });
  return [schemaLine(width), ...records, JSON.stringify({ type: 'STATE', value: { round } })].join('\n') + '\n';
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe(`a stream of ${WIDTH} columns merged into the local lakehouse`, () => {
  let schema: string;
  const runs: RunResult[] = [];
  const last = WIDTH - 1;

  before(async () => {
    schema = await freshSchema('wide');
    const config = await configFile({ default_target_schema: schema });
    const debug = { ...process.env, TARGET_IOMETE_LOGLEVEL: 'debug' };
    // 1: keys 1-30 into a new table. 2: keys 21-50, key 25 twice (the second wins). 3: keys 41-45
    // from a schema without the last column: the table now has a column the batch lacks.
    runs.push(await runTarget(['--config', config], input(WIDTH, range(1, 30), 1), undefined, debug));
    const second = [...range(21, 50), 25];
    runs.push(await runTarget(['--config', config], input(WIDTH, second, 2, (record, at) => at === second.length - 1 && (record.p_4 = 'r2-k25-c4-again')), undefined, debug));
    runs.push(await runTarget(['--config', config], input(WIDTH - 1, range(41, 45), 3), undefined, debug));
  });
  after(async () => {
    if (schema) await dropSchema(schema);
  });

  it('exits 0 each time and writes the state of each run', () => {
    runs.forEach((run, i) => {
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(run.states.at(-1), { round: i + 1 });
    });
  });

  it('creates the table with its first batch, then names no column while the batch has exactly the table\'s columns, and every one after', () => {
    assert.match(runs[0]!.stderr, /Creating `spark_catalog`\.`[^`]+`\.`WIDE` with 30 row\(s\) of stream 'wide' \(CREATE TABLE \.\.\. AS SELECT\)/);
    const shapes = runs.map((run) => /Running the merge of \d+ row\(s\) of stream 'wide' into [^\n]*?(, naming no column)?\n/.exec(run.stderr));
    assert.deepEqual(
      shapes.map((m) => (m ? Boolean(m[1]) : 'no merge logged')),
      ['no merge logged', true, false],
    );
  });

  it('keeps one row per key, with the last record of each key', async () => {
    const rows = await query(
      `SELECT ID, P_1, P_2, P_3, P_4, P_${last} AS LAST FROM spark_catalog.${schema}.wide WHERE ID IN (1, 21, 25, 30, 41, 50) ORDER BY ID`,
    );
    const at = (i: number, key: number, round: number) => value(i, key, round);
    assert.deepEqual(rows, [
      { ID: 1, P_1: at(1, 1, 1), P_2: at(2, 1, 1), P_3: at(3, 1, 1), P_4: at(4, 1, 1), LAST: at(last, 1, 1) },
      { ID: 21, P_1: at(1, 21, 2), P_2: at(2, 21, 2), P_3: at(3, 21, 2), P_4: at(4, 21, 2), LAST: at(last, 21, 2) },
      { ID: 25, P_1: at(1, 25, 2), P_2: at(2, 25, 2), P_3: at(3, 25, 2), P_4: 'r2-k25-c4-again', LAST: at(last, 25, 2) },
      { ID: 30, P_1: at(1, 30, 2), P_2: at(2, 30, 2), P_3: at(3, 30, 2), P_4: at(4, 30, 2), LAST: at(last, 30, 2) },
      // Run 3 updated key 41 without the last column, which keeps run 2's value.
      { ID: 41, P_1: at(1, 41, 3), P_2: at(2, 41, 3), P_3: at(3, 41, 3), P_4: at(4, 41, 3), LAST: at(last, 41, 2) },
      { ID: 50, P_1: at(1, 50, 2), P_2: at(2, 50, 2), P_3: at(3, 50, 2), P_4: at(4, 50, 2), LAST: at(last, 50, 2) },
    ]);
  });

  it('holds every key once and every column', async () => {
    const [count] = await query(`SELECT count(*) AS n, count(DISTINCT ID) AS k FROM spark_catalog.${schema}.wide`);
    assert.deepEqual(count, { n: 50, k: 50 });
    const described = await query(`DESCRIBE TABLE spark_catalog.${schema}.wide`);
    assert.equal(described.filter((r) => r.col_name && !String(r.col_name).startsWith('#')).length, WIDTH);
  });
});
