import type { TableRef } from '../schema/naming.js';
import { qualifiedName, quoteIdentifier, quoteString } from './quote.js';
import { runAdditionsOf } from './run-additions.js';

/**
 * Pure builders of the table maintenance statements: Iceberg's Spark procedures
 * (`CALL <catalog>.system.<procedure>(table => '<schema>.<table>', ...)`) and the one query of a
 * table's snapshot metadata table that the progress lines and the closing summary use.
 */

/** The `table => ...` argument: a string Spark parses as a multipart identifier, each part quoted. */
function tableArgument(ref: TableRef): string {
  return `table => ${quoteString(qualifiedName(ref.schema, ref.table))}`;
}

function call(ref: TableRef, procedure: string, ...args: string[]): string {
  return `CALL ${quoteIdentifier(ref.catalog)}.system.${procedure}(${[tableArgument(ref), ...args].join(', ')})`;
}

/** A timestamp literal of an instant, in UTC whatever the session's time zone. */
export function timestampLiteral(at: Date): string {
  return `TIMESTAMP ${quoteString(at.toISOString())}`;
}

export interface CompactOptions {
  /** Compact a file group only when it has at least this many files (Iceberg's `min-input-files`). */
  minInputFiles: number;
  /** A Spark SQL predicate on partition columns limiting the rewrite (the partitions a run touched). */
  where?: string;
}

/** Rewrites small data files into larger ones (delete files of merge-on-read tables are applied too). */
export function rewriteDataFiles(ref: TableRef, options: CompactOptions): string {
  const args = options.where === undefined ? [] : [`where => ${quoteString(options.where)}`];
  args.push(`options => map(${quoteString('min-input-files')}, ${quoteString(String(options.minInputFiles))})`);
  return call(ref, 'rewrite_data_files', ...args);
}

/**
 * Expires snapshots committed before `olderThan`, always keeping the newest `retainLast`. Iceberg
 * never expires the current snapshot.
 */
export function expireSnapshots(ref: TableRef, olderThan: Date, retainLast: number): string {
  if (!Number.isInteger(retainLast) || retainLast < 1) throw new Error(`retain_last must be a positive integer, not ${retainLast}`);
  return call(ref, 'expire_snapshots', `older_than => ${timestampLiteral(olderThan)}`, `retain_last => ${retainLast}`);
}

/** Rewrites the current snapshot's manifests into fewer, larger ones. */
export function rewriteManifests(ref: TableRef): string {
  return call(ref, 'rewrite_manifests');
}

/** Deletes files under the table's location that no snapshot references and that are older than `olderThan`. */
export function removeOrphanFiles(ref: TableRef, olderThan: Date): string {
  return call(ref, 'remove_orphan_files', `older_than => ${timestampLiteral(olderThan)}`);
}

/** A metadata table of `ref` (`snapshots`, `manifests`, `files`, ...). */
function metadataTable(ref: TableRef, name: string): string {
  return qualifiedName(ref.catalog, ref.schema, ref.table, name);
}

/**
 * One row about the table from its snapshot log alone (no manifest is read, so the cost does not
 * grow with the table's files): `snapshots` (all kept), `data_files` / `delete_files` (totals of
 * the newest snapshot's summary), and what the run's `runSnapshots` load commits added
 * (sql/run-additions.ts: `run_snapshots`, `run_data_files`, `run_delete_files`). With `manifests`,
 * also the newest snapshot's manifest count (reads its manifest list).
 */
export function tableStats(ref: TableRef, runSnapshots: number, options: { manifests?: boolean } = {}): string {
  const columns = [
    'count(*) AS snapshots',
    "coalesce(max_by(CAST(summary['total-data-files'] AS BIGINT), committed_at), 0) AS data_files",
    "coalesce(max_by(CAST(summary['total-delete-files'] AS BIGINT), committed_at), 0) AS delete_files",
  ];
  if (options.manifests) columns.push(`(SELECT count(*) FROM ${metadataTable(ref, 'manifests')}) AS manifests`);
  return `SELECT * FROM (SELECT ${columns.join(', ')} FROM ${metadataTable(ref, 'snapshots')}) CROSS JOIN (${runAdditionsOf(ref, runSnapshots)})`;
}
