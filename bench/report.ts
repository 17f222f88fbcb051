/** Pure formatting of benchmark results as a compact text table. */
import type { FlushStats } from './flush-stats.js';
import type { Phases } from './log-stats.js';

export interface BenchResult {
  records: number;
  streams: number;
  mode: 'keyed' | 'append';
  batchSizeRows?: number;
  wallMs: number;
  inputDoneMs: number;
  peakRssBytes: number;
  /** Largest RSS in each tenth of the run's duration. */
  rssProfileBytes: number[];
  loads: number;
  rowsLoaded: number;
  /** Milliseconds of each load as the target logged them (upload + statements). */
  loadMs: number[];
  /** From the target's closing summary line; undefined when it logged none. */
  phases?: Phases;
  /** Statements and thrift requests per steady-state flush (counted by the proxy). */
  flush?: FlushStats;
  /** Undefined when statements were not counted (--no-statements). */
  statements?: number;
  thriftCalls?: number;
  statementKinds?: Map<string, number>;
  /** Milliseconds of each statement by kind, and of each session opened (counted by the proxy). */
  statementMs?: Map<string, number[]>;
  sessionOpenMs?: number[];
  statesSent: number;
  statesEmitted: number;
  /** The target's last state equals the last one sent. */
  finalStateOk: boolean;
  /** Tables whose COUNT(*) differed from the expected distinct keys, as "stream: got/expected". */
  countMismatches: string[];
  exitCode: number | null;
  logPath: string;
  schema: string;
}

const MIB = 1024 * 1024;

