/** Pure: medians of the --stage-only runs and their compact table. */
import type { FlushStats } from './flush-stats.js';
import type { ChildResult } from './stage-child.js';
import { median } from './stats.js';

export interface SideSummary {
  consumeMs: number;
  totalMs: number;
  cpuMs: number;
  peakRssBytes: number;
}

export interface StageOnlySummary {
  records: number;
  streams: number;
  mode: 'keyed' | 'append';
  schemaWidth: number;
  inputBytes: number;
  runs: number;
  bare: SideSummary;
  target: SideSummary & { batches: number; statements: number; flush?: FlushStats };
  /** Where the last target run's staged files are, and what they are. */
  staged: { dir: string; files: number; format: string };
  problems: string[];
}

/** Acceptance goals of the record path (issue "3x faster record path"). */
const GOALS = { timeRatio: 0.5, cpuFactor: 3 } as const;

export function sideSummary(runs: readonly ChildResult[]): SideSummary {
  return {
    consumeMs: median(runs.map((r) => r.consumeMs)),
    totalMs: median(runs.map((r) => r.totalMs)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    peakRssBytes: median(runs.map((r) => r.peakRssBytes)),
  };
}

const MIB = 1024 * 1024;

export function formatStageOnly(s: StageOnlySummary): string {
  const rate = (ms: number) => Math.round(s.records / (ms / 1000)).toLocaleString('en-US');
  const sec = (ms: number) => (ms / 1000).toFixed(2);
  const header = ['side', 'consume s', 'total s', 'records/s', 'CPU s', 'peak RSS MiB', 'batches', 'ms/batch'];
  const rows = [
    ['bare', sec(s.bare.consumeMs), sec(s.bare.totalMs), rate(s.bare.consumeMs), sec(s.bare.cpuMs), (s.bare.peakRssBytes / MIB).toFixed(0), '-', '-'],
    [
      'target',
      sec(s.target.consumeMs),
      sec(s.target.totalMs),
      rate(s.target.consumeMs),
      sec(s.target.cpuMs),
      (s.target.peakRssBytes / MIB).toFixed(0),
      String(s.target.batches),
      s.target.batches > 0 ? (s.target.totalMs / s.target.batches).toFixed(0) : '-',
    ],
  ];
  const timeRatio = s.bare.consumeMs / s.target.consumeMs;
  const cpuFactor = s.target.cpuMs / s.bare.cpuMs;
  const flush = s.target.flush;
  return [
    `stage-only: ${s.records.toLocaleString('en-US')} records over ${s.streams} stream(s), ${s.mode}, schema width ${s.schemaWidth}; ` +
      `input ${(s.inputBytes / MIB).toFixed(1)} MiB; medians of ${s.runs} run(s) of each side, alternating`,
    table(header, rows),
    `ratios: time bare/target ${timeRatio.toFixed(2)} (goal >= ${GOALS.timeRatio}) ${timeRatio >= GOALS.timeRatio ? 'met' : 'NOT met'}; ` +
      `CPU target/bare ${cpuFactor.toFixed(2)}x (goal <= ${GOALS.cpuFactor}x) ${cpuFactor <= GOALS.cpuFactor ? 'met' : 'NOT met'}`,
    `target: ${s.target.statements} statement(s) to the no-op executor; steady-state flush: ` +
      (flush ? `${flush.statements} statement(s) (${flush.shape}) over ${flush.flushes} flush(es)` : 'none (one batch per stream)'),
    `staged: ${s.staged.files} file(s), ${s.staged.format}, kept in ${s.staged.dir}`,
    ...(s.problems.length > 0 ? [`PROBLEMS: ${s.problems.join('; ')}`] : []),
  ].join('\n');
}

/** Pure: columns aligned, the first left and the rest right. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
