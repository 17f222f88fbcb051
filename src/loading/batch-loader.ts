import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { Logger } from '../logging.js';
import type { Metrics } from '../metrics.js';
import type { Progress } from '../engine/progress.js';
import type { ExecutorPool } from '../spark/executor-pool.js';
import type { SqlExecutor } from '../spark/executor.js';
import type { BatchFile } from '../staging/batch-file.js';
import type { ObjectStore } from '../storage/object-store.js';
import { describeFile, matchFileFields, namesNoColumn, tableName, type FileField, type LoadColumn, type LoadPlan, type StagedBatch } from '../sql/statements.js';
import { compileLoad, type CompiledLoad } from '../sql/compile-load.js';
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
  createsTable?: { keyed: boolean; layout?: NewTableLayout };
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
          batch.createsTable
            ? `Creating ${tableName(batch.table)} with ${batch.file.rowCount} row(s) of stream '${batch.stream}' (CREATE TABLE ... AS SELECT)`
            : `Running the ${batch.mode} of ${batch.file.rowCount} row(s) of stream '${batch.stream}' into ${tableName(batch.table)}${namesNoColumn(plan) ? ', naming no column' : ''}`,
        );
        const loading = this.progress?.begin('load', `${batch.createsTable ? 'CREATE TABLE AS SELECT' : batch.mode.toUpperCase()} into ${tableName(batch.table)}`);
        try {
          const compiled = compileLoad(plan, batch.createsTable);
          statementMs = await this.run(sql, compiled);
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
   * the table's columns. Returns false, having loaded nothing, when they do not.
   */
  async loadParquetFile(batch: Omit<BatchToLoad, 'file'>, location: string): Promise<boolean> {
    const started = Date.now();
    // Two statements: what the file holds, then the load that reads it by path.
    return this.pool.withExecutor(async (sql) => {
      const fields: FileField[] = describedColumns(await sql.query(describeFile(location)));
      const fileFields = matchFileFields(
        batch.columns.map((c) => c.column),
        fields,
        batch.keyColumns,
      );
      if (!fileFields) return false;
      await this.run(sql, compileLoad(loadPlan(batch, { location, format: 'parquet', fileFields })));
      this.log.info(`Loaded ${location} of stream '${batch.stream}' into ${tableName(batch.table)} directly (${batch.mode}, ${Date.now() - started} ms)`);
      return true;
    });
  }

  /**
   * Sends a compiled load in `sql`'s session: the statements before it, the load statement and
   * those that follow its success, and those that put the session back, whatever happened.
   * Returns the milliseconds of the load statement and those that follow it.
   */
  private async run(sql: SqlExecutor, load: CompiledLoad): Promise<number> {
    try {
      for (const { sql: statement, optional } of load.before) {
        if (optional) await sql.query(statement).catch((e: Error) => this.log.debug(`Planning setting not applied: ${e.message}`));
        else await sql.query(statement);
      }
      let ms = await timed(sql, load.statement);
      for (const statement of load.then) ms += await timed(sql, statement);
      return ms;
    } finally {
      for (const statement of load.after) await sql.query(statement).catch((e: Error) => this.log.warn(`Cleanup failed to reset a planning setting: ${e.message}`));
    }
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

/** Runs one statement; returns its milliseconds. */
async function timed(sql: SqlExecutor, statement: string): Promise<number> {
  const started = Date.now();
  await sql.query(statement);
  return Date.now() - started;
}
