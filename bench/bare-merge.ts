import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureLakehouse, type LakehouseConfig } from '../lakehouse/index.js';
import type { SqlExecutor } from '../src/spark/executor.js';
import { targetSettings, type BenchOptions } from './args.js';
import { describedColumns } from '../src/sql/described-columns.js';
import { ident, jsonLinesMerge, parquetMerge, type TimedStatement } from './bare-statements.js';
import { formatBareMergeSizes, type BareMergeRun, type BareMergeSummary } from './bare-report.js';
import { runChild } from './child-process.js';
import { chunked, singerLines, streamName, type ExpectedOutcome, type InputSpec } from './generator.js';
import { writeInputFile } from './input-file.js';
import { runTarget } from './run-target.js';
import { stagedFormat } from './staged-format.js';
import { startThriftProxy } from './thrift-proxy.js';

const CATALOG = 'spark_catalog';
// Far above any batch the benchmark makes, so that each input is exactly one batch.
const ONE_BATCH_BYTES = 1e12;

/**
 * --bare-merge: the Spark-side floor of one flush, at one or more table sizes. Per size, a seed
 * table of --initial-rows rows is filled once by the target (so it has the target's own layout and
 * properties) and its snapshot noted; then, `repeat` times, the target merges a second input of
 * --records rows (10% updates of seed keys, chosen by --keys) in a single batch, and a hand-written
 * MERGE of the same staged file runs into the same table, each followed by a rollback to the seed
 * snapshot (metadata only: a large table is built once per size, not copied per run). The staged
 * file comes from the engine run of --stage-only on the second input (kept in a local directory),
 * uploaded once to the lakehouse's S3. Both sides use the target's own thrift client and S3
 * uploader from dist/, so only the statements differ.
 */
export async function bareMerge(options: BenchOptions, root: string): Promise<{ ok: boolean; text: string }> {
  const base = await ensureLakehouse();
  const dist = join(root, 'dist');
  const id = randomBytes(4).toString('hex');
  const dir = await mkdtemp(join(tmpdir(), 'target-iomete-bare-merge-'));
  const { config: targetConfig } = (await import(pathToFileURL(join(dist, 'config/config.js')).href) as typeof import('../src/config/config.js')).resolveConfig({ ...base });
  const { HiveServer2Executor } = (await import(pathToFileURL(join(dist, 'spark/hiveserver2-executor.js')).href)) as typeof import('../src/spark/hiveserver2-executor.js');
  const { S3ObjectStore } = (await import(pathToFileURL(join(dist, 'storage/s3-object-store.js')).href)) as typeof import('../src/storage/s3-object-store.js');
  const store = new S3ObjectStore(targetConfig);
  // One session for the whole benchmark, opened before any clock runs, with the session setting the target uses.
  const sql: SqlExecutor = new HiveServer2Executor({ ...targetConfig, password: targetConfig.token, sessionStatements: ['SET spark.sql.session.timeZone=UTC'] });
  const bench: SizeBench = { root, base, dir, dist, id, options, sql, store, schemas: [], uploaded: [] };
  try {
    const summaries: BareMergeSummary[] = [];
    for (const [index, initialRows] of options.initialRows.entries()) summaries.push(await oneSize(bench, index, initialRows));
    return formatBareMergeSizes(options.keys, summaries);
  } finally {
    if (!options.keepSchema) for (const schema of bench.schemas) await sql.query(`DROP SCHEMA IF EXISTS ${ident(CATALOG)}.${ident(schema)} CASCADE`).catch(() => undefined);
    if (bench.uploaded.length > 0) await store.remove(bench.uploaded).catch(() => undefined);
    store.close();
    await sql.close();
  }
}

interface SizeBench {
  root: string;
  base: LakehouseConfig;
  dir: string;
  dist: string;
  id: string;
  options: BenchOptions;
  sql: SqlExecutor;
  store: { upload(path: string, key: string): Promise<string> };
  /** Schemas made so far (dropped at the end unless --keep-schema). */
  schemas: string[];
  /** Object keys uploaded so far (removed at the end). */
  uploaded: string[];
}

