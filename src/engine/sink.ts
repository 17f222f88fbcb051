import { hardSizeTrigger, sizeTrigger } from '../batching/flush-policy.js';
import type { S3Location } from '../batching/batch-messages.js';
import type { Column } from '../schema/columns.js';
import type { TableRef } from '../schema/naming.js';
import type { RecordMessage, SchemaMessage } from '../singer/messages.js';
import type { ScannedRecord } from '../singer/record-scan.js';
import type { LoadColumn, LoadMode } from '../sql/statements.js';
import type { Progress } from './progress.js';
import { StreamSink, type ClosedBatch, type LayoutFit, type SinkSettings } from './stream-sink.js';

/** What a direct file load needs of its stream. */
export interface DirectLoad {
  stream: string;
  table: TableRef;
  fit: LayoutFit;
  keyColumns: readonly string[];
  mode: LoadMode;
}

/**
 * Every change a sink makes to its table, as a job with its state hold (R2). Implemented by
 * loading/load-jobs.ts:LoadJobs; declared here so the engine does not import upwards.
 */
export interface SinkJobs {
  /** A new hold id; a bound function, passed on the record path without a closure. */
  readonly newHold: () => number;
  /** Adds a record's position to batch `hold`; true when the batch is an exactly-once append (S5 in state/state-tracker.ts). */
  hold(hold: number, source: string, line: number, keyed: boolean): boolean;
  holdChange(source: string, line: number): number;
  fitTable(
    request: { stream: string; table: TableRef; columns: readonly Column[]; keyColumns: readonly string[]; reason?: string },
    fit: LayoutFit,
    adopt: (fitted: LoadColumn[]) => LoadColumn[],
    wait: boolean,
  ): Promise<void> | undefined;
  loadBatch(batch: ClosedBatch, mode: LoadMode): void;
  createTable(table: TableRef): void;
  retireVersions(stream: string, table: TableRef, version: number, hold: number): void;
  loadParquetFile(load: DirectLoad, location: S3Location, hold: number): Promise<boolean>;
}

export interface SinkContext {
  progress: Progress;
  /** Makes every change to the table a job with its state hold (loading/load-jobs.ts). */
  jobs: SinkJobs;
  /** The router's flush of full batches (flush_all_streams flushes every stream). */
  flushDue: (sinks: readonly Sink[]) => Promise<void>;
}

/**
 * One stream's lifecycle, as a Singer SDK sink has it: set-up of its table for each layout, add
 * (record -> its StreamSink -> the open batch file), close (the batch becomes a load job),
 * activate version, overwrite (the first load of the run replaces the table's rows), the
 * table's creation at the end of the input, discard after a failure. Its state is private; the
 * router only calls these steps, one message at a time (R1).
 */
export class Sink {
  private readonly writer: StreamSink;
  /**
   * The set-up job of a layout with number columns, until it finishes: the next record waits for
   * it (StreamSink.adoptTableTypes may change how numbers are staged).
   */
  private settingUp?: Promise<void>;
  /** With load_method overwrite: the table's old rows were replaced by this run's first load. */
  private overwritten = false;
  /** Why the open batch is full, while it waits for the tap's next STATE (see held). */
  private full: string | undefined;

  constructor(
    message: SchemaMessage,
    line: number,
    private readonly settings: SinkSettings,
    private readonly context: SinkContext,
  ) {
    this.writer = new StreamSink(message.stream, message, settings, line);
    this.setUp();
  }

  get stream(): string {
    return this.writer.stream;
  }

  get table(): TableRef {
    return this.writer.table;
  }

  /** A scanned line may be staged now (addScanned): the layout allows it and no set-up is awaited. */
  get scannable(): boolean {
    return this.writer.scannable && this.settingUp === undefined;
  }

  /** The open batch's measures for the flush policy, or undefined when none is open. */
  get openBatch(): StreamSink['openBatch'] {
    return this.writer.openBatch;
  }

  /** A SCHEMA for the stream after its first: a changed layout loads what it staged, then refits the table. */
  schema(message: SchemaMessage, line: number): void {
    if (this.writer.sameSchema(message)) return;
    // Rows staged under the old layout are loaded before the table changes shape; the DDL job
    // then runs in the table's lane, after those loads (C3).
    this.close();
    this.writer.applySchema(message, line);
    this.setUp();
  }

  /**
   * Stages a parsed record (`source`: the tap's stream, for state; `file`: the BATCH file row it
   * came from). Returns a promise only when it waits: for the table's set-up, or for a load slot
   * when it fills the batch.
   */
  add(message: RecordMessage, line: number, source: string, file?: string): Promise<void> | void {
    if (message.version !== undefined && !this.writer.versioned && this.settings.config.process_activate_version_messages) {
      this.startVersioning(`the versioned ${file ? 'BATCH row' : 'RECORD'} at line ${line}`);
    }
    const setUp = this.settingUp;
    if (setUp) return this.context.progress.wait('setup', setUp).then(() => this.stage(message, line, source, file));
    return this.stage(message, line, source, file);
  }

  /** The same as add() for a line read by scanRecordLine (only when `scannable`). */
  addScanned(scan: ScannedRecord, line: number): Promise<void> | void {
    return this.held(this.writer.addScanned(scan, line, this.context.jobs.newHold), this.writer.stream, line);
  }

