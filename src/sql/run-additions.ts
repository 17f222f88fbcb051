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
 * `ref`'s snapshot log with a boolean column `run`: true for the run's `count` newest load
 * snapshots (one window over the log, which holds one row per snapshot kept).
 */
export function flaggedSnapshots(ref: TableRef, count: number): string {
  if (!Number.isInteger(count) || count < 0) throw new Error(`a run's snapshot count must be a non-negative integer, not ${count}`);
  const replace = `operation = ${quoteString('replace')}`;
  return (
    `(SELECT *, NOT ${replace} AND row_number() OVER (PARTITION BY ${replace} ORDER BY committed_at DESC) <= ${count} AS run ` +
    `FROM ${qualifiedName(ref.catalog, ref.schema, ref.table, 'snapshots')})`
  );
}

/** The run's additions as columns `run_snapshots`, `run_data_files`, `run_delete_files` over flaggedSnapshots. */
export const RUN_COLUMNS: readonly string[] = [
  'count_if(run) AS run_snapshots',
  ...[
    ['added-data-files', 'run_data_files'],
    ['added-delete-files', 'run_delete_files'],
  ].map(([key, name]) => `coalesce(sum(IF(run, CAST(summary[${quoteString(key!)}] AS BIGINT), 0)), 0) AS ${name}`),
];

/**
 * One statement that reads the additions of all `tables`: a row per table, `i` its position in
 * `tables`. One statement for many tables costs about what one for a single table does
 * (docs/benchmarks.md), so the caller sends them in chunks rather than one per table.
 */
export function runAdditions(tables: readonly RunCommits[]): string {
  if (tables.length === 0) throw new Error('no table to read');
  return tables.map(({ ref, snapshots }, i) => `SELECT ${i} AS i, ${RUN_COLUMNS.join(', ')} FROM ${flaggedSnapshots(ref, snapshots)}`).join(' UNION ALL ');
}