/** Fill, stage, then `repeat` runs of both sides at one table size. */
async function oneSize(bench: SizeBench, index: number, initialRows: number): Promise<BareMergeSummary> {
  const { options, sql, dir } = bench;
  const schema = `bench_${bench.id}_s${index}`;
  const table = streamName(0).toUpperCase();
  const settings = { ...targetSettings(options), batch_max_bytes: ONE_BATCH_BYTES };
  const common = { streams: 1, keyed: true, schemaWidth: options.schemaWidth, stateEvery: options.stateEvery };
  const second: InputSpec = { ...common, records: options.records, existingPerStream: initialRows, updates: options.keys };
  const target = `${ident(CATALOG)}.${ident(schema)}.${ident(table)}`;
  bench.schemas.push(schema);
  process.stderr.write(`bench: filling ${CATALOG}.${schema}.${table} with ${initialRows.toLocaleString('en-US')} records\n`);
  await cliRun(bench.root, bench.base, dir, { ...settings, batch_size_rows: initialRows + 1, default_target_schema: schema }, { ...common, records: initialRows }, `fill-${index}`);
  const [seed] = await sql.query(`SELECT snapshot_id FROM ${target}.${ident('snapshots')} ORDER BY committed_at DESC LIMIT 1`);
  const rollback = `CALL ${ident(CATALOG)}.system.rollback_to_snapshot('${schema}.${table.toLowerCase()}', ${String(seed?.snapshot_id)})`;

  process.stderr.write(`bench: staging the second input (${options.records.toLocaleString('en-US')} records, updates of ${options.keys} keys) with the no-lakehouse engine\n`);
  const inputPath = join(dir, `second-${index}.jsonl`);
  const { expected } = await writeInputFile(second, inputPath);
  const staged = await runChild({
    side: 'target',
    inputPath,
    resultPath: join(dir, `stage-${index}.json`),
    distDir: bench.dist,
    workDir: join(dir, `stage-${index}`),
    settings: { ...settings, batch_size_rows: options.records + 1 },
  });
  const files = staged.engine?.staged ?? [];
  if (files.length !== 1) throw new Error(`the second input was staged as ${files.length} file(s), not one batch`);
  const file = files[0] as string;
  const format = await stagedFormat(file);
  const uploadStarted = performance.now();
  const key = `bench-bare/${bench.id}/${index}-${basename(file)}`;
  const location = await bench.store.upload(file, key);
  bench.uploaded.push(key);
  const uploadMs = performance.now() - uploadStarted;
  await sql.query('SELECT 1');

  const count = async () => Number((await sql.query(`SELECT COUNT(*) AS n FROM ${target}`))[0]?.n);
  const runs: BareMergeRun[] = [];
  for (let i = 1; i <= options.repeat; i += 1) {
    // Each side ends with the table's row count and a rollback to the seed snapshot.
    const flushSide = async () => {
      const flush = await targetFlush(bench.root, bench.base, dir, { ...settings, batch_size_rows: options.records + 1, default_target_schema: schema }, second);
      const targetRows = await count();
      await sql.query(rollback);
      return { ...flush, targetRows };
    };
    const bareSide = async () => {
      const hand = await bareStatements(sql, target, format, location, expected.keyRange);
      const bareRows = await count();
      await sql.query(rollback);
      return { ...hand, bareRows };
    };
    // Which side runs first alternates, so that a warmer cache helps both alike.
    process.stderr.write(`bench: ${initialRows.toLocaleString('en-US')} rows, run ${i}/${options.repeat}: ${i % 2 === 1 ? 'target flush, then bare MERGE' : 'bare MERGE, then target flush'}\n`);
    if (i % 2 === 1) {
      const flush = await flushSide();
      runs.push({ ...flush, ...(await bareSide()) });
    } else {
      const hand = await bareSide();
      runs.push({ ...(await flushSide()), ...hand });
    }
  }
  const expectedRows = expected.rowsPerStream.get(streamName(0)) ?? 0;
  return { records: options.records, initialRows, schemaWidth: options.schemaWidth, format, uploadMs, expectedRows, runs, file };
}

/** Runs the built CLI on generated input; fails the benchmark when the target fails. */
async function cliRun(root: string, base: LakehouseConfig, dir: string, settings: Record<string, unknown>, spec: InputSpec, what: string, port?: number) {
  const configPath = join(dir, `${what}-config.json`);
  await writeFile(configPath, JSON.stringify({ ...base, ...(port !== undefined ? { host: '127.0.0.1', port } : {}), ...settings }));
  const expected: ExpectedOutcome = { rowsPerStream: new Map(), statesSent: 0, lastState: undefined };
  const logPath = join(dir, `${what}.log`);
  const run = await runTarget({
    bin: join(root, 'bin/run.js'),
    configPath,
    input: chunked(singerLines(spec, expected)),
    env: { ...process.env, TARGET_IOMETE_LOGLEVEL: 'info' },
    logPath,
  });
  if (run.exitCode !== 0) throw new Error(`the target's ${what} run failed (log ${logPath}):\n${run.log.tail.join('\n')}`);
  return run;
}

/** The target's own flush of the second input: its logged load time, and its statements through the counting proxy. */
async function targetFlush(root: string, base: LakehouseConfig, dir: string, settings: Record<string, unknown>, spec: InputSpec) {
  const proxy = await startThriftProxy({ host: base.host, port: base.port });
  try {
    const run = await cliRun(root, base, dir, settings, spec, 'flush', proxy.port);
    if (run.log.loads !== 1) throw new Error(`the target loaded the second input in ${run.log.loads} batches, not one`);
    const loads = proxy.traffic.log.filter((r) => r.loadTable !== undefined).length;
    const statementMs = run.log.statementMs[0];
    return { flushMs: run.log.loadMs[0] as number, ...(statementMs !== undefined ? { targetStatementMs: statementMs } : {}), targetStatements: proxy.traffic.statements, targetLoadStatements: loads, targetCalls: proxy.traffic.calls };
  } finally {
    await proxy.close();
  }
}

/**
 * The hand-written load, timed around each statement with the target's thrift client (so the
 * same status polling): DESCRIBE of table and file first, untimed.
 */
async function bareStatements(sql: SqlExecutor, table: string, format: string, location: string, keyRange?: { min: number; max: number }) {
  const columns = describedColumns(await sql.query(`DESCRIBE TABLE ${table}`));
  const key = columns.find((c) => c.name.toLowerCase() === 'id')?.name;
  if (!key) throw new Error(`${table} has no id column`);
  let statements: TimedStatement[];
  if (format === 'parquet') {
    const fields = describedColumns(await sql.query(`DESCRIBE QUERY SELECT * FROM parquet.${ident(location)}`));
    statements = parquetMerge({ table, columns, key, location, keyRange }, fields);
  } else if (format === 'json-gzip' || format === 'json') {
    statements = jsonLinesMerge({ table, columns, key, location, keyRange });
  } else {
    throw new Error(`the staged file ${location} is neither Parquet nor JSON lines`);
  }
  let bareMs = 0;
  let mergeMs = 0;
  for (const statement of statements) {
    const started = performance.now();
    await sql.query(statement.sql);
    const ms = performance.now() - started;
    bareMs += ms;
    if (statement.isMerge) mergeMs += ms;
  }
  return { bareMs, mergeMs, bareStatements: statements.length };
}
