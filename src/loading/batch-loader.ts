import type { AppendCommits } from './append-commits.js';
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { firstLine, LoadError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../metrics.js';
import type { Progress } from '../engine/progress.js';
import type { ExecutorPool } from '../spark/executor-pool.js';
import type { BatchFile } from '../staging/batch-file.js';
import type { ObjectStore } from '../storage/object-store.js';
import { describeFile, matchFileFields, namesNoColumn, tableName, type FileField, type LoadColumn, type LoadPlan, type StagedBatch } from '../sql/statements.js';
import { compileLoad } from '../sql/compile-load.js';
import { runCompiled } from './run-compiled.js';
import { describedColumns } from '../sql/described-columns.js';
import type { NewTableLayout } from '../schema/table-layout.js';

export interface BatchToLoad extends Omit<LoadPlan, 'batch'> {
  stream: string;
  columns: readonly LoadColumn[];
  file: BatchFile;
  /**
   * The table does not exist yet: the load creates it (CREATE TABLE ... AS SELECT, see
   * TableManager), with its layout (partition spec, properties; the sort order follows at once).
   */
  createsTable?: { keyed: boolean; layout?: NewTableLayout; columns?: readonly Pick<LoadColumn['column'], 'name' | 'type'>[] };
  /** An exactly-once append: staged and published by AppendCommits, with the batch's input positions. */
  append?: { commits: AppendCommits; positions: ReadonlyArray<readonly [string, number]> };
}

/**
 * Loads one finished batch file: upload, then one MERGE / INSERT that reads the staged Parquet
 * file by path, and in every case removes the staged object and the local file, keeping the
 * original error.
 */
export class BatchLoader {
  private sequence = 0;
  readonly runId = randomUUID().replace(/-/g, '').slice(0, 12);

  constructor(
    private readonly pool: ExecutorPool,
    private readonly store: ObjectStore,
    private readonly keyPrefix: string,
    private readonly log: Logger,
    private readonly metrics?: Metrics,
    private readonly progress?: Progress,
  ) {}

  async load(batch: BatchToLoad): Promise<void> {
    this.sequence += 1;
    // Under the run's own folder, so what a killed run left is found by its id (staging/leftovers.ts).
    const key = `${this.keyPrefix}${this.runId}/${batch.table.schema}/${batch.table.table}/${this.sequence}-${basename(batch.file.path)}`;
    let uploaded = false;
    let ok = false;
    const started = Date.now();
    let uploadMs = 0;
    let statementMs = 0;
    try {
      await batch.file.finish();
      const uploadStarted = Date.now();
      const uploading = this.progress?.begin('upload', tableName(batch.table));
      let location: string;
      try {
        location = await this.store.upload(batch.file.path, key);
      } finally {
        if (uploading !== undefined) this.progress?.end(uploading);
      }
      uploadMs = Date.now() - uploadStarted;
      uploaded = true;
      this.log.debug(`Staged ${batch.file.rowCount} row(s) of stream '${batch.stream}' as ${location}`);
      // One statement per batch: the load reads the staged file by path (no view to create or drop).
      const plan = loadPlan(batch, { location, format: 'staged' });
      await this.pool.withExecutor(async (sql) => {
        this.log.debug(
          batch.createsTable && !batch.append
            ? `Creating ${tableName(batch.table)} with ${batch.file.rowCount} row(s) of stream '${batch.stream}' (CREATE TABLE ... AS SELECT)`
            : `Running the ${batch.mode} of ${batch.file.rowCount} row(s) of stream '${batch.stream}' into ${tableName(batch.table)}${namesNoColumn(plan) ? ', naming no column' : ''}`,
        );
        const loading = this.progress?.begin('load', `${batch.createsTable ? 'CREATE TABLE AS SELECT' : batch.mode.toUpperCase()} into ${tableName(batch.table)}`);
        try {
          const creates = batch.createsTable;
          // An exactly-once append is staged, then published, by AppendCommits (it creates its own table).
          if (batch.append) statementMs = await batch.append.commits.load(sql, plan, batch.append.positions, creates);
          else statementMs = await runCompiled(sql, compileLoad(plan, creates), this.log);
        } finally {
          if (loading !== undefined) this.progress?.end(loading);
        }
        this.progress?.committed(tableName(batch.table), batch.file.rowCount);
      });
      ok = true;
      this.log.info(
        `Loaded ${batch.file.rowCount} row(s) of stream '${batch.stream}' into ${batch.createsTable ? 'new table ' : ''}${tableName(batch.table)} ` +
          `(${batch.mode}, ${Date.now() - started} ms: upload ${uploadMs} ms, statement ${statementMs} ms)`,
      );
    } finally {
      this.metrics?.batchLoaded({
        stream: batch.stream,
        table: tableName(batch.table),
        rows: batch.file.rowCount,
        seconds: (Date.now() - started) / 1000,
        mode: batch.mode,
        ok,
      });
      await this.cleanup(batch.file, uploaded ? key : undefined);
    }
  }

  /**
   * Loads a tap's Parquet file straight from S3 (no download, no re-encoding) when its fields fit
   * the table's columns. Returns false, having loaded nothing, when they do not. An exactly-once
   * append (`append`) is staged and published by AppendCommits, like a staged batch's; a file that
   * does not fit commits nothing and names no table in the run marker.
   */
  async loadParquetFile(batch: Omit<BatchToLoad, 'file'>, location: string): Promise<boolean> {
    const started = Date.now();
    // Two statements: what the file holds, then the load that reads it by path.
    return this.pool.withExecutor(async (sql) => {
      let fields: FileField[];
      try {
        fields = describedColumns(await sql.query(describeFile(location)));
      } catch (e) {
        // Spark cannot read every Parquet file a tap writes (pyarrow writes a decimal of more than 38
        // digits, which Spark has no type for; or the lakehouse may not read the tap's bucket): the
        // target reads the file itself then, as it does any file the lakehouse does not load.
        if (!(e instanceof LoadError && e.serverMessage !== undefined)) throw e;
        this.log.info(`The lakehouse cannot read ${location} of stream '${batch.stream}' (${firstLine(e.serverMessage)}): the target reads its rows itself`);
        return false;
      }
      const fileFields = matchFileFields(
        batch.columns.map((c) => c.column),
        fields,
        batch.keyColumns,
      );
      if (!fileFields) return false;
      const plan = loadPlan(batch, { location, format: 'parquet', fileFields });
      if (batch.append) await batch.append.commits.load(sql, plan, batch.append.positions);
      else await runCompiled(sql, compileLoad(plan), this.log);
      this.log.info(`Loaded ${location} of stream '${batch.stream}' into ${tableName(batch.table)} directly (${batch.mode}, ${Date.now() - started} ms)`);
      return true;
    });
  }

  private async cleanup(file: BatchFile, key: string | undefined): Promise<void> {
    if (key !== undefined) {
      await this.store.remove([key]).catch((e: Error) => this.log.warn(`Cleanup failed to delete staged object ${key}: ${e.message}`));
    }
    await file.discard().catch((e: Error) => this.log.warn(`Cleanup failed to delete local file ${file.path}: ${e.message}`));
  }
}

/** The plan of a batch read from the file at `staged.location`, as the batch's columns. */
function loadPlan(batch: Omit<BatchToLoad, 'file'>, staged: Omit<StagedBatch, 'columns'>): LoadPlan {
  return { ...batch, batch: { ...staged, columns: batch.columns } };
}
