/**
 * Times the statements of a load into a wide table on the local lakehouse, one statement shape
 * against another, so the cost of width can be seen per statement (the Spark UI is off there).
 *
 *   LAKEHOUSE_THRIFT_PORT=… LAKEHOUSE_S3_PORT=… npx tsx bench/wide-merge.ts --columns 1000 --rows 20 [--variants a,b] [--jstack]
 *
 * Each variant merges the same staged batch into a fresh copy of a table that already holds half
 * of the batch's keys, so every run updates and inserts. Statement wall times are printed with the
 * number of thrift calls each made (counted by the bench proxy); `--jstack` samples the server's
 * statement thread once a second and prints where it spent the time.
 */
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readLakehouseConfig } from '../lakehouse/index.js';
import { HiveServer2Executor } from '../src/spark/hiveserver2-executor.js';
import { startThriftProxy, type ThriftTraffic } from './thrift-proxy.js';

type Kind = 'BIGINT' | 'STRING' | 'DOUBLE' | 'BOOLEAN' | 'TIMESTAMP';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const width = Number(arg('columns', '1000'));
const rows = Number(arg('rows', '20'));
const only = arg('variants', '').split(',').filter(Boolean);
const sample = process.argv.includes('--jstack');
const sessionStatements = arg('session', '').split(';').map((s) => s.trim()).filter(Boolean);
const timeoutSeconds = Number(arg('timeout', '900'));

// Column 0 is the key; the last one is _SDC_DELETED_AT (null: nothing is deleted).
const kinds: Kind[] = Array.from({ length: width }, (_, i): Kind => {
  if (i === 0) return 'BIGINT';
  if (i === width - 1) return 'TIMESTAMP';
  return (['STRING', 'DOUBLE', 'BIGINT', 'BOOLEAN'] as const)[i % 4]!;
});
const names = kinds.map((_, i) => (i === 0 ? 'ID' : i === width - 1 ? '_SDC_DELETED_AT' : `COL_${i}`));
const q = (n: string) => `\`${n}\``;

// Keys repeat (the last occurrence wins), half of them are already in the table.
const keyOf = (r: number) => r % Math.max(1, Math.ceil(rows * 0.9));
function value(kind: Kind, r: number, i: number): unknown {
  switch (kind) {
    case 'BIGINT':
      return i === 0 ? BigInt(keyOf(r)) : BigInt(r * 1000 + i);
    case 'STRING':
      return `v${r}-${i}`;
    case 'DOUBLE':
      return r + i / 1000;
    case 'BOOLEAN':
      return (r + i) % 2 === 0;
    case 'TIMESTAMP':
      return null;
  }
}

function parquetFile(): Uint8Array {
  const schema = [
    { name: 'root', num_children: width },
    ...kinds.map((kind, i) => {
      const name = `c${i}`;
      switch (kind) {
        case 'BIGINT':
          return { name, type: 'INT64' as const, repetition_type: 'OPTIONAL' as const };
        case 'STRING':
          return { name, type: 'BYTE_ARRAY' as const, converted_type: 'UTF8' as const, repetition_type: 'OPTIONAL' as const };
        case 'DOUBLE':
          return { name, type: 'DOUBLE' as const, repetition_type: 'OPTIONAL' as const };
        case 'BOOLEAN':
          return { name, type: 'BOOLEAN' as const, repetition_type: 'OPTIONAL' as const };
        case 'TIMESTAMP':
          return {
            name,
            type: 'INT64' as const,
            repetition_type: 'OPTIONAL' as const,
            logical_type: { type: 'TIMESTAMP' as const, isAdjustedToUTC: true, unit: 'MICROS' as const },
          };
      }
    }),
  ];
  const columnData = kinds.map((kind, i) => ({ name: `c${i}`, data: Array.from({ length: rows }, (_, r) => value(kind, r, i)) }));
  return new Uint8Array(parquetWriteBuffer({ columnData: columnData as never, schema: schema as never }));
}

function jsonFile(): Uint8Array {
  const lines = Array.from({ length: rows }, (_, r) => {
    const record: Record<string, unknown> = {};
    kinds.forEach((kind, i) => {
      const v = value(kind, r, i);
      record[`c${i}`] = typeof v === 'bigint' ? String(v) : v;
    });
    record.seq = r;
    return JSON.stringify(record);
  });
  return gzipSync(`${lines.join('\n')}\n`);
}

