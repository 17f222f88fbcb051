/** Pure: the --bare-merge table, medians and verdict. */
import { describeFormat, type StagedFormat } from './staged-format.js';
import { table } from './stage-report.js';
import { median } from './stats.js';

export interface BareMergeRun {
  /** The target's "Loaded ... (merge, X ms)": upload and statements of the flush. */
  flushMs: number;
  /** The statement part of the flush as the target logged it (the rest: finishing the file, upload, a session). */
  targetStatementMs?: number;
  targetStatements: number;
  targetLoadStatements: number;
  targetCalls: number;
  /** The hand-written statements, all of them (view, MERGE, drop for JSON lines). */
  bareMs: number;
  /** The hand-written MERGE alone. */
  mergeMs: number;
  bareStatements: number;
  targetRows: number;
  bareRows: number;
}

export interface BareMergeSummary {
  records: number;
  initialRows: number;
  schemaWidth: number;
  format: StagedFormat;
  /** The one upload of the staged file for the bare side (untimed in bareMs). */
  uploadMs: number;
  expectedRows: number;
  runs: readonly BareMergeRun[];
  file: string;
}

/** Acceptance goal: the target's flush at most this factor of the bare MERGE. */
const FLUSH_GOAL = 1.2;

export function formatBareMerge(s: BareMergeSummary): { ok: boolean; text: string } {
  const header = ['run', 'flush ms', 'bare ms', 'MERGE ms', 'flush/bare', 'stmts target/bare', 'rows target/bare'];
  const row = (label: string, r: Pick<BareMergeRun, 'flushMs' | 'bareMs' | 'mergeMs'>, extra: [string, string]) => [
    label,
    r.flushMs.toFixed(0),
    r.bareMs.toFixed(0),
    r.mergeMs.toFixed(0),
    (r.flushMs / r.bareMs).toFixed(2),
    ...extra,
  ];
  const rows = s.runs.map((r, i) => row(String(i + 1), r, [`${r.targetStatements}/${r.bareStatements}`, `${r.targetRows}/${r.bareRows}`]));
  const mid = { flushMs: median(s.runs.map((r) => r.flushMs)), bareMs: median(s.runs.map((r) => r.bareMs)), mergeMs: median(s.runs.map((r) => r.mergeMs)) };
  rows.push(row('median', mid, ['', '']));
  const ratio = mid.flushMs / mid.bareMs;
  const problems = s.runs.flatMap((r, i) =>
    r.targetRows === s.expectedRows && r.bareRows === s.expectedRows ? [] : [`run ${i + 1}: rows target ${r.targetRows}, bare ${r.bareRows}, expected ${s.expectedRows}`],
  );
  const text = [
    `bare-merge: ${s.records.toLocaleString('en-US')} records (10% updates) into ${s.initialRows.toLocaleString('en-US')} records' rows, schema width ${s.schemaWidth}; ` +
      `staged as ${describeFormat(s.format)}; ${s.runs.length} run(s)`,
    table(header, rows),
    `ratio flush/bare ${ratio.toFixed(2)} (goal <= ${FLUSH_GOAL}) ${ratio <= FLUSH_GOAL ? 'met' : 'NOT met'}; ` +
      `flush/(upload + bare) ${(mid.flushMs / (mid.bareMs + s.uploadMs)).toFixed(2)} (upload of the staged file ${s.uploadMs.toFixed(0)} ms, once)`,
    'flush: the target\'s logged load time (upload + its statements); bare: the hand-written statements timed one by one with the target\'s thrift client in an open session (DESCRIBE untimed)',
    ...aroundTheStatement(s.runs),
    `staged file: ${s.file}`,
    ...(problems.length > 0 ? [`PROBLEMS: ${problems.join('; ')}`] : []),
  ].join('\n');
  return { ok: problems.length === 0, text };
}

/** The target's statement against the bare MERGE, and what the flush spent around its statement. */
function aroundTheStatement(runs: readonly BareMergeRun[]): string[] {
  const timed = runs.filter((r): r is BareMergeRun & { targetStatementMs: number } => r.targetStatementMs !== undefined);
  if (timed.length === 0) return [];
  const statement = median(timed.map((r) => r.targetStatementMs));
  const around = median(timed.map((r) => r.flushMs - r.targetStatementMs));
  return [
    `target statement ${timed.map((r) => r.targetStatementMs.toFixed(0)).join(', ')} ms (median ${statement.toFixed(0)}) / bare MERGE median ${median(timed.map((r) => r.mergeMs)).toFixed(0)} ms: ` +
      `${(statement / median(timed.map((r) => r.mergeMs))).toFixed(2)}; around its statement the flush spent ${around.toFixed(0)} ms (median: finishing the file, upload, a session)`,
  ];
}

/**
 * Acceptance goals of the size ratio (flush into the largest table / flush into the smallest):
 * a flush costs what its batch holds, not what the table holds. Updates of random keys may hit
 * any file, so the key column of the whole table is read; updates of the newest keys touch only
 * the files of the newest rows.
 */
const SIZE_GOALS: Readonly<Record<string, number>> = { recent: 1.5, random: 3 };

/** Every size's table, then the flush of the largest size against the smallest one's. */
export function formatBareMergeSizes(keys: string, sizes: readonly BareMergeSummary[]): { ok: boolean; text: string } {
  const parts = sizes.map((s) => formatBareMerge(s));
  const lines = parts.map((p) => p.text);
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  if (first && last && sizes.length > 1) {
    const flush = (s: BareMergeSummary) => median(s.runs.map((r) => r.flushMs));
    const bare = (s: BareMergeSummary) => median(s.runs.map((r) => r.bareMs));
    const ratio = flush(last) / flush(first);
    const goal = SIZE_GOALS[keys];
    lines.push(
      `sizes (updates of ${keys} keys): ` +
        sizes.map((s) => `${s.initialRows.toLocaleString('en-US')} rows: flush ${flush(s).toFixed(0)} ms, bare ${bare(s).toFixed(0)} ms, flush/bare ${(flush(s) / bare(s)).toFixed(2)}`).join('; '),
      `flush at ${last.initialRows.toLocaleString('en-US')} / at ${first.initialRows.toLocaleString('en-US')} rows: ${ratio.toFixed(2)}` +
        (goal !== undefined ? ` (goal <= ${goal}) ${ratio <= goal ? 'met' : 'NOT met'}` : '') +
        `; bare ${(bare(last) / bare(first)).toFixed(2)}`,
    );
  }
  return { ok: parts.every((p) => p.ok), text: lines.join('\n\n') };
}
