// What a new table costs the lakehouse at the least, for the many-streams case: N empty tables
// created one after the other (metadata only), then their 50 rows each written two ways in one
// open session: one multi-table insert (`FROM <file> INSERT INTO t0 SELECT ... INSERT INTO t1
// SELECT ...`, a single statement) and N single INSERTs. Then R rounds, interleaved, of a first
// load's CTAS with the per-key ROW_NUMBER() window the target writes and without it.
// Usage: tsx bench/table-floor.ts [N=40] [R=10] (local lakehouse, LAKEHOUSE_* as for npm run lakehouse).
import { randomBytes } from 'node:crypto';
import { runSql } from '../lakehouse/index.js';
import { targetSessions } from './target-session.js';

const n = Number(process.argv[2] ?? 40);
const rounds = Number(process.argv[3] ?? 10);
const session = await targetSessions();
const sql = session();
const schema = `spark_catalog.floor_${randomBytes(4).toString('hex')}`;

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(statement: string): Promise<number> {
  const started = Date.now();
  await sql.query(statement);
  return Date.now() - started;
}

await runSql(`CREATE SCHEMA ${schema}`);
try {
  await runSql(`CREATE TABLE ${schema}.staged USING parquet AS SELECT id AS c0, CONCAT('name ', id) AS c1 FROM range(1, 51)`);
  const described = await runSql(`DESCRIBE TABLE EXTENDED ${schema}.staged`);
  const file = `parquet.\`${String(described.find((r) => r.col_name === 'Location')?.data_type)}\``;
  const props = "USING iceberg TBLPROPERTIES ('format-version'='2', 'write.merge.mode'='merge-on-read')";
  await sql.query('SELECT 1');

  const creates: number[] = [];
  for (let i = 0; i < n; i += 1) creates.push(await timed(`CREATE TABLE ${schema}.t_${i} (ID bigint, NAME string) ${props}`));
  const inserts = Array.from({ length: n }, (_, i) => `INSERT INTO ${schema}.t_${i} SELECT c0, c1`).join(' ');
  const multi = await timed(`FROM ${file} ${inserts}`);
  const singles: number[] = [];
  for (let i = 0; i < n; i += 1) singles.push(await timed(`INSERT INTO ${schema}.t_${i} SELECT c0, c1 FROM ${file}`));
  let wrong = 0;
  for (let i = 0; i < n; i += 1) {
    const [row] = await sql.query(`SELECT COUNT(*) AS n FROM ${schema}.t_${i}`);
    if (Number(row?.n) !== 100) wrong += 1;
  }
  const sum = (t: number[]) => t.reduce((a, b) => a + b, 0);
  process.stdout.write(
    `${n} empty CREATE TABLE one at a time: ${(sum(creates) / n).toFixed(0)} ms per table (median ${median(creates)})\n` +
      `one multi-table INSERT into ${n} tables: ${multi} ms (${(multi / n).toFixed(0)} ms per table)\n` +
      `${n} single INSERTs: ${(sum(singles) / n).toFixed(0)} ms per table (median ${median(singles)})\n` +
      `${wrong} table(s) without their 100 rows\n`,
  );

  const window = (t: string) =>
    `CREATE TABLE ${schema}.${t} ${props} AS SELECT c0 AS ID, c1 AS NAME FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY c0 ORDER BY _metadata.row_index DESC) AS __rank FROM ${file}) WHERE __rank = 1`;
  const plain = (t: string) => `CREATE TABLE ${schema}.${t} ${props} AS SELECT c0 AS ID, c1 AS NAME FROM ${file}`;
  const withWindow: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    withWindow.push(await timed(window(`w_${i}`)));
    without.push(await timed(plain(`p_${i}`)));
  }
  process.stdout.write(`CTAS of 50 rows with the per-key window: median ${median(withWindow)} ms; without: median ${median(without)} ms (${rounds} each)\n`);
} finally {
  await sql.close();
  await runSql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}
