import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { Logger } from '../logging.js';
import type { Column } from '../schema/columns.js';
import type { TableRef } from '../schema/naming.js';
import type { SqlExecutor } from '../spark/executor.js';
import type { BatchFile } from '../staging/batch-file.js';
import type { ObjectStore } from '../storage/object-store.js';
import { createStageView, dropView, insertBatch, mergeBatch, tableName, type StagedBatch } from '../sql/statements.js';

export interface BatchToLoad {
  stream: string;
  table: TableRef;
  columns: readonly Column[];
  /** Key columns (table names); empty means append. */
  keyColumns: readonly string[];
  file: BatchFile;
}

/**
 * Loads one finished batch file: upload, temporary view over it, MERGE (keyed) or INSERT, and in
 * every case removes the view, the staged object and the local file, keeping the original error.
 */
export class BatchLoader {
  private sequence = 0;
  private readonly runId = randomUUID().replace(/-/g, '').slice(0, 12);

  constructor(
    private readonly sql: SqlExecutor,
    private readonly store: ObjectStore,
    private readonly keyPrefix: string,
    private readonly log: Logger,
  ) {}

  async load(batch: BatchToLoad): Promise<void> {
    this.sequence += 1;
    const key = `${this.keyPrefix}${batch.table.schema}/${batch.table.table}/${this.runId}/${this.sequence}-${basename(batch.file.path)}`;
    const view = `stage_${this.runId}_${this.sequence}`;
    let uploaded = false;
    let viewCreated = false;
    const started = Date.now();
    try {
      await batch.file.finish();
      const location = await this.store.upload(batch.file.path, key);
      uploaded = true;
      const staged: StagedBatch = { view, location, format: 'json', columns: batch.columns };
      await this.sql.query(createStageView(staged));
      viewCreated = true;
      const statement = batch.keyColumns.length > 0 ? mergeBatch(batch.table, staged, batch.keyColumns) : insertBatch(batch.table, staged);
      await this.sql.query(statement);
      this.log.info(
        `Loaded ${batch.file.rowCount} row(s) of stream '${batch.stream}' into ${tableName(batch.table)} ` +
          `(${batch.keyColumns.length > 0 ? 'merge' : 'insert'}, ${Date.now() - started} ms)`,
      );
    } finally {
      await this.cleanup(batch, view, viewCreated, uploaded ? key : undefined);
    }
  }

  private async cleanup(batch: BatchToLoad, view: string, viewCreated: boolean, key: string | undefined): Promise<void> {
    const steps: Array<[string, () => Promise<unknown>]> = [];
    if (viewCreated) steps.push([`drop view ${view}`, () => this.sql.query(dropView(view))]);
    if (key !== undefined) steps.push([`delete staged object ${key}`, () => this.store.remove([key])]);
    steps.push([`delete local file ${batch.file.path}`, () => batch.file.discard()]);
    for (const [what, step] of steps) {
      try {
        await step();
      } catch (e) {
        this.log.warn(`Cleanup failed to ${what}: ${(e as Error).message}`);
      }
    }
  }
}
