import { bookmarksOf, compareTable, type Bookmarks, type Comparison, type ReplaySpec, type TableRows } from '../support/replay-input.js';

/** Runs one statement against a lakehouse (the main instance's `query`, or a fault instance's). */
export type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** A table's rows as written by the replay tap (none when the table was never created). */
export async function tableRows(query: Query, schema: string, table: string): Promise<TableRows> {
  const found = await query(`SELECT ID, SEQ, VAL FROM spark_catalog.\`${schema}\`.\`${table}\``).catch((e: Error) => {
    // A run stopped before its first load may not have created every table.
    if (/TABLE_OR_VIEW_NOT_FOUND|not found/i.test(e.message)) return [];
    throw e;
  });
  return found.map((r) => ({ id: Number(r.ID), seq: Number(r.SEQ), val: r.VAL === null ? null : String(r.VAL) }));
}

/** Compares every stream's table with its records up to `upTo` (all of them when omitted). */
export async function compareAll(query: Query, spec: ReplaySpec, schema: string, upTo?: Bookmarks): Promise<Map<string, Comparison>> {
  const out = new Map<string, Comparison>();
  for (const stream of spec.streams) {
    const limit = upTo ? (upTo[stream.name] ?? 0) : stream.records;
    out.set(stream.name, compareTable(stream, await tableRows(query, schema, stream.name), limit));
  }
  return out;
}

/**
 * "Never a state past committed data": checked right after the run that printed `states` stopped,
 * for the furthest bookmark of each stream over all of them. Returns the problems: streams whose
 * records up to that bookmark are not all in their tables, and bookmarks that moved back.
 */
export async function uncoveredBookmarks(query: Query, spec: ReplaySpec, schema: string, states: readonly unknown[]): Promise<string[]> {
  const problems: string[] = [];
  const furthest: Bookmarks = {};
  for (const [i, state] of states.entries()) {
    for (const [stream, seq] of Object.entries(bookmarksOf(state))) {
      if (seq < (furthest[stream] ?? 0)) problems.push(`state ${i + 1} moved the bookmark of '${stream}' back from ${furthest[stream]} to ${seq}`);
      furthest[stream] = Math.max(seq, furthest[stream] ?? 0);
    }
  }
  if (states.length === 0) return problems;
  for (const [stream, comparison] of await compareAll(query, spec, schema, furthest)) {
    if (comparison.lost > 0) problems.push(`'${stream}': ${comparison.lost} record(s) or key(s) up to bookmark ${furthest[stream]} are not in the table`);
  }
  return problems;
}

/** Totals over the keyed streams and over the append-only ones. */
export function totals(spec: ReplaySpec, comparisons: Map<string, Comparison>): { lost: number; duplicateKeys: number; wrongValues: number; appendLost: number; appendDuplicates: number } {
  const sum = (keyed: boolean, field: keyof Comparison) =>
    spec.streams.filter((s) => s.keyed === keyed).reduce((n, s) => n + (comparisons.get(s.name)?.[field] ?? 0), 0);
  return {
    lost: sum(true, 'lost'),
    duplicateKeys: sum(true, 'duplicates'),
    wrongValues: sum(true, 'wrongValues') + sum(false, 'wrongValues'),
    appendLost: sum(false, 'lost'),
    appendDuplicates: sum(false, 'duplicates'),
  };
}
