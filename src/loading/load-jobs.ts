import type { TargetConfig } from '../config/config.js';
import type { DirectLoad, SinkJobs } from '../engine/sink.js';
import type { ClosedBatch, LayoutFit } from '../engine/stream-sink.js';
import { fittedColumns } from '../engine/stream-sink.js';
import type { S3Location } from '../batching/batch-messages.js';
import type { Progress } from '../engine/progress.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { TableRef } from '../schema/naming.js';
import { layoutColumnProblem, streamLayoutFor } from '../schema/table-layout.js';
import type { ExecutorPool } from '../spark/executor-pool.js';
import { tableName, type LoadColumn, type LoadMode } from '../sql/statements.js';
import type { StateEmitter } from '../state/state-emitter.js';
import type { StateTracker } from '../state/state-tracker.js';
import { appendsExactlyOnce, type AppendCommits } from './append-commits.js';
import type { BatchLoader, BatchToLoad } from './batch-loader.js';
import type { Job, LoadCoordinator } from './load-coordinator.js';
import { parquetFileJob } from './parquet-direct.js';
import type { TableMaintenance } from './table-maintenance.js';
import type { TouchedPartitions } from './touched-partitions.js';
import type { TableManager, TableRequest } from './table-manager.js';
import { versionRetirementJob } from './version-retirement.js';

export interface LoadJobParts {
  config: TargetConfig;
  log: Logger;
  progress: Progress;
  coordinator: LoadCoordinator;
  tables: TableManager;
  loader: BatchLoader;
  pool: ExecutorPool;
  tracker: StateTracker;
  states: StateEmitter;
  /** The snapshots the run added per table and, opt-in, the tables' maintenance (loading/table-maintenance.ts). */
  upkeep: TableMaintenance;
  appends: AppendCommits;
  /** The partitions each table's commits wrote, for compaction restricted to them (loading/touched-partitions.ts). */
  partitions?: TouchedPartitions;
}

/**
 * Every change a sink makes to its table, as a job for the coordinator (slots, the table's lane,
 * failure: C1-C5), with its state hold (R2): each change is held before any later STATE is seen
 * and committed only by the job that made it durable. The one place jobs are made.
 */
export class LoadJobs implements SinkJobs {
  private holds = 0;
  /** A new hold id (a batch's, or one change's); bound, so the record path passes it without a closure. */
  readonly newHold = (): number => ++this.holds;

  constructor(private readonly parts: LoadJobParts) {}

  /**
   * Change `hold` now carries a record of the tap's stream `source` at input line `line`, of a
   * stream `keyed` or not (an unkeyed one may be an exactly-once append: StateTracker S5).
   */
  hold(hold: number, source: string, line: number, keyed: boolean): boolean {
    const exact = appendsExactlyOnce(this.parts.config.load_method, keyed);
    this.parts.tracker.hold(hold, source, line, exact);
    return exact;
  }

  /** A new hold for one change (a version retirement, a direct file load), registered at once. */
  holdChange(source: string, line: number): number {
    const hold = this.newHold();
    this.parts.tracker.hold(hold, source, line);
    return hold;
  }

  /**
   * Makes the table fit a layout: a DDL job in the table's lane that fills `fit` (with the
   * columns `adopt` makes of the table's types). Not awaited: every batch of the layout loads
   * after it (C3). With `wait`, the job's promise is returned (it rejects when the job fails;
   * the failure fails the run through the coordinator either way).
   */
  fitTable(request: TableRequest, fit: LayoutFit, adopt: (fitted: LoadColumn[]) => LoadColumn[], wait: boolean): Promise<void> | undefined {
    // A layout naming a column the stream lacks fails here, at the SCHEMA, before any of its rows is loaded.
    const layoutProblem = layoutColumnProblem(request.stream, streamLayoutFor(request.stream, this.parts.config), request.columns);
    if (layoutProblem) throw new ConfigError(layoutProblem);
    const job: Job = {
      lane: tableName(request.table),
      slot: true,
      backpressure: false,
      run: async () => {
        const fitted = await this.parts.tables.ensure(request);
        fit.columns = adopt(fitted.columns);
        fit.wholeTable = fitted.wholeTable;
      },
    };
    if (!wait) {
      this.submit(job);
      return undefined;
    }
    return this.parts.coordinator.run(job);
  }

