// Why a target's flush can take longer than the same MERGE in the benchmark's long-lived session:
// the same keyed MERGE (20,000 source rows, 2,000 of them updates of the newest keys, the batch's
// key range in the ON clause, as the target writes it) into a merge-on-read table of N rows, timed
// in a session that has run MERGEs before and in a session just opened (SET time zone and DESCRIBE
// of the table first, as the target's flush session has), alternating, each followed by a rollback
// to the seed snapshot. Usage: tsx bench/session-warmth.ts [N=1000000] [rounds=4].
import { randomBytes } from 'node:crypto';
import { targetSessions } from './target-session.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 4);
const session = await targetSessions();
const warm = session();
const name = `warmth_${randomBytes(4).toString('hex')}`;
const schema = `spark_catalog.${name}`;
const table = `${schema}.t`;
const time = async (run: () => Promise<unknown>) => {
  const started = performance.now();
  await run();
  return performance.now() - started;
};
await warm.query(`CREATE SCHEMA ${schema}`);
try {
  await warm.query(`CREATE TABLE ${table} (ID bigint, NAME string, AMOUNT double) USING iceberg TBLPROPERTIES ('format-version'='2', 'write.merge.mode'='merge-on-read', 'write.update.mode'='merge-on-read', 'write.delete.mode'='merge-on-read')`);
  await warm.query(`INSERT INTO ${table} SELECT id, CONCAT('name ', id), id * 1.5 FROM range(1, ${rows + 1})`);
  // The batch: 18,000 new keys above the table's and 2,000 updates of its newest keys.
  await warm.query(`CREATE TABLE ${schema}.staged USING parquet AS SELECT id AS c0, CONCAT('new ', id) AS c1, id * 2.5 AS c2 FROM range(${rows - 1999}, ${rows + 18_001})`);
  const described = await warm.query(`DESCRIBE TABLE EXTENDED ${schema}.staged`);
  const location = String(described.find((r) => r.col_name === 'Location')?.data_type);
  const [seed] = await warm.query(`SELECT snapshot_id FROM ${table}.snapshots ORDER BY committed_at DESC LIMIT 1`);
  const rollback = `CALL spark_catalog.system.rollback_to_snapshot('${name}.t', ${String(seed?.snapshot_id)})`;
  const merge =
    `MERGE INTO ${table} t USING (SELECT c0 AS ID, c1 AS NAME, c2 AS AMOUNT FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY c0 ORDER BY _metadata.row_index DESC) AS __rank ` +
    `FROM parquet.\`${location}\`) WHERE __rank = 1) s ON t.ID = s.ID AND t.ID BETWEEN ${rows - 1999} AND ${rows + 18_000} ` +
    'WHEN MATCHED THEN UPDATE SET t.NAME = s.NAME, t.AMOUNT = s.AMOUNT WHEN NOT MATCHED THEN INSERT (ID, NAME, AMOUNT) VALUES (s.ID, s.NAME, s.AMOUNT)';
  await warm.query(merge);
  await warm.query(rollback);
  const times: Record<string, number[]> = { 'warm session': [], 'new session (SET, DESCRIBE, then the MERGE)': [], 'opening it (SET, DESCRIBE)': [] };
  for (let i = 0; i < rounds; i += 1) {
    const sides = [
      async () => {
        times['warm session']!.push(await time(() => warm.query(merge)));
        await warm.query(rollback);
      },
      async () => {
        const fresh = session();
        try {
          times['opening it (SET, DESCRIBE)']!.push(await time(() => fresh.query(`DESCRIBE TABLE ${table}`)));
          times['new session (SET, DESCRIBE, then the MERGE)']!.push(await time(() => fresh.query(merge)));
        } finally {
          await fresh.close();
        }
        await warm.query(rollback);
      },
    ];
    if (i % 2 === 1) sides.reverse();
    for (const side of sides) await side();
  }
  const [count] = await warm.query(`SELECT COUNT(*) AS n FROM ${table}`);
  for (const [what, ms] of Object.entries(times)) {
    const sorted = [...ms].sort((a, b) => a - b);
    process.stdout.write(`${what}: ${ms.map((m) => m.toFixed(0)).join(', ')} ms (median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)})\n`);
  }
  process.stdout.write(`rows after the last rollback: ${String(count?.n)} (expected ${rows})\n`);
} finally {
  await warm.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await warm.close();
}
