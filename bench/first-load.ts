// A new table's first keyed load, measured six ways over N fresh tables each (interleaved, so
// load on the machine hits every way alike): the target's sequence (SHOW TABLES, CREATE TABLE,
// MERGE), one CREATE TABLE ... AS SELECT, the same reading the file without the window that keeps
// the last row per key (what a batch whose keys are all distinct needs), CREATE TABLE + INSERT (not safe for a keyed first
// load, see docs/ARCHITECTURE.md; the floor), and for a table with a sort order CTAS then
// WRITE ORDERED BY against CREATE, WRITE ORDERED BY and MERGE. Usage: tsx bench/first-load.ts [N] (local lakehouse).
import { randomBytes } from 'node:crypto';
import { runSql } from '../lakehouse/index.js';

const n = Number(process.argv[2] ?? 10);
const schema = `spark_catalog.first_load_${randomBytes(4).toString('hex')}`;
// The staged batch: a Parquet table of the session catalog, read by its location as the target reads a staged file.
let location = '';
const columns = 'ID bigint, NAME string, AMOUNT double, T timestamp';
const names = ['ID', 'NAME', 'AMOUNT', 'T'];
// As the target reads a staged batch: fields c0..c3, the last row of each key by the file's row order.
const source = () =>
  `SELECT c0 AS ID, c1 AS NAME, c2 AS AMOUNT, c3 AS T FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY c0 ORDER BY _metadata.row_index DESC) AS __rank ` +
  `FROM parquet.\`${location}\`) WHERE __rank = 1`;
const merge = (t: string) =>
  `MERGE INTO ${t} t USING (${source()}) s ON t.ID <=> s.ID WHEN MATCHED THEN UPDATE SET ${names.map((c) => `t.${c} = s.${c}`).join(', ')} ` +
  `WHEN NOT MATCHED THEN INSERT (${names.join(', ')}) VALUES (${names.map((c) => `s.${c}`).join(', ')})`;

const ways: Record<string, (i: number) => string[]> = {
  'SHOW TABLES + CREATE + MERGE': (i) => [`SHOW TABLES IN ${schema}`, `CREATE TABLE IF NOT EXISTS ${schema}.a_${i} (${columns}) USING iceberg`, merge(`${schema}.a_${i}`)],
  'CREATE TABLE AS SELECT': (i) => [`CREATE TABLE ${schema}.b_${i} USING iceberg AS ${source()}`],
  'CREATE TABLE AS SELECT, no window': (i) => [`CREATE TABLE ${schema}.d_${i} USING iceberg AS SELECT c0 AS ID, c1 AS NAME, c2 AS AMOUNT, c3 AS T FROM parquet.\`${location}\``],
  'CREATE + INSERT': (i) => [`CREATE TABLE ${schema}.c_${i} (${columns}) USING iceberg`, `INSERT INTO ${schema}.c_${i} ${source()}`],
  // A table with a sort order (sort_by): Spark's CREATE cannot hold one, so WRITE ORDERED BY follows.
  'sorted: CTAS + WRITE ORDERED BY': (i) => [`CREATE TABLE ${schema}.f_${i} USING iceberg AS ${source()}`, `ALTER TABLE ${schema}.f_${i} WRITE ORDERED BY ID`],
  'sorted: SHOW TABLES + CREATE + WRITE ORDERED BY + MERGE': (i) => [
    `SHOW TABLES IN ${schema}`,
    `CREATE TABLE IF NOT EXISTS ${schema}.e_${i} (${columns}) USING iceberg`,
    `ALTER TABLE ${schema}.e_${i} WRITE ORDERED BY ID`,
    merge(`${schema}.e_${i}`),
  ],
};

await runSql(`CREATE SCHEMA ${schema}`);
try {
  await runSql(`CREATE TABLE ${schema}.staged USING parquet AS SELECT id AS c0, CONCAT('name ', id) AS c1, id * 1.5 AS c2, current_timestamp() AS c3 FROM range(1, 51)`);
  const described = await runSql(`DESCRIBE TABLE EXTENDED ${schema}.staged`);
  location = String(described.find((r) => r.col_name === 'Location')?.data_type);
  const times = new Map<string, number[]>(Object.keys(ways).map((k) => [k, []]));
  for (let i = 0; i < n; i += 1) {
    for (const [way, statements] of Object.entries(ways)) {
      const started = Date.now();
      for (const sql of statements(i)) await runSql(sql);
      times.get(way)!.push(Date.now() - started);
    }
  }
  for (const [way, ms] of times) {
    const sorted = [...ms].sort((a, b) => a - b);
    process.stdout.write(`${way}: ${ways[way]!(0).length} statement(s), median ${sorted[Math.floor(sorted.length / 2)]} ms, min ${sorted[0]} ms, max ${sorted.at(-1)} ms over ${n} tables\n`);
  }
  const [row] = await runSql(`SELECT COUNT(*) AS n FROM ${schema}.b_0`);
  process.stdout.write(`rows in a CTAS table: ${String(row?.n)}\n`);
} finally {
  await runSql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}