const jsonType = (k: Kind) => (k === 'DOUBLE' || k === 'BOOLEAN' ? k : 'STRING');
const tableColumns = names.map((n, i) => `${q(n)} ${kinds[i]}`).join(', ');
const fileProjection = names.map((n, i) => `c${i} AS ${q(n)}`).join(', ');
const jsonProjection = names.map((n, i) => (jsonType(kinds[i]!) === kinds[i] ? `c${i} AS ${q(n)}` : `CAST(c${i} AS ${kinds[i]}) AS ${q(n)}`)).join(', ');
const setList = names.map((n) => `t.${q(n)} = s.${q(n)}`).join(', ');
const insertList = `(${names.map(q).join(', ')}) VALUES (${names.map((n) => `s.${q(n)}`).join(', ')})`;

interface Variant {
  name: string;
  what: string;
  /** Statements of the load; the last is the one the variant is about. */
  statements(table: string, parquet: string, json: string): string[];
  tableProperties?: string;
}

// Source shapes: the batch, one row per key (the last one), columns named like the table's.
const windowed = (from: string, projection: string, order: string) =>
  `SELECT ${projection} FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY c0 ORDER BY ${order} DESC) AS __rank FROM ${from}) WHERE __rank = 1`;
// The window runs over the key and the row index only; the wide rows pass one semi join.
const keysFirst = (path: string, projection: string) =>
  `SELECT ${projection} FROM parquet.\`${path}\` f LEFT SEMI JOIN ` +
  `(SELECT c0 AS k0, max(_metadata.row_index) AS last FROM parquet.\`${path}\` GROUP BY c0) d ` +
  `ON f.c0 <=> d.k0 AND f._metadata.row_index = d.last`;
const explicitMerge = (table: string, source: string) =>
  `MERGE INTO ${table} t USING (${source}) s ON t.${q('ID')} <=> s.${q('ID')} ` +
  `WHEN MATCHED AND s.${q('_SDC_DELETED_AT')} IS NOT NULL THEN DELETE ` +
  `WHEN MATCHED THEN UPDATE SET ${setList} ` +
  `WHEN NOT MATCHED AND s.${q('_SDC_DELETED_AT')} IS NULL THEN INSERT ${insertList}`;
const starMerge = (table: string, source: string) =>
  `MERGE INTO ${table} t USING (${source}) s ON t.${q('ID')} <=> s.${q('ID')} ` +
  `WHEN MATCHED AND s.${q('_SDC_DELETED_AT')} IS NOT NULL THEN DELETE ` +
  `WHEN MATCHED THEN UPDATE SET * ` +
  `WHEN NOT MATCHED AND s.${q('_SDC_DELETED_AT')} IS NULL THEN INSERT *`;

const jsonView = (json: string) =>
  `CREATE OR REPLACE TEMPORARY VIEW stage_w (${kinds.map((k, i) => `c${i} ${jsonType(k)}`).join(', ')}, seq BIGINT) ` +
  `USING json OPTIONS (path '${json}', mode 'FAILFAST')`;

