import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { configFile, dropSchema, freshSchema, query, runTarget, type RunResult } from './harness.js';

/**
 * Many small keyed streams in one run: every table is created, some change shape half-way (a
 * second SCHEMA adds a column), while records keep being read (table set-up runs as jobs in each
 * table's lane). Every row and the final state are read back.
 */
const STREAMS = 40;
const ROUNDS = 5;
/** Streams whose SCHEMA gains a column after round 2. */
const widened = (s: number) => s % 10 === 0;
/** Round r writes key (r % 4) + 1: round 4 updates key 1. */
const keyOf = (r: number) => (r % 4) + 1;

function input(): string {
  const lines: unknown[] = [];
  const schema = (s: number, extra: boolean) => ({
    type: 'SCHEMA',
    stream: `many_${s}`,
    schema: { type: 'object', properties: { id: { type: 'integer' }, name: { type: ['null', 'string'] }, ...(extra ? { extra: { type: ['null', 'string'] } } : {}) } },
    key_properties: ['id'],
  });
  for (let s = 0; s < STREAMS; s += 1) lines.push(schema(s, false));
  for (let r = 0; r < ROUNDS; r += 1) {
    if (r === 3) for (let s = 0; s < STREAMS; s += 1) if (widened(s)) lines.push(schema(s, true));
    for (let s = 0; s < STREAMS; s += 1) {
      const record: Record<string, unknown> = { id: keyOf(r), name: `s${s} r${r}` };
      if (widened(s) && r >= 3) record.extra = `x${s} r${r}`;
      lines.push({ type: 'RECORD', stream: `many_${s}`, record });
    }
    lines.push({ type: 'STATE', value: { round: r } });
  }
  return lines.map((l) => `${JSON.stringify(l)}\n`).join('');
}

/** The rows each table must hold: the last record of each key. */
function expectedRows(): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  for (let s = 0; s < STREAMS; s += 1) {
    const last = new Map<number, number>();
    for (let r = 0; r < ROUNDS; r += 1) last.set(keyOf(r), r);
    for (const [id, r] of [...last].sort((a, b) => a[0] - b[0])) {
      rows.push({ s, ID: id, NAME: `s${s} r${r}`, EXTRA: widened(s) ? (r >= 3 ? `x${s} r${r}` : null) : 'no column' });
    }
  }
  return rows;
}

describe(`${STREAMS} keyed streams of ${ROUNDS} records in one run`, () => {
  let schema: string;
  let result: RunResult;

  before(async () => {
    schema = await freshSchema();
    const config = await configFile({ default_target_schema: schema });
    result = await runTarget(['--config', config], input());
  });
  after(async () => {
    if (schema) await dropSchema(schema);
  });

  it('exits 0 and emits the last state last', () => {
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.states.at(-1), { round: ROUNDS - 1 });
  });

  it('loads every row of every stream, with the column added half-way', async () => {
    const selects = Array.from({ length: STREAMS }, (_, s) => {
      const extra = widened(s) ? 'EXTRA' : `'no column'`;
      return `SELECT ${s} AS s, ID, NAME, ${extra} AS EXTRA FROM spark_catalog.${schema}.many_${s}`;
    });
    const rows = await query(`SELECT * FROM (${selects.join(' UNION ALL ')}) ORDER BY s, ID`);
    assert.deepEqual(rows, expectedRows());
  });
});