  /** Hands the open batch, if it holds rows, to the coordinator as a load job in the table's lane. */
  close(): void {
    this.full = undefined;
    const batch = this.writer.close();
    if (!batch) return;
    const mode = this.takeLoadMode();
    this.context.progress.counts.batches += 1;
    this.settings.log.debug(`Closed batch ${batch.file.path} of stream '${batch.stream}': ${batch.file.rowCount} row(s), ${batch.file.bytes} byte(s), loading as ${mode}`);
    this.context.jobs.loadBatch(batch, mode);
  }

  /**
   * ACTIVATE_VERSION: rows of this version still pending go into the table before older ones
   * are retired; the retirement is the next job in the table's lane and holds state like any change.
   */
  activateVersion(version: number, line: number, source: string): void {
    if (!this.writer.versioned) this.startVersioning(`ACTIVATE_VERSION at line ${line}`);
    this.close();
    const hold = this.context.jobs.holdChange(source, line);
    this.context.jobs.retireVersions(this.stream, this.table, version, hold);
  }

  /**
   * A tap's Parquet file on S3, loaded by the lakehouse itself when its fields fit the table: a
   * load job in the table's lane after the rows staged before it, awaited because a file that
   * does not fit takes the record path (false).
   */
  async loadParquet(location: S3Location, line: number): Promise<boolean> {
    this.close();
    const mode = this.takeLoadMode();
    const hold = this.context.jobs.holdChange(this.stream, line);
    const load: DirectLoad = { stream: this.stream, table: this.table, fit: this.writer.fit, keyColumns: this.writer.keyColumns, mode };
    const loaded = await this.context.jobs.loadParquetFile(load, location, hold);
    // Nothing replaced the table's rows: the first batch of the file's records does.
    if (!loaded && mode === 'overwrite') this.overwritten = false;
    return loaded;
  }

  /** End of the input: the table exists even when the stream loaded no rows (a job after its loads). */
  finish(): void {
    this.context.jobs.createTable(this.table);
  }

  /** After a failure or signal: removes the open batch file. */
  discard(): Promise<void> {
    return this.writer.discard();
  }

  /** One warning per column and kind of value stored other than as given in this run. */
  alterationReport(): string[] {
    return this.writer.alterationReport();
  }

  /**
   * Makes the table fit the current layout: a DDL job in the table's lane, not awaited. Reading
   * goes on (records are staged with the layout) and every batch of the layout loads after the
   * job (C3); a failure fails the run like a failed load. The job takes a load slot, so
   * `parallelism` bounds all statements on tables, but is not counted for backpressure (it holds
   * no file). One exception: a layout with number columns stages its first record only once the
   * job is done (see settingUp). `reason` says why columns are added, when it is not the SCHEMA.
   */
  private setUp(reason?: string): void {
    const writer = this.writer;
    const request = { stream: writer.stream, table: writer.table, columns: writer.columns, keyColumns: writer.keyColumns, ...(reason ? { reason } : {}) };
    const wait = writer.needsTableTypes;
    const job = this.context.jobs.fitTable(request, writer.newLayoutFit(), (fitted) => writer.adoptTableTypes(fitted), wait);
    if (!job) return;
    const ready: Promise<void> = job.finally(() => {
      if (this.settingUp === ready) this.settingUp = undefined;
    });
    // A failure fails the run through the coordinator; the record that waits for it rethrows it.
    ready.catch(() => undefined);
    this.settingUp = ready;
  }

  /**
   * From now on rows record their table version (loading what was staged without it first). A
   * table not created yet gets the version columns in its creation.
   */
  private startVersioning(reason: string): void {
    this.close();
    this.writer.startVersioning();
    this.setUp(`table versions (${reason})`);
  }

  private stage(message: RecordMessage, line: number, source: string, file?: string): Promise<void> | void {
    return this.held(this.writer.add(message, line, this.context.jobs.newHold, file), source, line);
  }

  /**
   * Why the open batch is full and waits for the tap's next STATE, or undefined. The router
   * flushes such a batch before it reads the STATE (Target.dispatch), so the STATE lies between
   * two batches of the stream.
   */
  get fullUntilState(): string | undefined {
    return this.full;
  }

  /**
   * After a record is staged: its position joins the batch's hold, and a full batch is flushed.
   * An exactly-once append batch that is full waits for the tap's next STATE instead (up to
   * twice its size): a state inside one of its batches cannot give the stream's bookmark (S5),
   * so with a tap that sends a STATE every few thousand records, batches closed at their size
   * would all straddle one, and the stream's bookmark would move only at the end of the run.
   */
  private held(hold: number, source: string, line: number): Promise<void> | void {
    const exact = this.context.jobs.hold(hold, source, line, this.writer.keyColumns.length > 0);
    const open = this.writer.openBatch;
    const reason = open && sizeTrigger(open, this.settings.config);
    if (!reason) return;
    const hard = exact ? hardSizeTrigger(open, this.settings.config) : reason;
    if (!hard) {
      this.full ??= reason;
      return;
    }
    this.settings.log.info(`Flush triggered by ${hard} in '${this.stream}'`);
    return this.context.flushDue([this]);
  }

  /** How the next load goes into the table; overwrite replaces the table's rows once per run (this is that once). */
  private takeLoadMode(): LoadMode {
    const keyed = this.writer.keyColumns.length > 0;
    switch (this.settings.config.load_method) {
      case 'append-only':
        return 'insert';
      case 'overwrite':
        if (!this.overwritten) {
          this.overwritten = true;
          return 'overwrite';
        }
        return keyed ? 'merge' : 'insert';
      case 'upsert':
        return keyed ? 'merge' : 'insert';
    }
  }
}
