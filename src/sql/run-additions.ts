import type { TableRef } from '../schema/naming.js';
import { qualifiedName, quoteString } from './quote.js';

/**
 * Pure builders of the read of what a run's loads added to its tables (the closing summary's
 * `+N data file(s)`, `+N delete file(s)`), from the tables' snapshot logs alone: no manifest is
 * read, so the cost does not grow with a table's files.
 *
 * The run's snapshots of a table are its newest `count` snapshots other than maintenance's
 * (operation `replace`: compactions, manifest rewrites), `count` being the commits the run's own
 * statements made into it. No clock bounds them: `committed_at` is the lakehouse's clock and the
 * run's start the target's, another machine's in production, so a skew between the two would add
 * the snapshots of earlier runs or drop the run's first ones. The count is exact unless another
 * writer commits into the same table during or after the run (a time bound would count those too).
 */

/** A table the run committed into, and the snapshots its statements committed there. */
export interface RunCommits {
  ref: TableRef;
  snapshots: number;
}

/** What the run's loads added to a table. */
export interface RunAdditions {
  snapshots: number;
  dataFiles: number;
  deleteFiles: number;
}

/**
 * `ref`'s run snapshots, its newest `count` load snapshots, as a subquery. Measured against a
 * window over the log (row_number() per operation kind) that flags the same rows: the window cost
 * twice as much (docs/benchmarks.md).
 */
function runSnapshots(ref: TableRef, count: number): string {
  if (!Number.isInteger(count) || count < 0) throw new Error(`a run's snapshot count must be a non-negative integer, not ${count}`);
  return (
    `(SELECT summary FROM ${qualifiedName(ref.catalog, ref.schema, ref.table, 'snapshots')} ` +
    `WHERE operation <> ${quoteString('replace')} ORDER BY committed_at DESC LIMIT ${count})`
  );
}

/** `run_snapshots`, `run_data_files`, `run_delete_files` over runSnapshots. */
const RUN_COLUMNS = [
  'count(*) AS run_snapshots',
  ...[
    ['added-data-files', 'run_data_files'],
    ['added-delete-files', 'run_delete_files'],
  ].map(([key, name]) => `coalesce(sum(CAST(summary[${quoteString(key!)}] AS BIGINT)), 0) AS ${name}`),
].join(', ');

/** One row: what the run's `count` load commits added to `ref` (run_snapshots, run_data_files, run_delete_files). */
export function runAdditionsOf(ref: TableRef, count: number): string {
  return `SELECT ${RUN_COLUMNS} FROM ${runSnapshots(ref, count)}`;
}

/**
 * One statement that reads the additions of all `tables`: a row per table, `i` its position in
 * `tables`. The lakehouse's work is per table either way; one statement for many saves the
 * statements' round trips (docs/benchmarks.md), so the caller sends them in chunks.
 */
export function runAdditions(tables: readonly RunCommits[]): string {
  if (tables.length === 0) throw new Error('no table to read');
  return tables.map(({ ref, snapshots }, i) => `SELECT ${i} AS i, ${RUN_COLUMNS} FROM ${runSnapshots(ref, snapshots)}`).join(' UNION ALL ');
}
