import type { Column } from '../schema/columns.js';
import type { TableRef } from '../schema/naming.js';
import type { NewTableLayout } from '../schema/table-layout.js';
import { qualifiedName, quoteIdentifier, quoteString } from './quote.js';
import { createTable, tableName } from './statements.js';

/**
 * Statements of exactly-once appends (loading/append-commits.ts, loading/dead-run-appends.ts):
 * Iceberg's write-audit-publish from SQL. With `write.wap.enabled` on a table, an INSERT sent
 * while the session's `spark.wap.id` is set commits a staged snapshot (invisible) tagged with that
 * id; `publish_changes` makes it current and refuses an id already published.
 */

const WAP_PROPERTY = 'write.wap.enabled';

/** A wap id is built by the target alone (run id, table number, sequence): only these characters. */
const WAP_ID = /^[0-9a-f]{12}-\d+-\d+$/;

/**
 * `SET spark.wap.id=<id>`. Spark's SET takes the rest of the statement as the value, quotes
 * included (`SET k='v'` sets `'v'`), so the id cannot go through quoteString: it is checked to
 * hold only the characters the target puts in it instead.
 */
export function setWapId(wapId: string): string {
  if (!WAP_ID.test(wapId)) throw new Error(`not a wap id of this target: ${wapId}`);
  return `SET spark.wap.id=${wapId}`;
}

/** Ends the session's staging: later writes in this session commit as usual. */
export function resetWapId(): string {
  return 'RESET spark.wap.id';
}

/** The table as the procedures' string argument (`schema`.`table`, parsed by Spark's identifier parser). */
function procedureTable(ref: TableRef): string {
  return quoteString(qualifiedName(ref.schema, ref.table));
}

function procedure(ref: TableRef, name: string): string {
  return `CALL ${qualifiedName(ref.catalog, 'system', name)}`;
}

export function publishChanges(ref: TableRef, wapId: string): string {
  return `${procedure(ref, 'publish_changes')}(${procedureTable(ref)}, ${quoteString(wapId)})`;
}

/** The table's current snapshot becomes `snapshotId` (an ancestor of the current one). */
export function rollbackToSnapshot(ref: TableRef, snapshotId: string): string {
  if (!/^-?\d+$/.test(snapshotId)) throw new Error(`not a snapshot id: ${snapshotId}`);
  return `${procedure(ref, 'rollback_to_snapshot')}(${procedureTable(ref)}, ${snapshotId})`;
}

/**
 * Removes exactly the snapshots `ids` (with their files no other snapshot uses). `older_than` at
 * the epoch: without it the procedure would also expire every snapshot older than the table's
 * maximum age, which is the maintenance's business, not this clean-up's.
 */
export function expireSnapshotIds(ref: TableRef, ids: readonly string[]): string {
  for (const id of ids) if (!/^-?\d+$/.test(id)) throw new Error(`not a snapshot id: ${id}`);
  return `${procedure(ref, 'expire_snapshots')}(table => ${procedureTable(ref)}, older_than => TIMESTAMP '1970-01-01 00:00:00', snapshot_ids => array(${ids.join(', ')}))`;
}

/**
 * Every snapshot of the table (staged ones too) with the wap id it was staged with and the one it
 * published, and the table's current snapshot (NULL while it has none). Ancestry is worked out
 * from parent_id: the history table loses entries when snapshots expire.
 */
export function snapshotsWithWapIds(ref: TableRef): string {
  const t = tableName(ref);
  const metadata = (name: string) => `${t}.${quoteIdentifier(name)}`;
  return (
    `SELECT CAST(s.snapshot_id AS STRING) AS snapshot_id, CAST(s.parent_id AS STRING) AS parent_id, s.summary[${quoteString('wap.id')}] AS wap_id, ` +
    `s.summary[${quoteString('published-wap-id')}] AS published_wap_id, CAST(r.snapshot_id AS STRING) AS current_id ` +
    `FROM ${metadata('snapshots')} s LEFT JOIN (SELECT snapshot_id FROM ${metadata('refs')} WHERE name = ${quoteString('main')}) r ON true ORDER BY s.committed_at`
  );
}

/**
 * A new append-only table, created with write-audit-publish on (its loads are staged, then
 * published), with its `layout`'s partition spec and properties (write-audit-publish on whatever
 * they say; the sort order follows the CREATE: sql/layout.ts afterCreate).
 */
export function createAppendTable(ref: TableRef, columns: readonly Pick<Column, 'name' | 'type'>[], layout?: NewTableLayout): string {
  return createTable(ref, columns, false, { partition: layout?.partition ?? [], sort: [], properties: { ...layout?.properties, [WAP_PROPERTY]: 'true' } });
}

export function showWapProperty(ref: TableRef): string {
  return `SHOW TBLPROPERTIES ${tableName(ref)} (${quoteString(WAP_PROPERTY)})`;
}

export function enableWap(ref: TableRef): string {
  return `ALTER TABLE ${tableName(ref)} SET TBLPROPERTIES (${quoteString(WAP_PROPERTY)}=${quoteString('true')})`;
}

/** Empties a table every snapshot of which the clean-up removes (it had none before them). */
export function deleteAllRows(ref: TableRef): string {
  return `DELETE FROM ${tableName(ref)}`;
}
