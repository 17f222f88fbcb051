// Whether the lakehouse's metastore takes table creations side by side: N tables created by
// CREATE TABLE ... AS SELECT of 50 staged rows (as a keyed first load creates its table),
// C at a time, each in a session of its own (as the target's loads are), then every table's
// row count read back. Prints wall time, per-statement times and every failure's first line.
// With `empty` as third argument, plain CREATE TABLEs (no rows): metastore calls only, densest overlap.
// Usage: tsx bench/concurrent-creates.ts [N=32] [C=4] [empty] (local lakehouse, LAKEHOUSE_* as for npm run lakehouse).
import { randomBytes } from 'node:crypto';
import { runSql } from '../lakehouse/index.js';

const n = Number(process.argv[2] ?? 32);
const concurrency = Number(process.argv[3] ?? 4);
const empty = process.argv[4] === 'empty';
const schema = `spark_catalog.creates_${randomBytes(4).toString('hex')}`;

await runSql(`CREATE SCHEMA ${schema}`);
try {
  await runSql(`CREATE TABLE ${schema}.staged USING parquet AS SELECT id AS c0, CONCAT('name ', id) AS c1 FROM range(1, 51)`);
  const described = await runSql(`DESCRIBE TABLE EXTENDED ${schema}.staged`);
  const location = String(described.find((r) => r.col_name === 'Location')?.data_type);
  const ctas = (i: number) =>
    empty ? `CREATE TABLE ${schema}.t_${i} (ID bigint, NAME string) USING iceberg TBLPROPERTIES ('format-version'='2', 'write.merge.mode'='merge-on-read')` :
    `CREATE TABLE ${schema}.t_${i} USING iceberg TBLPROPERTIES ('format-version'='2', 'write.merge.mode'='merge-on-read') AS ` +
    `SELECT c0 AS ID, c1 AS NAME FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY c0 ORDER BY _metadata.row_index DESC) AS __rank ` +
    `FROM parquet.\`${location}\`) WHERE __rank = 1`;
  const times: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const t0 = Date.now();
        try {
          await runSql(ctas(i));
          times.push(Date.now() - t0);
        } catch (e) {
          failures.push(`t_${i}: ${String((e as Error).message).split('\n')[0]!.slice(0, 300)}`);
        }
      }
    }),
  );
  const wall = Date.now() - started;
  let wrong = 0;
  for (let i = 0; i < n; i += 1) {
    const rows = await runSql(`SELECT COUNT(*) AS n FROM ${schema}.t_${i}`).catch(() => [{ n: -1 }]);
    if (Number(rows[0]?.n) !== (empty ? 0 : 50)) wrong += 1;
  }
  const sorted = [...times].sort((a, b) => a - b);
  process.stdout.write(
    `${n} ${empty ? 'CREATE TABLE' : 'CTAS'}, ${concurrency} at a time: wall ${wall} ms (${(wall / n).toFixed(0)} ms per table), statement median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms; ` +
      `${failures.length} failed, ${wrong} table(s) without their ${empty ? 0 : 50} rows\n`,
  );
  for (const f of failures) process.stdout.write(`  ${f}\n`);
} finally {
  await runSql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}
