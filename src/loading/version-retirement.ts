import type { Logger } from '../logging.js';
import { DELETED_AT } from '../schema/metadata.js';
import type { TableRef } from '../schema/naming.js';
import type { ExecutorPool } from '../spark/executor-pool.js';
import { countOldVersions, retireOldVersions, tableName } from '../sql/statements.js';
import type { Job } from './load-coordinator.js';

export interface Retirement {
  stream: string;
  table: TableRef;
  /** The version an ACTIVATE_VERSION made active: rows of older versions are retired. */
  version: number;
  hardDelete: boolean;
}

/**
 * The job that retires rows of versions older than the active one (ACTIVATE_VERSION): never `<=`,
 * never rows without a version. It runs in the table's lane after the rows staged before it, and
 * takes no slot (one statement, no file). `onCommitted` releases its state hold and is told how many
 * rows were retired (none: no snapshot was committed).
 */
export function versionRetirementJob(pool: ExecutorPool, log: Logger, retirement: Retirement, onCommitted: (retired: number) => void): Job {
  const { stream, table, version, hardDelete } = retirement;
  let retired = 0;
  return {
    lane: tableName(table),
    slot: false,
    run: async () => {
      const now = new Date().toISOString().replace('T', ' ');
      // Spark returns no row count for UPDATE and DELETE on Iceberg: the rows are counted first.
      const [counted] = await pool.query(countOldVersions(table, version, hardDelete));
      const rows = Number(counted?.n ?? 0);
      retired = rows;
      if (rows > 0) await pool.query(retireOldVersions(table, version, hardDelete, now));
      log.info(`Version ${version} of stream '${stream}' is active: ${rows} row(s) of older versions ${hardDelete ? 'deleted' : `marked in ${DELETED_AT}`}`);
    },
    onCommitted: () => onCommitted(retired),
  };
}
