// Compaction restricted to the partitions a run wrote, against the whole table: two identical
// tables partitioned by day(ts) with P days of F small files each (F inserts, one file per day
// each); `rewrite_data_files` with the where the target builds for one day (sql/compaction-filter.ts)
// on one, without a where on the other, timed, interleaved R rounds (fresh tables each round).
// Also timed: the query reading the partitions a run's snapshots wrote from Iceberg metadata
// (`<t>.entries` joined with `<t>.snapshots`), the alternative to tracking them in the target.
// Usage: tsx bench/partition-compaction.ts [P] [F] [R] (local lakehouse).
import { randomBytes } from 'node:crypto';
import { runSql } from '../lakehouse/index.js';
import { rewriteDataFiles } from '../src/sql/maintenance.js';
import { compactionWhere, partitionValue } from '../src/sql/compaction-filter.js';

const days = Number(process.argv[2] ?? 100);
const filesPerDay = Number(process.argv[3] ?? 3);
const rounds = Number(process.argv[4] ?? 2);
const schema = `partition_compaction_${randomBytes(4).toString('hex')}`;
const START = Date.parse('2024-01-01T00:00:00Z') * 1000;
const DAY = 86_400_000_000;

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await run();
  return { ms: Math.round(performance.now() - started), result };
}

async function table(name: string): Promise<void> {
  await runSql(`CREATE TABLE spark_catalog.${schema}.${name} (id BIGINT, ts TIMESTAMP, v STRING) USING iceberg PARTITIONED BY (days(ts))`);
  for (let f = 0; f < filesPerDay; f += 1) {
    await runSql(`INSERT INTO spark_catalog.${schema}.${name} SELECT id, TIMESTAMP_MICROS(${START} + (id % ${days}) * ${DAY} + id), 'v' || id FROM range(${f * days * 10}, ${(f + 1) * days * 10})`);
  }
}

await runSql(`CREATE SCHEMA spark_catalog.${schema}`);
const lines: string[] = [];
try {
  for (let round = 0; round < rounds; round += 1) {
    const [restricted, whole] = [`r${round}`, `w${round}`];
    const setup = await timed(async () => {
      await table(restricted);
      await table(whole);
    });
    const since = new Date(Date.now() - 3_600_000).toISOString();
    // The run "wrote" one day, the 50th: its touch as the target tracks it.
    const day = START + Math.min(49, days - 1) * DAY;
    const { where } = compactionWhere([{ column: 'ts', type: 'TIMESTAMP', transform: { kind: 'day' }, min: day, max: day, nulls: false, values: [partitionValue({ kind: 'day' }, 'TIMESTAMP', day)] }]);
    const ref = (t: string) => ({ catalog: 'spark_catalog', schema, table: t });
    const metadata = await timed(() =>
      runSql(
        `SELECT DISTINCT to_json(data_file.partition) AS p FROM spark_catalog.${schema}.${restricted}.entries ` +
          `WHERE status <> 2 AND snapshot_id IN (SELECT snapshot_id FROM spark_catalog.${schema}.${restricted}.snapshots WHERE committed_at >= TIMESTAMP '${since}')`,
      ),
    );
    const one = await timed(() => runSql(rewriteDataFiles(ref(restricted), { minInputFiles: 2, ...(where ? { where } : {}) })));
    const all = await timed(() => runSql(rewriteDataFiles(ref(whole), { minInputFiles: 2 })));
    lines.push(
      `round ${round + 1}: set-up ${setup.ms} ms; metadata partitions query ${metadata.ms} ms (${metadata.result.length} partitions); ` +
        `restricted rewrite ${one.ms} ms ${JSON.stringify(one.result[0])}; whole-table rewrite ${all.ms} ms ${JSON.stringify(all.result[0])}`,
    );
    console.log(lines.at(-1));
  }
} finally {
  await runSql(`DROP SCHEMA spark_catalog.${schema} CASCADE`);
}
console.log(`${days} day partitions x ${filesPerDay} files per table`);
process.exit(0);
