// What one new table's statements cost on the lakehouse, each kind timed in one open session
// (as the target's pooled sessions run them), interleaved over N rounds: a round trip (SELECT 1),
// a read of a 50-row staged Parquet file, CREATE TABLE of 4 columns (metadata only), the same
// table created with its 50 rows (CREATE TABLE ... AS SELECT, as a first load), INSERT of 50 rows
// into an existing table, the CTAS of the same rows written as literals (VALUES), and opening a session. Usage: tsx bench/statement-costs.ts [N=5].
import { randomBytes } from 'node:crypto';
import { runSql } from '../lakehouse/index.js';
import { targetSessions } from './target-session.js';

const n = Number(process.argv[2] ?? 5);
const session = await targetSessions();
const sql = session();
const schema = `spark_catalog.costs_${randomBytes(4).toString('hex')}`;
await runSql(`CREATE SCHEMA ${schema}`);
try {
  await runSql(`CREATE TABLE ${schema}.staged USING parquet AS SELECT id AS c0, CONCAT('name ', id) AS c1, id * 1.5 AS c2, current_timestamp() AS c3 FROM range(1, 51)`);
  const described = await runSql(`DESCRIBE TABLE EXTENDED ${schema}.staged`);
  const location = String(described.find((r) => r.col_name === 'Location')?.data_type);
  const values = Array.from({ length: 50 }, (_, i) => `(${i + 1}L, 'name ${i + 1}', ${(i + 1) * 1.5}D, TIMESTAMP_MICROS(${1_700_000_000_000_000 + i}))`).join(', ');
  const literal = `SELECT * FROM VALUES ${values} AS v(ID, NAME, AMOUNT, T)`;
  const select = `SELECT c0 AS ID, c1 AS NAME, c2 AS AMOUNT, c3 AS T FROM parquet.\`${location}\``;
  await sql.query('SELECT 1');
  const kinds: Record<string, (i: number) => Promise<unknown>> = {
    'SELECT 1': () => sql.query('SELECT 1'),
    'SELECT COUNT(*) of the staged file': () => sql.query(`SELECT COUNT(*) FROM parquet.\`${location}\``),
    'CREATE TABLE (no rows)': (i) => sql.query(`CREATE TABLE ${schema}.e_${i} (ID bigint, NAME string, AMOUNT double, T timestamp) USING iceberg`),
    'INSERT of 50 rows into it': (i) => sql.query(`INSERT INTO ${schema}.e_${i} ${select}`),
    'CREATE TABLE ... AS SELECT of 50 rows': (i) => sql.query(`CREATE TABLE ${schema}.c_${i} USING iceberg AS ${select}`),
    'CREATE TABLE ... AS SELECT of 50 literal rows (VALUES)': (i) => sql.query(`CREATE TABLE ${schema}.v_${i} USING iceberg AS ${literal}`),
    'DESCRIBE TABLE of it': (i) => sql.query(`DESCRIBE TABLE ${schema}.c_${i}`),
    'open a session (+ SET time zone) and SELECT 1': async () => {
      const other = session();
      try {
        await other.query('SELECT 1');
      } finally {
        await other.close();
      }
    },
  };
  const times = new Map<string, number[]>(Object.keys(kinds).map((k) => [k, []]));
  for (let i = 0; i < n; i += 1) {
    for (const [kind, run] of Object.entries(kinds)) {
      const started = performance.now();
      await run(i);
      times.get(kind)!.push(performance.now() - started);
    }
  }
  for (const [kind, ms] of times) {
    const sorted = [...ms].sort((a, b) => a - b);
    process.stdout.write(`${kind}: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)} (${n} runs)\n`);
  }
} finally {
  await sql.close();
  await runSql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}
