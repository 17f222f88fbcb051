/**
 * What one steady-state flush costs on the wire: the statements and thrift HTTP requests between
 * two consecutive loads in one session. Pure, so that both the counting proxy (real lakehouse) and
 * the no-op executor (--stage-only) feed it the same records.
 */
import { median } from './stats.js';

export interface StatementRecord {
  /** The session that ran it (its handle's guid, or an executor number without a lakehouse). */
  session: string;
  /** Leading keywords, e.g. MERGE INTO (see statementKind). */
  kind: string;
  /** The table a MERGE / INSERT loads, as written in the statement. */
  loadTable?: string;
  /** HTTP requests that served it: the ExecuteStatement and every later call on its operation. */
  calls: number;
  /** When its ExecuteStatement arrived (performance.now(), proxy only). */
  startedMs?: number;
  /** Milliseconds from its ExecuteStatement to its CloseOperation as the proxy saw them (proxy only). */
  ms?: number;
}

export interface FlushStats {
  /** Steady-state flushes seen: loads of a table that had been loaded before in the run. */
  flushes: number;
  /** Median statements per steady flush. */
  statements: number;
  /** Median HTTP requests per steady flush. */
  calls: number;
  /** HTTP requests per statement over all steady flushes. */
  callsPerStatement: number;
  /** The most frequent composition of a flush, e.g. "CREATE OR REPLACE TEMPORARY VIEW + DROP VIEW + MERGE INTO". */
  shape: string;
}

// Session set-up and the DDL a run sends once per table; not part of any steady-state flush.
const PER_RUN = new Set(['SET', 'USE', 'CREATE SCHEMA', 'CREATE DATABASE', 'SHOW TABLES', 'DESCRIBE TABLE', 'CREATE TABLE', 'ALTER TABLE']);
const NAME = '(?:`(?:[^`]|``)*`|[A-Za-z0-9_]+)';
const LOAD = new RegExp(`^\\s*(?:MERGE\\s+INTO|INSERT\\s+(?:INTO|OVERWRITE)(?:\\s+TABLE)?)\\s+(${NAME}(?:\\s*\\.\\s*${NAME})*)`, 'i');

/** Pure: the table a MERGE / INSERT statement loads, or undefined for any other statement. */
export function loadTableOf(sql: string): string | undefined {
  return LOAD.exec(sql)?.[1]?.replace(/\s+/g, '');
}

/**
 * Pure: the steady-state flushes in statement order. Within one session the statements since its
 * previous load (the previous flush's cleanup, then this flush's set-up) up to and including a
 * load make one flush: a session runs one batch at a time, so other streams' loads in other
 * sessions never mix in. The first load of each table is left out (it may carry one-off work).
 */
export function steadyFlushes(records: readonly StatementRecord[]): StatementRecord[][] {
  const open = new Map<string, StatementRecord[]>();
  const loaded = new Set<string>();
  const flushes: StatementRecord[][] = [];
  for (const record of records) {
    if (PER_RUN.has(record.kind)) continue;
    const segment = open.get(record.session) ?? [];
    segment.push(record);
    if (record.loadTable === undefined) {
      open.set(record.session, segment);
      continue;
    }
    const table = record.loadTable.toLowerCase();
    if (loaded.has(table)) flushes.push(segment);
    loaded.add(table);
    open.set(record.session, []);
  }
  return flushes;
}

/** Pure: the summary of the steady flushes, undefined when there were none (one batch per stream). */
export function flushStats(records: readonly StatementRecord[]): FlushStats | undefined {
  const flushes = steadyFlushes(records);
  if (flushes.length === 0) return undefined;
  const calls = flushes.map((f) => f.reduce((sum, r) => sum + r.calls, 0));
  const statements = flushes.reduce((sum, f) => sum + f.length, 0);
  const shapes = new Map<string, number>();
  for (const f of flushes) {
    const shape = f.map((r) => r.kind).sort().join(' + ');
    shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
  }
  const shape = [...shapes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  return {
    flushes: flushes.length,
    statements: median(flushes.map((f) => f.length)),
    calls: median(calls),
    callsPerStatement: calls.reduce((a, b) => a + b, 0) / statements,
    shape,
  };
}