export function formatTable(results: readonly BenchResult[]): string {
  const header = ['records', 'streams', 'mode', 'batch', 'wall s', 'input s', 'rec/s', 'peak RSS MiB', 'loads', 'stmts', 'thrift calls', 'states in/out', 'check'];
  const rows = results.map((r) => [
    r.records.toLocaleString('en-US'),
    String(r.streams),
    r.mode,
    r.batchSizeRows === undefined ? 'default' : r.batchSizeRows.toLocaleString('en-US'),
    (r.wallMs / 1000).toFixed(1),
    Number.isNaN(r.inputDoneMs) ? '-' : (r.inputDoneMs / 1000).toFixed(1),
    Math.round(throughput(r)).toLocaleString('en-US'),
    (r.peakRssBytes / MIB).toFixed(0),
    String(r.loads),
    r.statements === undefined ? '-' : String(r.statements),
    r.thriftCalls === undefined ? '-' : String(r.thriftCalls),
    `${r.statesSent}/${r.statesEmitted}`,
    verdict(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** One line per run: statements by kind, and where the log is. */
export function formatDetails(results: readonly BenchResult[]): string {
  return results
    .map((r) => {
      const kinds = r.statementKinds
        ? [...r.statementKinds.entries()]
            .sort((a, b) => b[1] - a[1])
            .map(([kind, n]) => `${kind} ${n}`)
            .join(', ')
        : 'not counted';
      const problems = [
        ...(r.exitCode !== 0 ? [`target exited with ${r.exitCode}`] : []),
        ...(r.finalStateOk ? [] : ['last state emitted differs from the last state sent']),
        ...r.countMismatches.map((m) => `row count ${m}`),
      ];
      return (
        `${r.records.toLocaleString('en-US')} records: ${r.rowsLoaded.toLocaleString('en-US')} rows loaded; statements: ${kinds}\n` +
        `  ${formatPhases(r.phases)}; ${formatLoadTimes(r.loadMs)}\n` +
        `  ${formatFlush(r.flush, r.statements !== undefined)}\n` +
        (r.statementMs ? `  ${formatStatementTimes(r.statementMs, r.sessionOpenMs ?? [])}\n` : '') +
        `  RSS MiB by tenth of the run: ${r.rssProfileBytes.map((b) => (b / MIB).toFixed(0)).join(' ')}\n` +
        `  log: ${r.logPath}  schema: ${r.schema}` +
        (problems.length > 0 ? `\n  PROBLEMS: ${problems.join('; ')}` : '')
      );
    })
    .join('\n');
}

/** Pure: the closing summary's time split, e.g. "seconds: read 1.0, stage 9.1, upload 0.4, load 12.3 (wall 20.1)". */
export function formatPhases(phases: Phases | undefined): string {
  if (!phases) return 'seconds by phase: not logged';
  const { wall, read, stage, upload, load } = phases;
  return `seconds: read ${read.toFixed(1)}, stage ${stage.toFixed(1)}, upload ${upload.toFixed(1)}, load ${load.toFixed(1)} (summed over parallel loads; wall ${wall.toFixed(1)})`;
}

/** Pure: the time per batch load, e.g. "per batch: mean 1234 ms, max 2345 ms over 12 loads". */
export function formatLoadTimes(loadMs: readonly number[]): string {
  if (loadMs.length === 0) return 'per batch: no loads';
  const mean = loadMs.reduce((a, b) => a + b, 0) / loadMs.length;
  return `per batch: mean ${mean.toFixed(0)} ms, max ${Math.max(...loadMs)} ms over ${loadMs.length} load(s)`;
}

/** Pure: what one steady-state flush costs on the wire. */
export function formatFlush(flush: FlushStats | undefined, counted: boolean): string {
  if (!counted) return 'steady-state flush: not counted (--no-statements)';
  if (!flush) return 'steady-state flush: none (each stream loaded one batch; lower --batch-size-rows)';
  return (
    `steady-state flush (median of ${flush.flushes}): ${flush.statements} statement(s), ${flush.calls} thrift HTTP request(s), ` +
    `${flush.callsPerStatement.toFixed(1)} request(s) per statement [${flush.shape}]`
  );
}

/**
 * Pure: where the lakehouse's time went, per statement kind (most time first): count, median and
 * sum of the statements' times, then the sessions opened. Sums add up time of statements that ran
 * side by side, so they can exceed the wall time.
 */
export function formatStatementTimes(byKind: ReadonlyMap<string, readonly number[]>, sessionOpenMs: readonly number[]): string {
  const median = (ms: readonly number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)] ?? 0;
  const sum = (ms: readonly number[]) => ms.reduce((a, b) => a + b, 0);
  const kinds = [...byKind.entries()]
    .sort((a, b) => sum(b[1]) - sum(a[1]))
    .map(([kind, ms]) => `${kind} ${ms.length} x median ${median(ms).toFixed(0)} ms (sum ${(sum(ms) / 1000).toFixed(1)} s)`);
  const sessions = `${sessionOpenMs.length} session(s) opened, median ${median(sessionOpenMs).toFixed(0)} ms`;
  return `statement time by kind: ${kinds.join(', ')}; ${sessions}`;
}

/** Statement times by kind from the proxy's log (statements it saw closed). */
export function statementTimesByKind(records: readonly { kind: string; ms?: number }[]): Map<string, number[]> {
  const byKind = new Map<string, number[]>();
  for (const { kind, ms } of records) if (ms !== undefined) byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
  return byKind;
}

/** Memory goal of --ratio: peak RSS of the larger run at most this factor of the smaller's. */
const RSS_RATIO_GOAL = 1.1;

/** How the larger run compares with the smaller: memory should stay flat as input grows. */
export function formatRatio(small: BenchResult, large: BenchResult): string {
  const x = (a: number, b: number) => `x${(a / b).toFixed(2)}`;
  return (
    `ratio ${large.records.toLocaleString('en-US')} / ${small.records.toLocaleString('en-US')} records (${x(large.records, small.records)}): ` +
    `wall ${x(large.wallMs, small.wallMs)}, throughput ${x(throughput(large), throughput(small))}, ` +
    `peak RSS ${x(large.peakRssBytes, small.peakRssBytes)} (${(small.peakRssBytes / MIB).toFixed(0)} -> ${(large.peakRssBytes / MIB).toFixed(0)} MiB; ` +
    `goal <= x${RSS_RATIO_GOAL.toFixed(2)} ${large.peakRssBytes / small.peakRssBytes <= RSS_RATIO_GOAL ? 'met' : 'NOT met'})`
  );
}

/** Goal of the many-streams case (issue 19): M streams take at most this times one stream's wall time. */
const STREAMS_RATIO_GOAL = 5;

/** The same records over many streams against one stream (--against-one-stream). */
export function formatStreamsRatio(one: BenchResult, many: BenchResult): string {
  const ratio = many.wallMs / one.wallMs;
  return (
    `ratio ${many.streams} streams / 1 stream, ${many.records.toLocaleString('en-US')} records each: wall x${ratio.toFixed(2)} ` +
    `(${(one.wallMs / 1000).toFixed(1)} s -> ${(many.wallMs / 1000).toFixed(1)} s; goal <= x${STREAMS_RATIO_GOAL} ${ratio <= STREAMS_RATIO_GOAL ? 'met' : 'NOT met'}), ` +
    `statements ${one.statements ?? '-'} -> ${many.statements ?? '-'}, thrift requests ${one.thriftCalls ?? '-'} -> ${many.thriftCalls ?? '-'}`
  );
}

function throughput(r: BenchResult): number {
  return r.records / (r.wallMs / 1000);
}

function verdict(r: BenchResult): string {
  return r.exitCode === 0 && r.finalStateOk && r.countMismatches.length === 0 ? 'ok' : 'FAILED';
}
