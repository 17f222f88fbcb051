import { readBatchRows, type BatchMessage, type OpenS3Object, type S3Location } from '../batching/batch-messages.js';
import type { TargetConfig } from '../config/config.js';
import type { Progress } from '../engine/progress.js';
import type { RecordMessage } from '../singer/messages.js';
import { directlyLoadable } from './parquet-direct.js';

export interface BatchReading {
  config: TargetConfig;
  progress: Progress;
  open: OpenS3Object;
  /** Where Parquet files from S3 are spooled. */
  tempDir: string;
  /** Loads a file on S3 directly (true) or says its fields do not fit (false); absent for a mapped stream. */
  loadDirectly?: (location: S3Location) => Promise<boolean>;
  /** Stages one record of a file; `file` names the file's row. */
  record: (record: RecordMessage, file: string) => Promise<void> | void;
}

/**
 * A BATCH message's files, one after another: a tap's Parquet file on S3 is loaded by the
 * lakehouse when it can be (see directlyLoadable), any other file's records take the RECORD path
 * one by one (streamed, never a whole file in memory). Returns the number of records staged.
 */
export async function readBatchFiles(message: BatchMessage, line: number, reading: BatchReading): Promise<number> {
  let count = 0;
  for (const location of message.manifest) {
    if (reading.loadDirectly && directlyLoadable(message, location, reading.config) && (await reading.loadDirectly(location))) continue;
    const single = { ...message, manifest: [location] };
    for await (const row of readBatchRows(single, reading.open, { line, tempDir: reading.tempDir })) {
      reading.progress.batchRecord();
      await reading.record({ type: 'RECORD', stream: message.stream, record: row.record }, `${row.url} row ${row.row}`);
      count += 1;
    }
  }
  return count;
}
