import type { AppendMarkerEntry } from './append-commits.js';
import type { Logger } from '../logging.js';
import type { TableRef } from '../schema/naming.js';
import type { Row, SqlExecutor } from '../spark/executor.js';
import { listedTables, showTables, tableName } from '../sql/statements.js';
import { deleteAllRows, expireSnapshotIds, rollbackToSnapshot, snapshotsWithWapIds } from '../sql/wap-statements.js';

interface Snapshot {
  id: string;
  parent: string | null;
  /** The wap id the snapshot was staged with, or the one it published (a cherry-pick). */
  wapId: string | null;
}

/** What the clean-up does to one table, decided from its snapshots alone (pure). */
export interface UndoPlan {
  /** Make the table current at this snapshot again ('empty': delete every row; the table had none before). */
  rollbackTo?: string | 'empty';
  /** Commits of the dead run no state covers, left because another writer committed after them. */
  leftBehind: number;
  /** Commits undone. */
  undone: number;
  /** Snapshots of the dead run that nothing will read: staged ones never published, and those undone. */
  expire: string[];
}

/** The sequence number of a wap id of run `runId` (`<run>-<table no>-<seq>`), undefined for another run's. */
function sequenceOf(wapId: string | null, runId: string): number | undefined {
  if (wapId === null || !wapId.startsWith(`${runId}-`)) return undefined;
  const seq = /-(\d+)$/.exec(wapId)?.[1];
  return seq === undefined ? undefined : Number(seq);
}

/**
 * D1  A commit of the dead run is undone when it is on the table's current line of history after
 *     the last commit its marker records as covered, and only when every commit after the first
 *     such one is the dead run's too: the table goes back to that commit's parent (or is emptied
 *     when the dead run created it). A commit by anyone else after them (a row inserted by hand,
 *     another pipeline) is never undone: the dead run's commits stay, and the table falls back to
 *     at-least-once (one WARN).
 * D2  Snapshots of the dead run off the current line (staged and never published, or undone by D1)
 *     are expired, so nothing of it grows the table's metadata.
 */
export function planUndo(rows: readonly Row[], deadRunId: string, covered: string | null): UndoPlan {
  const snapshots = new Map<string, Snapshot>();
  for (const row of rows) {
    const wapId = row.published_wap_id ?? row.wap_id;
    snapshots.set(String(row.snapshot_id), { id: String(row.snapshot_id), parent: row.parent_id == null ? null : String(row.parent_id), wapId: wapId == null ? null : String(wapId) });
  }
  const current = rows.find((r) => r.current_id != null)?.current_id;
  // The current line of history, oldest first.
  const line: Snapshot[] = [];
  for (let id = current == null ? null : String(current); id !== null; ) {
    const snapshot = snapshots.get(id);
    if (!snapshot) break;
    line.unshift(snapshot);
    id = snapshot.parent;
  }
  const coveredSeq = sequenceOf(covered, deadRunId) ?? 0;
  const first = line.findIndex((s) => (sequenceOf(s.wapId, deadRunId) ?? 0) > coveredSeq);
  let kept = line;
  const plan: UndoPlan = { leftBehind: 0, undone: 0, expire: [] };
  if (first >= 0) {
    const after = line.slice(first);
    if (after.every((s) => sequenceOf(s.wapId, deadRunId) !== undefined)) {
      plan.rollbackTo = after[0]!.parent ?? 'empty';
      plan.undone = after.length;
      // Emptying keeps the undone snapshots as ancestors of the delete; they are expired all the same.
      kept = line.slice(0, first);
    } else {
      plan.leftBehind = after.filter((s) => sequenceOf(s.wapId, deadRunId) !== undefined).length;
    }
  }
  const keep = new Set(kept.map((s) => s.id));
  if (current != null && plan.rollbackTo === undefined) keep.add(String(current));
  // Also a staged snapshot of the dead run: its wap id may be one a kept commit published (fast-forward keeps
  // the staged snapshot itself on the line; a cherry-pick leaves it off the line, unused).
  plan.expire = [...snapshots.values()].filter((s) => !keep.has(s.id) && sequenceOf(s.wapId, deadRunId) !== undefined).map((s) => s.id);
  return plan;
}

/** Whether the table exists; false also when its schema does not. Any other failure is thrown. */
async function tableExists(sql: SqlExecutor, ref: TableRef): Promise<boolean> {
  let rows: Row[];
  try {
    rows = await sql.query(showTables(ref));
  } catch (e) {
    if (/SCHEMA_NOT_FOUND|NoSuchDatabaseException|NoSuchNamespaceException/.test(String((e as Error)?.message))) return false;
    throw e;
  }
  return listedTables(rows).has(ref.table.toLowerCase());
}

/**
 * Undoes what a killed run committed to append-only tables that no printed state covers (D1, D2),
 * table by table, before the resumed run loads anything. Throws when a table cannot be cleaned:
 * loading the replay then would duplicate rows.
 */
export async function undoDeadRunAppends(sql: SqlExecutor, deadRunId: string, entries: readonly AppendMarkerEntry[], log: Logger): Promise<void> {
  for (const entry of entries) {
    const ref: TableRef = { catalog: entry.catalog, schema: entry.schema, table: entry.table };
    const name = tableName(ref);
    let rows: Row[];
    try {
      rows = await sql.query(snapshotsWithWapIds(ref));
    } catch (e) {
      // The marker names a table before the run creates it, so a kill in between leaves a marker naming
      // a table that does not exist: nothing was committed to it. Spark does not say "not found" for a
      // metadata table of a missing table (spark_catalog reads `db`.`t`.`snapshots` as a namespace
      // `db`.`t` then: REQUIRES_SINGLE_PART_NAMESPACE), so the table list decides, not the message.
      if (!(await tableExists(sql, ref))) continue;
      throw e;
    }
    const plan = planUndo(rows, deadRunId, entry.covered);
    if (plan.rollbackTo === 'empty') await sql.query(deleteAllRows(ref));
    else if (plan.rollbackTo !== undefined) await sql.query(rollbackToSnapshot(ref, plan.rollbackTo));
    if (plan.undone > 0) log.info(`Undid ${plan.undone} commit(s) of killed run ${deadRunId} to ${name} that no printed state covered (the tap sends their records again)`);
    if (plan.leftBehind > 0) {
      log.warn(
        `Table ${name}: ${plan.leftBehind} commit(s) of killed run ${deadRunId} are not covered by its last state, but another writer committed to the table after them, so they are kept: ` +
          `rows the tap sends again may be loaded twice in ${name} (at-least-once for this table this time)`,
      );
    }
    if (plan.expire.length > 0) await sql.query(expireSnapshotIds(ref, plan.expire));
  }
}
