// What reading the run's additions (data files, delete files) of many tables costs: one statement
// per table against one statement per chunk of tables (UNION ALL), on N small Iceberg tables of a
// few snapshots each, as a run of N streams leaves them. Prints the wall time of each way, best of
// `repeat`. Usage: tsx bench/summary-read.ts [N=200] [repeat=3] (local lakehouse, LAKEHOUSE_* as
// for npm run lakehouse; needs `npm run build`).
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SqlExecutor } from '../src/spark/executor.js';
import { targetSessions } from './target-session.js';

const n = Number(process.argv[2] ?? 200);
const repeat = Number(process.argv[3] ?? 3);
const dist = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'dist');
const { runAdditions } = (await import(pathToFileURL(join(dist, 'sql/run-additions.js')).href)) as typeof import('../src/sql/run-additions.js');

const open = await targetSessions();
const sessions: SqlExecutor[] = Array.from({ length: 4 }, () => open());
const [main] = sessions as [SqlExecutor];
const schema = `reads_${randomBytes(4).toString('hex')}`;
const tables = Array.from({ length: n }, (_, i) => ({ ref: { catalog: 'spark_catalog', schema, table: `T_${i}` }, snapshots: 2 }));

/** Runs `work` for items 0..count-1, `at` at a time, each worker on a session of its own. */
async function spread(count: number, at: number, work: (sql: SqlExecutor, i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    sessions.slice(0, at).map(async (sql) => {
      for (let i = next++; i < count; i = next++) await work(sql, i);
    }),
  );
  return performance.now() - started;
}

async function best(label: string, measure: () => Promise<number>): Promise<void> {
  const times: number[] = [];
  for (let r = 0; r < repeat; r += 1) times.push(await measure());
  process.stdout.write(`${label}: best ${Math.min(...times).toFixed(0)} ms, all ${times.map((t) => t.toFixed(0)).join(' / ')} ms\n`);
}

await main.query(`CREATE SCHEMA spark_catalog.${schema}`);
try {
  const props = "TBLPROPERTIES ('format-version'='2', 'write.merge.mode'='merge-on-read', 'write.update.mode'='merge-on-read', 'write.delete.mode'='merge-on-read')";
  // Each table: a first load (CTAS of 50 rows) and a MERGE updating 10 of them (a data and a delete file).
  const made = await spread(n, 4, async (sql, i) => {
    const name = `spark_catalog.${schema}.T_${i}`;
    await sql.query(`CREATE TABLE ${name} USING iceberg ${props} AS SELECT id AS ID, CONCAT('name ', id) AS NAME FROM range(0, 50)`);
    await sql.query(`MERGE INTO ${name} t USING (SELECT id AS ID, 'new' AS NAME FROM range(40, 60)) s ON t.ID = s.ID WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *`);
  });
  process.stdout.write(`${n} tables made in ${(made / 1000).toFixed(1)} s\n`);
  const check = await main.query(runAdditions(tables.slice(0, 1)));
  process.stdout.write(`first table's additions: ${JSON.stringify(check[0])}\n`);
  for (const at of [1, 4]) await best(`one statement per table, ${at} at a time`, () => spread(n, at, (sql, i) => sql.query(runAdditions([tables[i]!]))));
  for (const size of [25, 50, 100, 200].filter((s) => s <= n)) {
    const chunks = Math.ceil(n / size);
    for (const at of [1, 4].filter((a) => a <= chunks)) {
      await best(`${size} tables per statement (${chunks} statement(s)), ${at} at a time`, () =>
        spread(chunks, at, (sql, c) => sql.query(runAdditions(tables.slice(c * size, (c + 1) * size)))),
      );
    }
  }
} finally {
  await main.query(`DROP SCHEMA IF EXISTS spark_catalog.${schema} CASCADE`).catch(() => undefined);
  for (const sql of sessions) await sql.close();
}