  /** Loads a closed batch (a job in the table's lane holding its file); its commit writes the state it made safe. */
  loadBatch(batch: ClosedBatch, mode: LoadMode): void {
    const { config, tables, loader, tracker, states } = this.parts;
    // S5: the batch's positions are final; a state is emittable for its streams only after it is wholly covered.
    tracker.seal(batch.hold);
    this.submit({
      lane: tableName(batch.table),
      slot: true,
      // The columns are those the file was written with; DDL for a newer layout runs after this job (C3).
      run: () =>
        loader.load({
          // The first batch of a table found absent creates it (TableManager.takeDeferred).
          createsTable: tables.takeDeferred(batch.table),
          stream: batch.stream,
          table: batch.table,
          columns: fittedColumns(batch.fit, batch.stream),
          wholeTable: batch.fit.wholeTable,
          keyColumns: batch.keyColumns,
          keyBounds: batch.keyBounds,
          mode,
          hardDelete: config.hard_delete,
          file: batch.file,
          ...this.exactAppend(mode, batch.keyColumns.length > 0, batch.hold),
        }),
      discard: () => batch.file.discard(),
      onCommitted: () => {
        tracker.commit(batch.hold);
        this.changed(batch.table, batch);
        states.committed();
      },
    });
  }

  /** Creates the table if the run has not yet (a DDL job in its lane: it takes a slot). */
  createTable(table: TableRef): void {
    this.submit({ lane: tableName(table), slot: true, backpressure: false, run: () => this.parts.tables.materialize(table) });
  }

  /** Retires rows of versions before `version` (after the table exists and the rows staged before). */
  retireVersions(stream: string, table: TableRef, version: number, hold: number): void {
    const { pool, log, config, tracker } = this.parts;
    this.createTable(table);
    this.submit(
      versionRetirementJob(pool, log, { stream, table, version, hardDelete: config.hard_delete }, (retired) => {
        tracker.commit(hold);
        if (retired > 0) this.changed(table);
      }),
    );
  }

  /**
   * Loads a tap's Parquet file straight from S3 and waits for it: true when it was loaded, false
   * when its fields do not fit the table (its rows then take the record path).
   */
  async loadParquetFile(load: DirectLoad, location: S3Location, hold: number): Promise<boolean> {
    const { config, progress, coordinator, tracker, states } = this.parts;
    let loaded = false;
    // The fit is read when the job runs: the layout's set-up job runs before it (C3).
    const request = () => ({
      stream: load.stream,
      table: load.table,
      columns: fittedColumns(load.fit, load.stream),
      wholeTable: load.fit.wholeTable,
      keyColumns: load.keyColumns,
      mode: load.mode,
      hardDelete: config.hard_delete,
      refuseNullKeys: config.primary_key_required,
      // An append-only file is a tagged commit like a staged batch (A1-A4); its hold is one input line, so whole.
      ...this.exactAppend(load.mode, load.keyColumns.length > 0, hold),
    });
    // Loaded or not, nothing of this file is pending any more (if not, its rows follow as records).
    const committed = () => {
      tracker.commit(hold);
      if (loaded) this.changed(load.table);
      states.committed();
    };
    const job = coordinator.run(parquetFileJob(this.parts, load.table, request, location, (fits) => (loaded = fits), committed));
    await progress.wait('loads', job);
    return loaded;
  }

  /**
   * The exactly-once part of a load of `mode` (AppendCommits, A1-A4), or nothing: read when the
   * job runs, with the input positions of the change `hold` (whole batches: StateTracker S5).
   */
  private exactAppend(mode: LoadMode, keyed: boolean, hold: number): Pick<BatchToLoad, 'append'> {
    const { config, appends, tracker } = this.parts;
    if (mode !== 'insert' || !appendsExactlyOnce(config.load_method, keyed)) return {};
    return { append: { commits: appends, positions: tracker.positionsOf(hold) ?? [] } };
  }

  /**
   * With `maintenance`, the changed tables' maintenance after the run's last state (M2: never
   * before it, so it never holds back what the tap may resume from); then, every job done, what
   * the run added to each changed table is read for the summary (maintenance reads its tables'
   * first). Waits for every job.
   */
  async maintainTables(): Promise<void> {
    const { upkeep, coordinator } = this.parts;
    for (const job of upkeep.finalJobs()) this.submit(job);
    await coordinator.drain();
    upkeep.finish();
    await upkeep.readAdditions(coordinator.parallelism);
  }

  /**
   * A job committed a snapshot into `table`: counted for the summary, and its maintenance queued
   * when due. `batch`: the staged batch it loaded (what it wrote into partition columns); without
   * one the rows are not known, and the table is compacted whole.
   */
  private changed(table: TableRef, batch?: ClosedBatch): void {
    const types = batch?.fit.columns ? new Map(batch.fit.columns.map((c) => [c.column.name, c.tableType])) : undefined;
    this.parts.partitions?.committed(table, batch?.partitionTouches, types);
    const maintenance = this.parts.upkeep.committed(table);
    if (maintenance) this.submit(maintenance);
  }

  private submit(job: Job): void {
    void this.parts.coordinator.submit(job);
  }
}