const variants: Variant[] = [
  {
    name: 'json-explicit',
    what: 'today: JSON view, window over SELECT *, explicit SET/INSERT lists',
    statements: (t, _p, j) => [jsonView(j), explicitMerge(t, windowed('stage_w', jsonProjection, 'seq')), 'DROP VIEW IF EXISTS stage_w'],
  },
  {
    name: 'parquet-explicit',
    what: 'Parquet by path, window over SELECT *, explicit SET/INSERT lists',
    statements: (t, p) => [explicitMerge(t, windowed(`parquet.\`${p}\``, fileProjection, '_metadata.row_index'))],
  },
  {
    name: 'parquet-star',
    what: 'Parquet by path, window over SELECT *, UPDATE SET * / INSERT *',
    statements: (t, p) => [starMerge(t, windowed(`parquet.\`${p}\``, fileProjection, '_metadata.row_index'))],
  },
  {
    name: 'keys-explicit',
    what: 'Parquet by path, dedup on key+row_index then semi join, explicit lists',
    statements: (t, p) => [explicitMerge(t, keysFirst(p, fileProjection))],
  },
  {
    name: 'keys-star',
    what: 'Parquet by path, dedup on key+row_index then semi join, SET * / INSERT *',
    statements: (t, p) => [starMerge(t, keysFirst(p, fileProjection))],
  },
  {
    name: 'keys-star-mor',
    what: 'as keys-star, table in merge-on-read',
    statements: (t, p) => [starMerge(t, keysFirst(p, fileProjection))],
    tableProperties: `'format-version'='2', 'write.merge.mode'='merge-on-read', 'write.update.mode'='merge-on-read', 'write.delete.mode'='merge-on-read'`,
  },
  {
    name: 'keys-explicit-mor',
    what: 'as keys-explicit, table in merge-on-read',
    statements: (t, p) => [explicitMerge(t, keysFirst(p, fileProjection))],
    tableProperties: `'format-version'='2', 'write.merge.mode'='merge-on-read', 'write.update.mode'='merge-on-read', 'write.delete.mode'='merge-on-read'`,
  },
  {
    name: 'insert-keys',
    what: 'INSERT INTO (append) from Parquet by path, keys-first dedup',
    statements: (t, p) => [`INSERT INTO ${t} (${names.map(q).join(', ')}) ${keysFirst(p, fileProjection)}`],
  },
];

function sparkPid(): string {
  return execFileSync('pgrep', ['-f', `hive.server2.thrift.http.port=${process.env.LAKEHOUSE_THRIFT_PORT ?? '10001'}`]).toString().trim().split('\n')[0]!;
}

