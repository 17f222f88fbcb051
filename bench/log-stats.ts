/**
 * Reads the target's stderr log line by line, keeping counts only (a debug log of a large run
 * would not fit comfortably in memory), plus the last lines for an error report.
 */

export interface LogStats {
  /** "Loaded N row(s) ..." lines: one per batch load. */
  loads: number;
  rowsLoaded: number;
  /** Milliseconds each load took, as the target logged it (for the slowest / mean). */
  loadMs: number[];
  /** The statement part of each load that logged one ("statement S ms"), in the same order. */
  statementMs: number[];
  /** The closing summary's time split, when the target logged it. */
  phases?: Phases;
  warnings: number;
  errors: number;
  tail: string[];
}

/**
 * Seconds of the run by phase, from the target's closing summary (src/engine/progress.ts): reading
 * is waiting for input, staging turns messages into batch files (the reader's waits for table
 * set-up and loads are apart from it); upload and load are summed over parallel loads, so they may
 * add up to more than the wall time.
 */
export interface Phases {
  wall: number;
  read: number;
  stage: number;
  upload: number;
  load: number;
}

const SUMMARY = /Run finished in ([\d.]+) s: .*time: reading input ([\d.]+) s, staging ([\d.]+) s, .*; upload ([\d.]+) s, load ([\d.]+) s/;
// Detail after the milliseconds (e.g. a split into upload and statements) is allowed and ignored.
const LOADED = /Loaded (\d+) row\(s\) of stream .* \((?:\w+), (\d+) ms(?:[,;:][^)]*)?\)/;
const STATEMENT = /: upload \d+ ms, statement (\d+) ms\)/;
const TAIL_LINES = 30;

export function emptyLogStats(): LogStats {
  return { loads: 0, rowsLoaded: 0, loadMs: [], statementMs: [], warnings: 0, errors: 0, tail: [] };
}

/** Pure: folds one log line into the stats. */
export function addLogLine(stats: LogStats, line: string): void {
  const loaded = LOADED.exec(line);
  if (loaded) {
    stats.loads += 1;
    stats.rowsLoaded += Number(loaded[1]);
    stats.loadMs.push(Number(loaded[2]));
    const statement = STATEMENT.exec(line);
    if (statement) stats.statementMs.push(Number(statement[1]));
  }
  const phases = parseSummary(line);
  if (phases) stats.phases = phases;
  if (/ WARN /.test(line)) stats.warnings += 1;
  if (/ ERROR /.test(line)) stats.errors += 1;
  stats.tail.push(line);
  if (stats.tail.length > TAIL_LINES) stats.tail.shift();
}

/** Pure: the phases of the target's closing summary line, or undefined for any other line. */
export function parseSummary(line: string): Phases | undefined {
  const m = SUMMARY.exec(line);
  if (!m) return undefined;
  const [wall, read, stage, upload, load] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  return { wall, read, stage, upload, load };
}

/** Splits a byte stream into lines across chunk boundaries. */
export function lineSplitter(onLine: (line: string) => void): { push: (chunk: string) => void; end: () => void } {
  let rest = '';
  return {
    push: (chunk) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      parts.forEach(onLine);
    },
    end: () => {
      if (rest !== '') onLine(rest);
      rest = '';
    },
  };
}
