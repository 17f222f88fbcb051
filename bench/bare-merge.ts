import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureLakehouse, runSql, type LakehouseConfig } from '../lakehouse/index.js';
import type { SqlExecutor } from '../src/spark/executor.js';
import { targetSettings, type BenchOptions } from './args.js';
import { describedColumns } from '../src/sql/described-columns.js';
import { ident, jsonLinesMerge, parquetMerge, type TimedStatement } from './bare-statements.js';
import { formatBareMerge, type BareMergeRun } from './bare-report.js';
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
 * --bare-merge: the Spark-side floor of one flush. A seed table of --initial-rows rows is filled
 * once by the target; then, `repeat` times, two copies of it are made (CREATE TABLE AS SELECT,
 * untimed), the target merges a second input of --records rows (10% updates of seed keys) into one
 * in a single batch, and a hand-written MERGE of the same staged file into the other. The staged
 * file comes from the engine run of --stage-only on the second input (kept in a local directory),
 * uploaded once to the lakehouse's S3. Both sides use the target's own thrift client and S3
 * uploader from dist/, so only the statements differ.
 */
export async function bareMerge(options: BenchOptions, root: string): Promise<{ ok: boolean; text: string }> {
  const base = await ensureLakehouse();
  const dist = join(root, 'dist');
  const id = randomBytes(4).toString('hex');
  const seed = `bench_${id}_seed`;
  const table = streamName(0).toUpperCase();
  const dir = await mkdtemp(join(tmpdir(), 'target-iomete-bare-merge-'));
  const settings = { ...targetSettings(options), batch_max_bytes: ONE_BATCH_BYTES };
  const schemas = [seed];
  const common = { streams: 1, keyed: true, schemaWidth: options.schemaWidth, stateEvery: options.stateEvery };
  const second: InputSpec = { ...common, records: options.records, existingPerStream: options.initialRows };
  const { config: targetConfig } = (await import(pathToFileURL(join(dist, 'config/config.js')).href) as typeof import('../src/config/config.js')).resolveConfig({ ...base });
  const { HiveServer2Executor } = (await import(pathToFileURL(join(dist, 'spark/hiveserver2-executor.js')).href)) as typeof import('../src/spark/hiveserver2-executor.js');
  const { S3ObjectStore } = (await import(pathToFileURL(join(dist, 'storage/s3-object-store.js')).href)) as typeof import('../src/storage/s3-object-store.js');
  const store = new S3ObjectStore(targetConfig);
  // One session for the whole benchmark, opened before any clock runs, with the session setting the target uses.
  const sql: SqlExecutor = new HiveServer2Executor({ ...targetConfig, sessionStatements: ['SET spark.sql.session.timeZone=UTC'] });
  let uploadedKey: string | undefined;
  try {
    process.stderr.write(`bench: filling ${CATALOG}.${seed}.${table} with ${options.initialRows.toLocaleString('en-US')} records\n`);
    await cliRun(root, base, dir, { ...settings, batch_size_rows: options.initialRows + 1, default_target_schema: seed }, { ...common, records: options.initialRows }, 'fill');

    process.stderr.write(`bench: staging the second input (${options.records.toLocaleString('en-US')} records) with the no-lakehouse engine\n`);
    const inputPath = join(dir, 'second.jsonl');
    const { expected } = await writeInputFile(second, inputPath);
    const staged = await runChild({
      side: 'target',
      inputPath,
      resultPath: join(dir, 'stage.json'),
      distDir: dist,
      workDir: join(dir, 'stage'),
      settings: { ...settings, batch_size_rows: options.records + 1 },
    });
    const files = staged.engine?.staged ?? [];
    if (files.length !== 1) throw new Error(`the second input was staged as ${files.length} file(s), not one batch`);
    const file = files[0] as string;
    const format = await stagedFormat(file);
    const uploadStarted = performance.now();
    uploadedKey = `bench-bare/${id}/${basename(file)}`;
    const location = await store.upload(file, uploadedKey);
    const uploadMs = performance.now() - uploadStarted;
    await sql.query('SELECT 1');

    const runs: BareMergeRun[] = [];
    for (let i = 1; i <= options.repeat; i += 1) {
      const schema = `bench_${id}_r${i}`;
      schemas.push(schema);
      const target = `${ident(CATALOG)}.${ident(schema)}.${ident(table)}`;
      const bare = `${ident(CATALOG)}.${ident(schema)}.${ident('BARE')}`;
      await sql.query(`CREATE SCHEMA IF NOT EXISTS ${ident(CATALOG)}.${ident(schema)}`);
      for (const copy of [target, bare]) await sql.query(`CREATE TABLE ${copy} USING iceberg AS SELECT * FROM ${ident(CATALOG)}.${ident(seed)}.${ident(table)}`);
      // Which side runs first alternates, so that a warmer cache helps both alike.
      const flushSide = () => targetFlush(root, base, dir, { ...settings, batch_size_rows: options.records + 1, default_target_schema: schema }, second);
      const bareSide = () => bareStatements(sql, bare, format, location);
      process.stderr.write(`bench: run ${i}/${options.repeat}: ${i % 2 === 1 ? 'target flush, then bare MERGE' : 'bare MERGE, then target flush'}\n`);
      const [flush, hand] = i % 2 === 1 ? [await flushSide(), await bareSide()] : await (async () => {
        const h = await bareSide();
        return [await flushSide(), h] as const;
      })();
      const [targetRows, bareRows] = await Promise.all([target, bare].map(async (t) => Number((await sql.query(`SELECT COUNT(*) AS n FROM ${t}`))[0]?.n)));
      runs.push({ ...flush, ...hand, targetRows: targetRows ?? Number.NaN, bareRows: bareRows ?? Number.NaN });
      await sql.query(`DROP SCHEMA IF EXISTS ${ident(CATALOG)}.${ident(schema)} CASCADE`);
      schemas.pop();
    }
    const expectedRows = expected.rowsPerStream.get(streamName(0)) ?? 0;
    const { ok, text } = formatBareMerge({ records: options.records, initialRows: options.initialRows, schemaWidth: options.schemaWidth, format, uploadMs, expectedRows, runs, file });
    return { ok, text };
  } finally {
    for (const schema of schemas) await sql.query(`DROP SCHEMA IF EXISTS ${ident(CATALOG)}.${ident(schema)} CASCADE`).catch(() => undefined);
    if (uploadedKey !== undefined) await store.remove([uploadedKey]).catch(() => undefined);
    store.close();
    await sql.close();
  }
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
    return { flushMs: run.log.loadMs[0] as number, targetStatements: proxy.traffic.statements, targetLoadStatements: loads, targetCalls: proxy.traffic.calls };
  } finally {
    await proxy.close();
  }
}

/**
 * The hand-written load, timed around each statement with the target's thrift client (so the
 * same status polling): DESCRIBE of table and file first, untimed.
 */
async function bareStatements(sql: SqlExecutor, table: string, format: string, location: string) {
  const columns = describedColumns(await sql.query(`DESCRIBE TABLE ${table}`));
  const key = columns.find((c) => c.name.toLowerCase() === 'id')?.name;
  if (!key) throw new Error(`${table} has no id column`);
  let statements: TimedStatement[];
  if (format === 'parquet') {
    const fields = describedColumns(await sql.query(`DESCRIBE QUERY SELECT * FROM parquet.${ident(location)}`));
    statements = parquetMerge({ table, columns, key, location }, fields);
  } else if (format === 'json-gzip' || format === 'json') {
    statements = jsonLinesMerge({ table, columns, key, location });
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
