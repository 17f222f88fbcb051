import { homedir, tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';
import { parseBatchMessage, readBatchRows, s3ObjectOpener, type BatchFileLocation, type BatchMessage, type OpenS3Object } from './batching/batch-messages.js';
import { ageTrigger, effectiveParallelism, sizeTrigger } from './batching/flush-policy.js';
import type { TargetConfig } from './config/config.js';
import { InputError } from './errors.js';
import type { Logger } from './logging.js';
import type { Metrics } from './metrics.js';
import { BatchLoader } from './loading/batch-loader.js';
import { LoadScheduler } from './loading/load-scheduler.js';
import { TableManager } from './loading/table-manager.js';
import { StreamMapper } from './mapping/stream-mapper.js';
import { columnsFor, type Column } from './schema/columns.js';
import { valueAt } from './schema/flatten.js';
import { BATCHED_AT, DELETED_AT, EXTRACTED_AT, METADATA_COLUMNS, TABLE_VERSION } from './schema/metadata.js';
import { tableRefFor, type TableRef } from './schema/naming.js';
import { compileValidator, type Validate } from './schema/record-validator.js';
import { convertValue, type StagedValue } from './schema/values.js';
import { numberedLines } from './singer/lines.js';
import { parseMessage, type ActivateVersionMessage, type BatchEnvelope, type RecordMessage, type SchemaMessage, type SingerMessage } from './singer/messages.js';
import { ExecutorPool, poolExecutor } from './spark/executor-pool.js';
import type { SqlExecutor } from './spark/executor.js';
import { retireOldVersions, type LoadColumn, type LoadMode } from './sql/statements.js';
import { BatchFile } from './staging/batch-file.js';
import { StateTracker } from './state/state-tracker.js';
import type { StateWriter } from './state/state-writer.js';
import type { ObjectStore } from './storage/object-store.js';

export interface TargetDeps {
  config: TargetConfig;
  /** Opens s3:// files named by BATCH messages (default: an S3 client from the config). */
  openS3Object?: OpenS3Object;
  /** Opens a new lakehouse session; called once per parallel load slot. */
  connect: () => SqlExecutor;
  store: ObjectStore;
  state: StateWriter;
  log: Logger;
  /** METRIC lines per batch load (Meltano reads them from the log). */
  metrics?: Metrics;
}

interface StreamContext {
  stream: string;
  message: SchemaMessage;
  dataColumns: Column[];
  /** Data columns plus the metadata columns in use; the layout of the batch file. */
  columns: Column[];
  loadColumns: LoadColumn[];
  keyProperties: string[];
  keyColumns: string[];
  table: TableRef;
  validate?: Validate;
  batch?: BatchFile;
  /** Distinct keys in the pending batch: duplicates of a key count once towards batch_size_rows. */
  batchKeys: Set<string | number>;
  batchFiles: number;
  /** The stream carries table versions (ACTIVATE_VERSION or versioned records), so rows record theirs. */
  versioned: boolean;
  /** With load_method overwrite: the table's old rows were replaced by this run's first batch. */
  overwritten: boolean;
}

export interface RunSummary {
  records: number;
  batches: number;
  /** True when the run stopped early on a signal (pending rows were still loaded). */
  interrupted: boolean;
}

/**
 * The engine: reads Singer messages, writes each stream's records to batch files, loads full
 * batches in the background, and emits a STATE only when every record before it is committed.
 * Messages and timer-driven flushes run one at a time through `serial`, so they never interleave.
 */
export class Target {
  private readonly streams = new Map<string, StreamContext>();
  private readonly tracker = new StateTracker();
  private readonly pool: ExecutorPool;
  private readonly tables: TableManager;
  private readonly loader: BatchLoader;
  private readonly scheduler: LoadScheduler;
  private readonly tempDir: string;
  private readonly metadata: boolean;
  /** `stream_maps`: messages are mapped before the engine sees them. */
  private readonly mapper?: StreamMapper;
  private serialQueue: Promise<unknown> = Promise.resolve();
  /** Bookmark releases happen in the order batches were closed, however loads finish. */
  private releases: Promise<void> = Promise.resolve();
  private timerFailure: unknown;
  private records = 0;
  private batches = 0;

  constructor(private readonly deps: TargetDeps) {
    const { config } = deps;
    const parallelism = effectiveParallelism(config.parallelism, config.parallelism_max, availableParallelism());
    // One extra session for DDL so table changes never wait behind running loads.
    this.pool = new ExecutorPool(deps.connect, parallelism + 1);
    this.tables = new TableManager(poolExecutor(this.pool), config.type_change_policy, deps.log);
    this.loader = new BatchLoader(this.pool, deps.store, config.s3_key_prefix, deps.log, deps.metrics);
    this.scheduler = new LoadScheduler(parallelism);
    this.tempDir = config.temp_dir ? config.temp_dir.replace(/^~(?=$|\/)/, homedir()) : join(tmpdir(), 'target-iomete');
    this.metadata = config.add_metadata_columns || config.hard_delete;
    if (config.stream_maps) this.mapper = new StreamMapper(config);
  }

  async run(input: Readable, signal?: AbortSignal): Promise<RunSummary> {
    const timer = this.startWaitLimitTimer();
    try {
      for await (const { line, number } of numberedLines(input, signal)) {
        if (this.timerFailure !== undefined) throw this.timerFailure;
        await this.serial(() => this.handle(line, number));
      }
      if (this.timerFailure !== undefined) throw this.timerFailure;
      const interrupted = signal?.aborted ?? false;
      if (interrupted) this.deps.log.warn('Stopping on signal: loading the rows received so far, then exiting');
      await this.serial(async () => {
        await this.flushAll();
        await this.emitState();
      });
      return { records: this.records, batches: this.batches, interrupted };
    } finally {
      if (timer) clearInterval(timer);
      await this.scheduler.settle().catch(() => undefined);
      await this.discardPending();
      this.opener?.close();
      await this.pool.close();
    }
  }

  /** Runs `task` after every task queued before it. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const result = this.serialQueue.then(task);
    this.serialQueue = result.catch(() => undefined);
    return result;
  }

  private async handle(line: string, number: number): Promise<void> {
    const message = parseMessage(line, number);
    if (message === undefined) return;
    for (const mapped of this.mapper ? this.mapper.map(message, number) : [message]) await this.dispatch(mapped, number);
  }

  private async dispatch(message: SingerMessage, number: number): Promise<void> {
    this.scheduler.throwIfFailed();
    switch (message.type) {
      case 'SCHEMA':
        return this.onSchema(message, number);
      case 'RECORD':
        return this.onRecord(message, number);
      case 'STATE':
        this.tracker.onState(message.value, !this.anyPending());
        return;
      case 'ACTIVATE_VERSION':
        return this.onActivateVersion(message, number);
      case 'BATCH':
        return this.onBatch(message, number);
      case 'UNKNOWN':
        this.deps.log.warn(`Line ${number}: skipping message of unknown type '${message.rawType}'`);
        return;
    }
  }

  // --- SCHEMA -------------------------------------------------------------------------------

  private async onSchema(message: SchemaMessage, line: number): Promise<void> {
    const known = this.streams.get(message.stream);
    if (known && isDeepStrictEqual(known.message.schema, message.schema) && isDeepStrictEqual(known.message.key_properties, message.key_properties)) {
      return;
    }
    // Rows staged under the old schema are loaded before the table changes shape.
    if (this.anyRowsStaged()) {
      await this.flushAll();
      await this.emitState();
    }
    const where = { line, stream: message.stream };
    const keyProperties = message.key_properties;
    if (keyProperties === undefined) throw new InputError("SCHEMA message has no 'key_properties'", where);
    if (keyProperties.length === 0 && this.deps.config.primary_key_required) {
      throw new InputError(
        "The stream has no key properties and 'primary_key_required' is true; define keys in the tap, or set primary_key_required to false to append its rows",
        where,
      );
    }
    const dataColumns = columnsFor(message.schema, message.stream, this.deps.config.data_flattening_max_level, this.deps.config.flattening_max_key_length);
    const keyColumns = keyProperties.map((key) => {
      const column = dataColumns.find((c) => c.property === key);
      if (!column) throw new InputError(`Key property '${key}' is not among the schema's properties`, where);
      return column.name;
    });
    const context: StreamContext = {
      stream: message.stream,
      message,
      dataColumns,
      columns: [],
      loadColumns: [],
      keyProperties,
      keyColumns,
      table: tableRefFor(message.stream, this.deps.config),
      batchKeys: new Set(),
      batchFiles: known?.batchFiles ?? 0,
      versioned: known?.versioned ?? false,
      overwritten: known?.overwritten ?? false,
    };
    if (this.deps.config.validate_records) context.validate = compileValidator(message.schema, message.stream);
    await this.shapeTable(context);
    this.streams.set(message.stream, context);
  }

  /** Sets the stream's column layout (data + metadata in use) and makes the table fit it. */
  private async shapeTable(context: StreamContext): Promise<void> {
    const metadata = this.metadata ? METADATA_COLUMNS : context.versioned ? METADATA_COLUMNS.filter((c) => c.name === DELETED_AT || c.name === TABLE_VERSION) : [];
    const metadataNames = new Set(metadata.map((c) => c.name));
    // A tap's own `_sdc_*` properties give way to the values the target sets.
    context.columns = [...context.dataColumns.filter((c) => !metadataNames.has(c.name)), ...metadata];
    context.loadColumns = await this.tables.ensure({
      stream: context.stream,
      table: context.table,
      columns: context.columns,
      keyColumns: context.keyColumns,
    });
  }

  // --- RECORD -------------------------------------------------------------------------------

  private async onRecord(message: RecordMessage, line: number, source?: string): Promise<void> {
    const context = this.streams.get(message.stream);
    if (!context) {
      throw new InputError(`${source ? 'BATCH' : 'RECORD'} arrived before the SCHEMA of its stream; the tap must send SCHEMA first`, { line, stream: message.stream });
    }
    if (message.version !== undefined && !context.versioned && this.deps.config.process_activate_version_messages) {
      await this.startVersioning(context);
    }
    const from = source ? ` in ${source}` : '';
    if (context.validate) {
      const problem = context.validate(message.record);
      if (problem) throw new InputError(`Record${from} does not match the stream schema: ${problem}`, { line, stream: context.stream });
    }
    const cells = this.cellsOf(context, message, line, from);
    const batch = (context.batch ??= await this.newBatchFile(context));
    await batch.append(cells);
    this.records += 1;
    const rows = context.keyProperties.length > 0 ? this.trackKey(context, message.record, line) : batch.rowCount;
    const reason = sizeTrigger({ rows, bytes: batch.bytes, startedAt: batch.startedAt }, this.deps.config);
    if (reason) {
      this.deps.log.info(`Flush triggered by ${reason} in '${context.stream}'`);
      await this.flushDue([context.stream]);
    }
  }

  private cellsOf(context: StreamContext, message: RecordMessage, line: number, from = ''): StagedValue[] {
    return context.columns.map((column) => {
      const converted = convertValue(this.valueFor(column, message), column);
      if (!converted.ok) {
        throw new InputError(`Column '${column.property}'${from}: ${converted.reason}`, { line, stream: context.stream });
      }
      if (converted.warning) this.deps.log.warn(`Line ${line}, stream '${context.stream}', column '${column.property}': ${converted.warning}`);
      return converted.value;
    });
  }

  private valueFor(column: Column, message: RecordMessage): unknown {
    switch (column.name) {
      case EXTRACTED_AT:
        return message.time_extracted;
      case BATCHED_AT:
        return new Date().toISOString();
      case DELETED_AT:
        return message.record._sdc_deleted_at;
      case TABLE_VERSION:
        return message.version;
      default:
        return valueAt(message.record, column.path);
    }
  }

  private trackKey(context: StreamContext, record: Record<string, unknown>, line: number): number {
    const values = context.keyColumns.map((name) => {
      const column = context.columns.find((c) => c.name === name);
      const value = column ? valueAt(record, column.path) : undefined;
      if (value === undefined) {
        throw new InputError(`Record has no value for key property '${column?.property ?? name}'`, { line, stream: context.stream });
      }
      if (value === null && this.deps.config.primary_key_required) {
        throw new InputError(
          `Key property '${column?.property ?? name}' is null; rows need a key to be merged (set primary_key_required to false to accept null keys)`,
          { line, stream: context.stream },
        );
      }
      return value;
    });
    // A single numeric key is kept as the number itself: a Set of numbers costs far less memory
    // than one of JSON strings, and batches hold up to batch_size_rows keys per stream.
    const [only] = values;
    const key = values.length === 1 && typeof only === 'number' ? only : JSON.stringify(values, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    context.batchKeys.add(key);
    return context.batchKeys.size;
  }

  private async newBatchFile(context: StreamContext): Promise<BatchFile> {
    context.batchFiles += 1;
    const safeStream = context.stream.replace(/[^A-Za-z0-9_.-]/g, '_');
    return BatchFile.create(this.tempDir, `${this.loader.runId}-${safeStream}-${context.batchFiles}`, !this.deps.config.no_compression);
  }

  // --- BATCH ----------------------------------------------------------------------------------

  /** Records of BATCH files take the RECORD path one by one (streamed, never a whole file in memory). */
  private async onBatch(envelope: BatchEnvelope, line: number): Promise<void> {
    const message = parseBatchMessage(envelope.raw, line);
    // Rows of a mapped stream are mapped one by one, so its files are never loaded directly.
    const mapped = this.mapper?.transforms(message.stream) ?? false;
    if (!mapped && !this.streams.has(message.stream)) {
      throw new InputError('BATCH arrived before the SCHEMA of its stream; the tap must send SCHEMA first', { line, stream: message.stream });
    }
    const open = this.deps.openS3Object ?? this.defaultOpener().open;
    let count = 0;
    for (const location of message.manifest) {
      if (!mapped && (await this.loadParquetDirectly(message, location))) continue;
      const single = { ...message, manifest: [location] };
      for await (const row of readBatchRows(single, open, { line, tempDir: this.tempDir })) {
        const record: RecordMessage = { type: 'RECORD', stream: message.stream, record: row.record };
        for (const each of this.mapper ? this.mapper.mapRecord(record, line) : [record]) await this.onRecord(each, line, `${row.url} row ${row.row}`);
        count += 1;
      }
    }
    this.deps.log.info(`Line ${line}: BATCH of stream '${message.stream}' with ${message.manifest.length} file(s) done, ${count} record(s) staged`);
  }

  /**
   * A Parquet file already on S3 is loaded by the lakehouse itself when its fields fit the table
   * (top-level properties, no flattening or validation asked for). Rows staged before it are
   * loaded first so the order of changes holds.
   */
  private async loadParquetDirectly(message: BatchMessage, location: BatchFileLocation): Promise<boolean> {
    const { config } = this.deps;
    if (message.encoding.format !== 'parquet' || location.scheme !== 's3' || config.data_flattening_max_level > 0 || config.validate_records) return false;
    const context = this.streams.get(message.stream);
    if (!context) return false;
    if (context.batch && context.batch.rowCount > 0) await this.flushDue([context.stream], { wait: true });
    await this.scheduler.settle([context.stream]);
    const mode = this.loadMode(context);
    const loaded = await this.loader.loadParquetFile(
      { stream: context.stream, table: context.table, columns: context.loadColumns, keyColumns: context.keyColumns, mode, hardDelete: config.hard_delete },
      `s3a://${location.bucket}/${location.key}`,
    );
    if (!loaded && mode === 'overwrite') context.overwritten = false;
    return loaded;
  }

  private opener?: ReturnType<typeof s3ObjectOpener>;

  private defaultOpener(): ReturnType<typeof s3ObjectOpener> {
    this.opener ??= s3ObjectOpener(this.deps.config);
    return this.opener;
  }

  // --- ACTIVATE_VERSION ---------------------------------------------------------------------

  private async onActivateVersion(message: ActivateVersionMessage, line: number): Promise<void> {
    if (!this.deps.config.process_activate_version_messages) {
      this.deps.log.debug(`Line ${line}: ACTIVATE_VERSION ignored (process_activate_version_messages is false)`);
      return;
    }
    const context = this.streams.get(message.stream);
    if (!context) {
      this.deps.log.warn(`Line ${line}: ACTIVATE_VERSION for stream '${message.stream}' before its SCHEMA; ignored`);
      return;
    }
    if (!context.versioned) await this.startVersioning(context);
    // Rows of this version that are still pending must be in the table before older ones go.
    await this.flushDue([context.stream], { wait: true });
    const now = new Date().toISOString().replace('T', ' ');
    const statement = retireOldVersions(context.table, message.version, this.deps.config.hard_delete, now);
    await this.pool.query(statement);
    this.deps.log.info(
      `Version ${message.version} of stream '${context.stream}' is active: older rows ${this.deps.config.hard_delete ? 'deleted' : `marked in ${DELETED_AT}`}`,
    );
  }

  /** From now on rows record their table version (loading what was staged without it first). */
  private async startVersioning(context: StreamContext): Promise<void> {
    if (context.batch && context.batch.rowCount > 0) await this.flushDue([context.stream], { wait: true });
    context.versioned = true;
    await this.shapeTable(context);
  }

  // --- flushing -----------------------------------------------------------------------------

  private anyRowsStaged(): boolean {
    for (const context of this.streams.values()) if (context.batch && context.batch.rowCount > 0) return true;
    return false;
  }

  /** Rows not yet committed: staged in a batch file or in a load still running. */
  private anyPending(): boolean {
    return this.anyRowsStaged() || this.scheduler.busy;
  }

  /** A size or age trigger fired for `streams`: flush them, or every stream with flush_all_streams. */
  private async flushDue(streams: readonly string[], options: { wait?: boolean } = {}): Promise<void> {
    if (this.deps.config.flush_all_streams) {
      await this.flushAll();
      await this.emitState();
      return;
    }
    for (const stream of streams) this.scheduleLoad(stream, true);
    if (options.wait) await this.scheduler.settle(streams);
    else await this.scheduler.waitForCapacity();
  }

  /** Loads every stream's pending rows and waits for all loads; the latest state becomes safe. */
  private async flushAll(): Promise<void> {
    for (const stream of this.streams.keys()) this.scheduleLoad(stream, false);
    await this.scheduler.settle();
    this.tracker.onFullFlush();
  }

  /**
   * Hands the stream's batch to the scheduler and starts a new one. With `releaseBookmark`, the
   * stream's bookmark of the latest state (as of now) becomes safe once the load commits.
   */
  private scheduleLoad(stream: string, releaseBookmark: boolean): void {
    const context = this.streams.get(stream);
    const file = context?.batch;
    if (!context || !file) return;
    context.batch = undefined;
    context.batchKeys = new Set();
    if (file.rowCount === 0) {
      void file.discard();
      return;
    }
    const mode = this.loadMode(context);
    const snapshot = this.tracker.latestState();
    const batch = {
      stream,
      table: context.table,
      columns: context.loadColumns,
      keyColumns: context.keyColumns,
      mode,
      hardDelete: this.deps.config.hard_delete,
      file,
    };
    this.batches += 1;
    // Loads of different streams may finish out of order; states are still released in the
    // order their batches were closed, so the emitted sequence is the same as loading one by one.
    const previous = this.releases;
    let released!: () => void;
    this.releases = new Promise<void>((resolve) => (released = resolve));
    this.scheduler.schedule(
      stream,
      async () => {
        try {
          await this.loader.load(batch);
        } catch (e) {
          released();
          throw e;
        }
      },
      async () => {
        try {
          await previous;
          if (!releaseBookmark) return;
          this.tracker.onStreamsFlushed([stream], snapshot);
          await this.emitState();
        } finally {
          released();
        }
      },
    );
  }

  private loadMode(context: StreamContext): LoadMode {
    const keyed = context.keyColumns.length > 0;
    switch (this.deps.config.load_method) {
      case 'append-only':
        return 'insert';
      case 'overwrite':
        if (!context.overwritten) {
          context.overwritten = true;
          return 'overwrite';
        }
        return keyed ? 'merge' : 'insert';
      case 'upsert':
        return keyed ? 'merge' : 'insert';
    }
  }

  private startWaitLimitTimer(): NodeJS.Timeout | undefined {
    const limit = this.deps.config.batch_wait_limit_seconds;
    if (limit === undefined) return undefined;
    const timer = setInterval(
      () => {
        this.serial(() => this.flushStale()).catch((e: unknown) => (this.timerFailure ??= e));
      },
      Math.max(50, Math.min(1000, (limit * 1000) / 4)),
    );
    timer.unref();
    return timer;
  }

  private async flushStale(): Promise<void> {
    const now = Date.now();
    const stale: string[] = [];
    for (const context of this.streams.values()) {
      const batch = context.batch;
      if (!batch) continue;
      const reason = ageTrigger({ rows: batch.rowCount, bytes: batch.bytes, startedAt: batch.startedAt }, this.deps.config, now);
      if (reason) {
        this.deps.log.info(`Flush triggered by ${reason} in '${context.stream}'`);
        stale.push(context.stream);
      }
    }
    if (stale.length > 0) await this.flushDue(stale);
  }

  private async emitState(): Promise<void> {
    const state = this.tracker.takeEmittable();
    if (state !== undefined) await this.deps.state.write(state);
  }

  /** After a failure or signal: delete batch files that were never loaded. */
  private async discardPending(): Promise<void> {
    for (const context of this.streams.values()) {
      const batch = context.batch;
      context.batch = undefined;
      if (batch) await batch.discard().catch(() => undefined);
    }
  }
}