/** Samples the server's statement threads; returns the hottest Spark/Iceberg frames. */
function startSampler(): () => string[] {
  const pid = sparkPid();
  const counts = new Map<string, number>();
  let samples = 0;
  const timer = setInterval(() => {
    let dump: string;
    try {
      dump = execFileSync('jstack', [pid], { maxBuffer: 64 << 20 }).toString();
    } catch {
      return;
    }
    samples += 1;
    for (const thread of dump.split('\n\n')) {
      if (!/HiveServer2-Background-Pool|Executor task launch/.test(thread) || !/RUNNABLE/.test(thread)) continue;
      const frames = thread.split('\n').filter((l) => l.trim().startsWith('at ')).map((l) => l.trim().slice(3).replace(/\(.*$/, ''));
      // Count each interesting frame once per thread sample: the "inclusive" time of that frame.
      // The innermost rule or phase the thread is in: where planning time goes, rule by rule.
      const rule = frames.find((f) => /\.(optimizer|analysis|datasources\.v2|adaptive|exchange)\.[A-Z]\w*|QueryExecution\.|janino|SparkPlan\.execute|DataWritingSparkTask|Executor\$TaskRunner/.test(f));
      const key = `${rule?.replace(/\$\$anonfun.*|\$\$Lambda.*|\$anonfun.*/, '') ?? frames[0] ?? '?'}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }, 1000);
  return () => {
    clearInterval(timer);
    return [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([f, n]) => `${String(n).padStart(4)}/${samples} ${f}`);
  };
}

async function main(): Promise<void> {
  const config = readLakehouseConfig();
  const s3 = new S3Client({
    endpoint: config.s3_endpoint_url,
    region: config.s3_region_name,
    forcePathStyle: true,
    credentials: { accessKeyId: config.aws_access_key_id, secretAccessKey: config.aws_secret_access_key },
  });
  const prefix = `bench/wide-${width}-${rows}-${Date.now()}`;
  const parquetKey = `${prefix}/batch.parquet`;
  const jsonKey = `${prefix}/batch.jsonl.gz`;
  const seedKey = `${prefix}/seed.parquet`;
  await s3.send(new PutObjectCommand({ Bucket: config.s3_bucket, Key: parquetKey, Body: parquetFile() }));
  await s3.send(new PutObjectCommand({ Bucket: config.s3_bucket, Key: jsonKey, Body: jsonFile() }));
  await s3.send(new PutObjectCommand({ Bucket: config.s3_bucket, Key: seedKey, Body: parquetFile() }));
  const parquet = `s3a://${config.s3_bucket}/${parquetKey}`;
  const json = `s3a://${config.s3_bucket}/${jsonKey}`;
  const seed = `s3a://${config.s3_bucket}/${seedKey}`;

  const proxy = await startThriftProxy({ host: config.host, port: config.port });
  const sql = new HiveServer2Executor({
    host: '127.0.0.1',
    port: proxy.port,
    scheme: 'http',
    lakehouse: config.lakehouse,
    data_plane: config.data_plane,
    user: config.user,
    password: config.password,
    tls_verify: false,
    statement_timeout_seconds: timeoutSeconds,
    rpcTimeoutMs: 600_000,
    sessionStatements,
  });
  const results: string[] = [];
  const timed = async (label: string, statement: string, jstack = false): Promise<number> => {
    const before = snapshot(proxy.traffic);
    const stop = jstack ? startSampler() : undefined;
    const started = performance.now();
    let outcome = 'ok';
    try {
      await sql.query(statement);
    } catch (e) {
      outcome = `FAILED: ${(e as Error).message.split('\n')[0]!.slice(0, 200)}`;
    }
    const ms = performance.now() - started;
    const hot = stop?.();
    const calls = diff(before, snapshot(proxy.traffic));
    const line = `${label.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(8)} s  ${String(Math.round(statement.length / 1024)).padStart(5)} KiB  calls ${calls}  ${outcome}`;
    console.log(line);
    if (hot?.length) console.log(hot.map((h) => `      ${h}`).join('\n'));
    results.push(line);
    return ms;
  };

  try {
    await timed('create schema', 'CREATE SCHEMA IF NOT EXISTS spark_catalog.bench');
    const selected = variants.filter((v) => only.length === 0 || only.includes(v.name));
    for (const variant of selected) {
      const table = `spark_catalog.bench.w${width}_r${rows}_${variant.name.replace(/-/g, '_')}`;
      await timed(`[${variant.name}] drop table`, `DROP TABLE IF EXISTS ${table} PURGE`);
      const props = variant.tableProperties ? ` TBLPROPERTIES (${variant.tableProperties})` : '';
      await timed(`[${variant.name}] create table`, `CREATE TABLE ${table} (${tableColumns}) USING iceberg${props}`);
      await timed(`[${variant.name}] show tables`, 'SHOW TABLES IN spark_catalog.bench');
      await timed(`[${variant.name}] describe table`, `DESCRIBE TABLE ${table}`);
      // Seed half of the keys so the merge both updates and inserts.
      await timed(
        `[${variant.name}] seed insert`,
        `INSERT INTO ${table} SELECT ${fileProjection} FROM parquet.\`${seed}\` WHERE c0 < ${Math.ceil(rows / 2)} AND _metadata.row_index < ${Math.ceil(rows / 2)}`,
      );
      const statements = variant.statements(table, parquet, json);
      for (const [i, statement] of statements.entries()) {
        const main = i === statements.length - 1 || statement.startsWith('MERGE');
        if (statement.startsWith('MERGE') || statement.startsWith('INSERT')) {
          await timed(`[${variant.name}] explain`, `EXPLAIN ${statement}`);
        }
        await timed(`[${variant.name}] ${statement.split(' ').slice(0, 2).join(' ')}`, statement, sample && main);
      }
      const count = await sql.query(`SELECT count(*) AS n, count(DISTINCT ID) AS k, max(${q('COL_1')}) AS m FROM ${table}`);
      console.log(`[${variant.name}] table now: ${JSON.stringify(count[0])}`);
    }
  } finally {
    await sql.close();
    await proxy.close();
    s3.destroy();
  }
  console.log(`\n${width} columns, ${rows} rows${sessionStatements.length ? `, session: ${sessionStatements.join('; ')}` : ''}`);
  console.log(results.join('\n'));
}

function snapshot(traffic: ThriftTraffic): Map<string, number> {
  return new Map(traffic.methods);
}

function diff(before: Map<string, number>, after: Map<string, number>): string {
  const parts: string[] = [];
  let total = 0;
  for (const [method, n] of after) {
    const d = n - (before.get(method) ?? 0);
    if (d > 0) {
      parts.push(`${method.replace(/^Get|Operation|Statement/g, '')}:${d}`);
      total += d;
    }
  }
  return `${total} (${parts.join(' ')})`;
}

await main();
