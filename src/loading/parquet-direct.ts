import type { BatchFileLocation, BatchMessage, S3Location } from '../batching/batch-messages.js';
import type { TargetConfig } from '../config/config.js';
import type { TableRef } from '../schema/naming.js';
import { tableName } from '../sql/statements.js';
import type { BatchLoader, BatchToLoad } from './batch-loader.js';
import type { Job } from './load-coordinator.js';
import type { TableManager } from './table-manager.js';

/**
 * A tap's file the lakehouse may read itself: Parquet on S3, and the stream's records need
 * nothing the target does to each record (flattening, validation). Whether its fields fit the
 * table is found out by the load (BatchLoader.loadParquetFile).
 */
export function directlyLoadable(message: BatchMessage, location: BatchFileLocation, config: TargetConfig): location is S3Location {
  return message.encoding.format === 'parquet' && location.scheme === 's3' && config.data_flattening_max_level <= 0 && !config.validate_records;
}

/**
 * The job that loads a tap's Parquet file straight from S3 into the table, in the table's lane
 * after the rows staged before it. `loaded` is told whether the file's fields fit (if not,
 * nothing was loaded and its rows follow as records); either way nothing of the file is pending
 * once it commits. An append-only stream's file is an exactly-once append (the request's
 * `append`: AppendCommits, A1-A4), as a staged batch is.
 */
export function parquetFileJob(
  parts: { tables: TableManager; loader: BatchLoader },
  table: TableRef,
  /** Read when the job runs (the table's fit of the layout is filled by then). */
  request: () => Omit<BatchToLoad, 'file'>,
  location: S3Location,
  loaded: (fits: boolean) => void,
  onCommitted: () => void,
): Job {
  return {
    lane: tableName(table),
    slot: true,
    run: async () => {
      await parts.tables.materialize(table);
      loaded(await parts.loader.loadParquetFile(request(), `s3a://${location.bucket}/${location.key}`));
    },
    onCommitted,
  };
}
