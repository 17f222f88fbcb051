// Throughput and memory benchmark of the built target. Not a test: run it by hand
// (`npm run bench -- --help`) and compare numbers across changes. The full run pipes generated
// Singer input into bin/run.js exactly as a tap would, against the local lakehouse, and checks
// what landed; --stage-only measures the engine without a lakehouse (stage-only.ts), --bare-merge
// one flush against a hand-written MERGE (bare-merge.ts).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { ensureLakehouse, runSql, type LakehouseConfig } from '../lakehouse/index.js';
import { USAGE, parseBenchArgs, targetSettings, type BenchOptions } from './args.js';
import { bareMerge } from './bare-merge.js';
import { builtTargetProblem } from './built-target.js';
import { flushStats } from './flush-stats.js';
import { chunked, singerLines, type ExpectedOutcome, type InputSpec } from './generator.js';
import { formatDetails, formatRatio, formatStreamsRatio, formatTable, statementTimesByKind, type BenchResult } from './report.js';
import { rssProfile } from './rss-monitor.js';
import { runTarget } from './run-target.js';
import { stageOnly } from './stage-only.js';
import { startThriftProxy, type ThriftProxy } from './thrift-proxy.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin/run.js');

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    const parsed = parseBenchArgs(argv);
    if ('help' in parsed) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    options = parsed;
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const stale = builtTargetProblem(ROOT);
  if (stale) {
    process.stderr.write(`bench: ${stale}\n`);
    return 2;
  }
  if (options.mode === 'stage-only') {
    const { summary, text } = await stageOnly(options, ROOT);
    process.stdout.write(`${text}\n`);
    return summary.problems.length > 0 ? 1 : 0;
  }
  if (options.mode === 'bare-merge') {
    const { ok, text } = await bareMerge(options, ROOT);
    process.stdout.write(`${text}\n`);
    return ok ? 0 : 1;
  }
  const base = await ensureLakehouse();
  const runs = options.ratio
    ? [{ records: options.records }, { records: options.records * options.ratioFactor }]
    : options.againstOneStream
      ? [{ streams: 1 }, {}]
      : [{}];
  const results: BenchResult[] = [];
  for (const run of runs) results.push(await benchOnce({ ...options, ...run }, base));
  process.stdout.write(`${formatTable(results)}\n\n${formatDetails(results)}\n`);
  const [first, second] = results;
  if (first && second) process.stdout.write(`\n${options.ratio ? formatRatio(first, second) : formatStreamsRatio(first, second)}\n`);
  const failed = results.some((r) => r.exitCode !== 0 || !r.finalStateOk || r.countMismatches.length > 0);
  return failed ? 1 : 0;
}

async function benchOnce(options: BenchOptions, base: LakehouseConfig): Promise<BenchResult> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const catalog = typeof options.overrides.catalog === 'string' ? options.overrides.catalog : 'spark_catalog';
  const spec: InputSpec = {
    records: options.records,
    streams: options.streams,
    keyed: options.keyed,
    schemaWidth: options.schemaWidth,
    stateEvery: options.stateEvery,
  };
  const expected: ExpectedOutcome = { rowsPerStream: new Map(), statesSent: 0, lastState: undefined };
  const dir = await mkdtemp(join(tmpdir(), 'target-iomete-bench-'));
  let proxy: ThriftProxy | undefined;
  try {
    if (options.countStatements) proxy = await startThriftProxy({ host: base.host, port: base.port });
    const configPath = join(dir, 'config.json');
    await writeFile(
      configPath,
      JSON.stringify({
        ...base,
        default_target_schema: schema,
        ...(proxy ? { host: '127.0.0.1', port: proxy.port } : {}),
        ...targetSettings(options),
      }),
    );
    const logPath = join(tmpdir(), `target-iomete-${schema}.log`);
    process.stderr.write(`bench: ${options.records.toLocaleString('en-US')} records over ${options.streams} stream(s) into ${catalog}.${schema} (log: ${logPath})\n`);
    const run = await runTarget({
      bin: BIN,
      configPath,
      input: chunked(singerLines(spec, expected)),
      env: { ...process.env, TARGET_IOMETE_LOGLEVEL: process.env.TARGET_IOMETE_LOGLEVEL ?? 'info' },
      logPath,
    });
    if (run.exitCode !== 0) process.stderr.write(`bench: the target failed; its last log lines:\n${run.log.tail.join('\n')}\n`);
    const countMismatches = run.exitCode === 0 ? await checkRowCounts(catalog, schema, expected.rowsPerStream) : [];
    const flush = proxy ? flushStats(proxy.traffic.log) : undefined;
    const result: BenchResult = {
      records: options.records,
      streams: options.streams,
      mode: options.keyed ? 'keyed' : 'append',
      ...(options.batchSizeRows !== undefined ? { batchSizeRows: options.batchSizeRows } : {}),
      wallMs: run.wallMs,
      inputDoneMs: run.inputDoneMs,
      peakRssBytes: run.rss.peakBytes,
      rssProfileBytes: rssProfile(run.rss.timeline),
      loads: run.log.loads,
      rowsLoaded: run.log.rowsLoaded,
      loadMs: run.log.loadMs,
      ...(run.log.phases ? { phases: run.log.phases } : {}),
      ...(flush ? { flush } : {}),
      ...(proxy
        ? {
            statements: proxy.traffic.statements,
            thriftCalls: proxy.traffic.calls,
            statementKinds: proxy.traffic.statementKinds,
            statementMs: statementTimesByKind(proxy.traffic.log),
            sessionOpenMs: proxy.traffic.sessionOpenMs,
          }
        : {}),
      statesSent: expected.statesSent,
      statesEmitted: run.statesEmitted,
      finalStateOk: isDeepStrictEqual(run.lastState, expected.lastState),
      countMismatches,
      exitCode: run.exitCode,
      logPath,
      schema: options.keepSchema ? `${catalog}.${schema} (kept)` : `${catalog}.${schema} (dropped)`,
    };
    return result;
  } finally {
    await proxy?.close();
    await rm(dir, { recursive: true, force: true });
    if (!options.keepSchema) await runSql(`DROP SCHEMA IF EXISTS ${catalog}.\`${schema}\` CASCADE`).catch(() => undefined);
  }
}

/**
 * COUNT(*) of every stream's table against the distinct keys sent; returns the mismatches. Tables
 * are counted 25 to a statement (UNION ALL): a session per table cost seconds each with 200 streams.
 */
async function checkRowCounts(catalog: string, schema: string, expected: ReadonlyMap<string, number>): Promise<string[]> {
  const mismatches: string[] = [];
  const streams = [...expected.keys()];
  for (let i = 0; i < streams.length; i += 25) {
    const part = streams.slice(i, i + 25);
    const rows = await runSql(
      part.map((stream, j) => `SELECT ${j} AS i, COUNT(*) AS n FROM ${catalog}.\`${schema}\`.\`${stream.toUpperCase()}\``).join(' UNION ALL '),
    );
    const counted = new Map(rows.map((row) => [Number(row.i), Number(row.n)]));
    part.forEach((stream, j) => {
      const actual = counted.get(j);
      if (actual !== expected.get(stream)) mismatches.push(`${stream}: ${actual}/${expected.get(stream)}`);
    });
  }
  return mismatches;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
