import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { Logger } from '../logging.js';
import type { ExecutorPool } from '../spark/executor-pool.js';
import type { BatchFile } from '../staging/batch-file.js';
import type { ObjectStore } from '../storage/object-store.js';
import { createStageView, dropView, loadStatement, tableName, type LoadColumn, type LoadPlan } from '../sql/statements.js';

export interface BatchToLoad extends Omit<LoadPlan, 'batch'> {
  stream: string;
  columns: readonly LoadColumn[];
  file: BatchFile;
}

/**
 * Loads one finished batch file: upload, temporary view over it, one MERGE / INSERT, and in every
 * case removes the view, the staged object and the local file, keeping the original error. The
 * view and the load run in one session (temporary views are per session).
 */
export class BatchLoader {
  private sequence = 0;
  readonly runId = randomUUID().replace(/-/g, '').slice(0, 12);

  constructor(
    private readonly pool: ExecutorPool,
    private readonly store: ObjectStore,
    private readonly keyPrefix: string,
    private readonly log: Logger,
  ) {}

  async load(batch: BatchToLoad): Promise<void> {
    this.sequence += 1;
    const key = `${this.keyPrefix}${batch.table.schema}/${batch.table.table}/${this.runId}/${this.sequence}-${basename(batch.file.path)}`;
    const view = `stage_${this.runId}_${this.sequence}`;
    let uploaded = false;
    const started = Date.now();
    try {
      await batch.file.finish();
      const location = await this.store.upload(batch.file.path, key);
      uploaded = true;
      const plan: LoadPlan = { ...batch, batch: { view, location, format: 'json', columns: batch.columns } };
      await this.pool.withExecutor(async (sql) => {
        await sql.query(createStageView(plan.batch));
        try {
          await sql.query(loadStatement(plan));
        } finally {
          await sql.query(dropView(view)).catch((e: Error) => this.log.warn(`Cleanup failed to drop view ${view}: ${e.message}`));
        }
      });
      this.log.info(
        `Loaded ${batch.file.rowCount} row(s) of stream '${batch.stream}' into ${tableName(batch.table)} ` +
          `(${batch.mode}, ${Date.now() - started} ms)`,
      );
    } finally {
      await this.cleanup(batch.file, uploaded ? key : undefined);
    }
  }

  private async cleanup(file: BatchFile, key: string | undefined): Promise<void> {
    if (key !== undefined) {
      await this.store.remove([key]).catch((e: Error) => this.log.warn(`Cleanup failed to delete staged object ${key}: ${e.message}`));
    }
    await file.discard().catch((e: Error) => this.log.warn(`Cleanup failed to delete local file ${file.path}: ${e.message}`));
  }
}
