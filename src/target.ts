import { CatalogChanges } from './loading/catalog-changes.js';
import { homedir, tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { parseBatchMessage, readBatchRows, s3ObjectOpener, type BatchFileLocation, type BatchMessage, type OpenS3Object } from './batching/batch-messages.js';
import { ageTrigger, effectiveParallelism, sizeTrigger } from './batching/flush-policy.js';
import type { TargetConfig } from './config/config.js';
import { Progress } from './engine/progress.js';
import { StreamSink, fittedColumns, type ClosedBatch, type LayoutFit } from './engine/stream-sink.js';
import { ConfigError, InputError, asError } from './errors.js';
import type { Logger } from './logging.js';
import type { Metrics } from './metrics.js';
import { BatchLoader } from './loading/batch-loader.js';
import { RunMarkers } from './staging/leftovers.js';
import { LoadCoordinator, type Job } from './loading/load-coordinator.js';
import { TableManager } from './loading/table-manager.js';
import { layoutColumnProblem, streamLayoutFor } from './schema/table-layout.js';
import { StreamMapper } from './mapping/stream-mapper.js';
import { DELETED_AT } from './schema/metadata.js';
import { forEachLine, lineChunks, lineText, type InputChunk, type LineOptions } from './singer/lines.js';
import { parseMessage, type ActivateVersionMessage, type BatchEnvelope, type RecordMessage, type SchemaMessage, type SingerMessage } from './singer/messages.js';
import { ScannedRecord, scanRecordLine } from './singer/record-scan.js';
import { ExecutorPool, poolExecutor } from './spark/executor-pool.js';
import type { SqlExecutor } from './spark/executor.js';
import { countOldVersions, retireOldVersions, tableName } from './sql/statements.js';
import { TableRegistry } from './schema/table-registry.js';
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
  state: Pick<StateWriter, 'write'>;
  log: Logger;
  /** METRIC lines per batch load (Meltano reads them from the log). */
  metrics?: Metrics;
}

export interface RunSummary {
  records: number;
  batches: number;
  /** True when the run stopped early on a signal (pending rows were still loaded). */
  interrupted: boolean;
}

/**
 * The engine's front: reads Singer messages and routes each one a single hop down —
 * RECORD to its stream's sink (record -> cells -> batch file), full batches and every table
 * change to the load coordinator (slots, per-table order, failure), STATE to the state tracker
 * (the safe-state rule). It keeps no protocol of its own beyond these invariants:
 *
 *  R1  Messages and timer-driven flushes run one at a time (`exclusive`), in input order.
 *  R2  Every change is registered with the tracker as a hold before any later STATE is seen, and
 *      committed only by the coordinator's `onCommitted` of the job that made it durable.
 *  R3  States are written one at a time, each the tracker's answer at the time of writing, so
 *      they come out in order. With load_method overwrite no state is written before the run
 *      ends successfully (a resumed run would overwrite the table with only the remainder).
 *  R4  A failure anywhere (input, load, state write) stops reading at once; queued loads are
 *      cancelled, running ones are waited for, batch files are removed, and the first error is
 *      what the run rejects with.
 */
export class Target {
  private readonly sinks = new Map<string, StreamSink>();
  /**
   * Sinks whose layout has number columns and whose table set-up job has not finished: their next
   * record waits for it (StreamSink.adoptTableTypes may change how numbers are staged).
   */
  private readonly settingUp = new Map<StreamSink, Promise<void>>();
  /** The sinks again, by the UTF-8 bytes of their stream name: a scanned line's stream is found without decoding it. */
  private readonly sinkNames: Array<{ name: Buffer; sink: StreamSink }> = [];
  private readonly tracker = new StateTracker();
  /** Which stream writes which table: two streams of one run never share a table. */
  private readonly registry = new TableRegistry();
  /** `stream_maps`: messages are mapped before the sinks see them. */
  private readonly mapper?: StreamMapper;
  private readonly pool: ExecutorPool;
  private readonly tables: TableManager;
  private readonly loader: BatchLoader;
  private readonly coordinator: LoadCoordinator;
  private readonly tempDir: string;
  private exclusiveQueue: Promise<unknown> = Promise.resolve();
  private stateQueue: Promise<void> = Promise.resolve();
  private holds = 0;
  /** A full flush is waiting for every load (see flushAll). */
  private draining = false;
  private opener?: ReturnType<typeof s3ObjectOpener>;
  /** Counts and clocks for the progress lines and the closing summary. */
  readonly progress: Progress;

  constructor(private readonly deps: TargetDeps) {
    const { config } = deps;
    const parallelism = effectiveParallelism(config.parallelism, config.parallelism_max, availableParallelism());
    // One extra session for DDL so table changes never wait behind running loads.
    this.pool = new ExecutorPool(deps.connect, parallelism + 1);
    // A new table is created by its first load (one statement instead of CREATE and MERGE).
    const catalog = new CatalogChanges();
    this.tables = new TableManager(poolExecutor(this.pool), config.type_change_policy, deps.log, catalog, (stream) => streamLayoutFor(stream, config));
    this.progress = new Progress(deps.log);
    this.loader = new BatchLoader(this.pool, deps.store, config.s3_key_prefix, deps.log, deps.metrics, this.progress, catalog);
    this.coordinator = new LoadCoordinator(parallelism);
    this.tempDir = config.temp_dir ? config.temp_dir.replace(/^~(?=$|\/)/, homedir()) : join(tmpdir(), 'target-iomete');
    if (config.stream_maps) this.mapper = new StreamMapper(config);
  }

  async run(input: Readable, signal?: AbortSignal): Promise<RunSummary> {
    const { config, log, store } = this.deps;
    const markers = new RunMarkers({ runId: this.loader.runId, tempDir: this.tempDir, store, prefix: config.s3_key_prefix, log });
    let timer: NodeJS.Timeout | undefined;
    try {
      // Also the preflight of S3: a wrong bucket or credentials fail here, before any table is touched.
      await markers.start();
      timer = this.startWaitLimitTimer();
      this.progress.start(config.progress_interval_seconds ?? 0, () => this.coordinator.pendingLoads - this.coordinator.running);
      await this.readAll(input, signal);
      const interrupted = signal?.aborted ?? false;
      if (interrupted) log.warn('Stopping on signal: loading the rows received so far, then exiting');
      await this.exclusive(() => this.flushAll(true));
      await this.emitState(true);
      return { records: this.progress.counts.records + this.progress.counts.batchRecords, batches: this.progress.counts.batches, interrupted };
    } catch (e) {
      this.coordinator.fail(asError(e));
      throw this.coordinator.failure;
    } finally {
      if (timer) clearInterval(timer);
      this.progress.stop();
      await this.coordinator.settle();
      for (const sink of this.sinks.values()) await sink.discard();
      // What committed before a failure is still worth a state: the tap resumes from there.
      if (this.coordinator.failure && config.load_method !== 'overwrite') await this.emitState(false).catch(() => undefined);
      this.opener?.close();
      await this.pool.close();
      await markers.finish();
      for (const sink of this.sinks.values()) sink.alterationReport().forEach((line) => log.warn(line));
    }
  }

  /**
   * Reads lines until the input ends, the signal aborts it, or a load fails (whichever first). A
   * chunk of lines is handled in one exclusive task, awaiting only where a message waits (a flush
   * at capacity, DDL): the common record costs no promise.
   */
  private async readAll(input: Readable, signal?: AbortSignal): Promise<void> {
    // A failed load stops the reading at once: one listener for the whole run (a race per read
    // against the long-lived failure promise would keep every read's result alive until the end).
    const stop = new AbortController();
    void this.coordinator.failed.then(() => stop.abort());
    const until = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
    const chunks = lineChunks(input, until);
    const options: LineOptions = { onInvalidUtf8: this.deps.config.on_invalid_utf8, warn: (m) => this.deps.log.warn(m) };
    // Stream maps see parsed messages only; without them RECORD lines are staged from their bytes.
    const scan = this.mapper ? undefined : new ScannedRecord();
    // Staging is the chunk's time less the waits inside it (table set-up, a free load slot).
    let done = performance.now();
    for await (const chunk of chunks) {
      const read = performance.now();
      this.progress.spent('read', read - done);
      const waited = this.progress.waited;
      await this.exclusive(async () => this.handleChunk(chunk, options, chunk.clean ? scan : undefined));
      done = performance.now();
      this.progress.spent('stage', done - read - (this.progress.waited - waited) * 1000);
    }
    this.coordinator.throwIfFailed();
  }

  /** The chunk's lines in order; a RECORD the scanner reads is staged from its bytes, any other line is parsed. */
  private handleChunk(chunk: InputChunk, options: LineOptions, scan: ScannedRecord | undefined): Promise<void> | void {
    return forEachLine(chunk, (start, end, number) => {
      const staged = scan ? this.handleScanned(scan, chunk.bytes, start, end, number) : false;
      return staged === false ? this.handle(lineText(chunk, start, end, number, options), number) : staged;
    });
  }

  /**
   * The RECORD path for a line read by scanRecordLine: the same steps as handle() -> onRecord(),
   * with the row staged from the bytes (StreamSink.addScanned). False when the line is not such
   * a record, or its stream cannot take it; handle() then reads the line.
   */
  private handleScanned(scan: ScannedRecord, bytes: Buffer, start: number, end: number, number: number): Promise<void> | void | false {
    if (!scanRecordLine(bytes, start, end, scan)) return false;
    const sink = this.sinkNamed(bytes, scan.streamStart, scan.streamEnd);
    // A record that waits for its table's set-up takes the parsed path (onRecord), which waits.
    if (!sink?.scannable || this.settingUp.has(sink)) return false;
    this.coordinator.throwIfFailed();
    this.progress.message('RECORD');
    const hold = sink.addScanned(scan, number, () => ++this.holds);
    return this.held(sink, hold, sink.stream, number);
  }

  /** Runs `task` after every task queued before it (R1). */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.exclusiveQueue.then(task);
    this.exclusiveQueue = result.catch(() => undefined);
    return result;
  }

  /** Handles one line; returns a promise only when the message has to wait (R1 holds either way). */
  private handle(line: string, number: number): Promise<void> | void {
    const message = parseMessage(line, number, { warn: (m) => this.deps.log.warn(m) });
    if (message === undefined) return;
    this.coordinator.throwIfFailed();
    this.progress.message(message.type);
    // State is about the tap's streams: holds and bookmarks use the stream a message came in
    // with, whatever stream maps make of it (an aliased stream's bookmark keeps its tap name).
    if (message.type === 'SCHEMA') this.tracker.knowStream(message.stream);
    if (!this.mapper) return this.dispatch(message, number);
    const source = 'stream' in message ? message.stream : undefined;
    return this.dispatchAll(this.mapper.map(message, number), number, source);
  }

  /** Dispatches messages in order, synchronously until one of them has to wait. */
  private dispatchAll(messages: readonly SingerMessage[], number: number, source: string | undefined, from = 0): Promise<void> | void {
    for (let i = from; i < messages.length; i += 1) {
      const pending = this.dispatch(messages[i]!, number, source);
      if (pending) return pending.then(() => this.dispatchAll(messages, number, source, i + 1));
    }
  }

  private dispatch(message: SingerMessage, number: number, source?: string): Promise<void> | void {
    switch (message.type) {
      case 'SCHEMA':
        return this.onSchema(message, number);
      case 'RECORD':
        return this.onRecord(message, number, source ?? message.stream);
      case 'STATE':
        // Remembered, not written: states go out when a load commits and at the end, as other
        // Singer targets do (a tap may send one per record; each line is a state write for Meltano).
        this.tracker.onState(message.value, number);
        return;
      case 'ACTIVATE_VERSION':
        return this.onActivateVersion(message, number, source ?? message.stream);
      case 'BATCH':
        return this.onBatch(message, number);
      case 'UNKNOWN':
        this.deps.log.warn(`Line ${number}: skipping message of unknown type '${message.rawType}'`);
        return;
    }
  }

  // --- SCHEMA -------------------------------------------------------------------------------

  private onSchema(message: SchemaMessage, line: number): void {
    const known = this.sinks.get(message.stream);
    if (known?.sameSchema(message)) return;
    if (known) {
      // Rows staged under the old layout are loaded before the table changes shape; the DDL job
      // then runs in the table's lane, after those loads (C3).
      this.closeBatch(known);
      known.applySchema(message, line);
      this.shapeTable(known);
      return;
    }
    const sink = new StreamSink(
      message.stream,
      message,
      { config: this.deps.config, log: this.deps.log, tempDir: this.tempDir, filePrefix: this.loader.runId, registry: this.registry },
      line,
    );
    this.sinks.set(message.stream, sink);
    this.sinkNames.push({ name: Buffer.from(message.stream), sink });
    this.shapeTable(sink);
  }

  /**
   * Makes the table fit the sink's new layout: a DDL job in the table's lane, not awaited. Reading
   * goes on (records are staged with the layout) and every batch of the layout loads after the job
   * (C3); a failure fails the run like a failed load. The job takes a load slot, so `parallelism`
   * bounds all statements on tables, but is not counted for backpressure (it holds no file).
   * One exception: a layout with number columns stages its first record only once the job is done
   * (see settingUp), because the table may hold such a column as DOUBLE or DECIMAL, which decides
   * how its values are staged (StreamSink.adoptTableTypes). `reason` says why columns are added,
   * when it is not the SCHEMA.
   */
  private shapeTable(sink: StreamSink, reason?: string): void {
    // A layout naming a column the stream lacks fails here, before any of its rows is loaded.
    const layoutProblem = layoutColumnProblem(sink.stream, streamLayoutFor(sink.stream, this.deps.config), sink.columns);
    if (layoutProblem) throw new ConfigError(layoutProblem);
    const request = { stream: sink.stream, table: sink.table, columns: sink.columns, keyColumns: sink.keyColumns, ...(reason ? { reason } : {}) };
    const fit: LayoutFit = { wholeTable: false };
    sink.fit = fit;
    const job: Job = {
      lane: tableName(sink.table),
      slot: true,
      backpressure: false,
      run: async () => {
        const fitted = await this.tables.ensure(request);
        fit.columns = sink.adoptTableTypes(fitted.columns);
        fit.wholeTable = fitted.wholeTable;
      },
    };
    if (!sink.dataColumns.some((c) => c.kind === 'number' || c.kind === 'decimal')) {
      this.submit(job);
      return;
    }
    const ready: Promise<void> = this.coordinator.run(job).finally(() => {
      if (this.settingUp.get(sink) === ready) this.settingUp.delete(sink);
    });
    // A failure fails the run through the coordinator; the record that waits for it rethrows it.
    ready.catch(() => undefined);
    this.settingUp.set(sink, ready);
  }

  // --- RECORD -------------------------------------------------------------------------------

  /** `source` is the tap's stream of the record (for state); `file` names the BATCH file row it came from. */
  private onRecord(message: RecordMessage, line: number, source: string, file?: string): Promise<void> | void {
    const sink = this.sinkFor(message.stream, line, file ? 'BATCH' : 'RECORD');
    if (message.version !== undefined && !sink.versioned && this.deps.config.process_activate_version_messages) {
      this.startVersioning(sink, `the versioned ${file ? 'BATCH row' : 'RECORD'} at line ${line}`);
    }
    const setUp = this.settingUp.get(sink);
    if (setUp) return this.progress.wait('setup', setUp).then(() => this.addRecord(sink, message, line, source, file));
    return this.addRecord(sink, message, line, source, file);
  }

  /** Stages the record; waits only when it fills the batch and the load has to wait for a slot. */
  private addRecord(sink: StreamSink, message: RecordMessage, line: number, source: string, file?: string): Promise<void> | void {
    return this.held(sink, sink.add(message, line, () => ++this.holds, file), source, line);
  }

  /** After a record is staged: its position joins the hold, and a full batch is flushed. */
  private held(sink: StreamSink, hold: number, source: string, line: number): Promise<void> | void {
    this.tracker.hold(hold, source, line);
    const open = sink.openBatch;
    const reason = open && sizeTrigger(open, this.deps.config);
    if (reason) {
      this.deps.log.info(`Flush triggered by ${reason} in '${sink.stream}'`);
      return this.flushDue([sink]);
    }
  }

  /** The sink of the stream whose name is `bytes[start, end)`; byte comparisons for the first few streams. */
  private sinkNamed(bytes: Buffer, start: number, end: number): StreamSink | undefined {
    const length = end - start;
    const names = this.sinkNames;
    for (let n = 0; n < names.length && n < 16; n += 1) {
      const { name, sink } = names[n]!;
      if (name.length !== length) continue;
      let i = 0;
      while (i < length && name[i] === bytes[start + i]) i += 1;
      if (i === length) return sink;
    }
    return names.length > 16 ? this.sinks.get(bytes.toString('utf8', start, end)) : undefined;
  }

  private sinkFor(stream: string, line: number, what: string): StreamSink {
    const sink = this.sinks.get(stream);
    if (!sink) throw new InputError(`${what} arrived before the SCHEMA of its stream; the tap must send SCHEMA first`, { line, stream });
    return sink;
  }

  // --- BATCH ----------------------------------------------------------------------------------

  /** Records of BATCH files take the RECORD path one by one (streamed, never a whole file in memory). */
  private async onBatch(envelope: BatchEnvelope, line: number): Promise<void> {
    const message = parseBatchMessage(envelope.raw, line);
    // Rows of a mapped stream are mapped one by one, so its files are never loaded directly.
    const mapper = this.mapper?.transforms(message.stream) ? this.mapper : undefined;
    const sink = mapper ? undefined : this.sinkFor(message.stream, line, 'BATCH');
    const open = this.deps.openS3Object ?? this.defaultOpener().open;
    let count = 0;
    for (const location of message.manifest) {
      if (sink && (await this.loadParquetDirectly(sink, message, location, line))) continue;
      const single = { ...message, manifest: [location] };
      for await (const row of readBatchRows(single, open, { line, tempDir: this.tempDir })) {
        const record: RecordMessage = { type: 'RECORD', stream: message.stream, record: row.record };
        this.progress.batchRecord();
        for (const each of mapper ? mapper.mapRecord(record, line) : [record]) await this.onRecord(each, line, message.stream, `${row.url} row ${row.row}`);
        count += 1;
      }
    }
    this.deps.log.info(`Line ${line}: BATCH of stream '${message.stream}' with ${message.manifest.length} file(s) done, ${count} record(s) staged`);
  }

  /**
   * A Parquet file already on S3 is loaded by the lakehouse itself when its fields fit the table
   * (top-level properties, no flattening or validation asked for): a load job in the table's lane
   * after the rows staged before it, awaited because a file that does not fit takes the record path.
   */
  private async loadParquetDirectly(sink: StreamSink, message: BatchMessage, location: BatchFileLocation, line: number): Promise<boolean> {
    const { config } = this.deps;
    if (message.encoding.format !== 'parquet' || location.scheme !== 's3' || config.data_flattening_max_level > 0 || config.validate_records) return false;
    this.closeBatch(sink);
    const mode = sink.nextLoadMode();
    const fit = sink.fit;
    const hold = ++this.holds;
    this.tracker.hold(hold, sink.stream, line);
    let loaded = false;
    const job = this.coordinator.run({
      lane: tableName(sink.table),
      slot: true,
      run: async () => {
        await this.tables.materialize(sink.table);
        loaded = await this.loader.loadParquetFile(
          {
            stream: sink.stream,
            table: sink.table,
            columns: fittedColumns(fit, sink.stream),
            wholeTable: fit.wholeTable,
            keyColumns: sink.keyColumns,
            mode,
            hardDelete: config.hard_delete,
            refuseNullKeys: config.primary_key_required,
          },
          `s3a://${location.bucket}/${location.key}`,
        );
      },
      // Loaded or not, nothing of this file is pending any more (if not, its rows follow as records).
      onCommitted: () => this.tracker.commit(hold),
    });
    await this.progress.wait('loads', job);
    if (!loaded && mode === 'overwrite') sink.overwritten = false;
    return loaded;
  }

  private defaultOpener(): ReturnType<typeof s3ObjectOpener> {
    this.opener ??= s3ObjectOpener(this.deps.config);
    return this.opener;
  }

  // --- ACTIVATE_VERSION ---------------------------------------------------------------------

  private async onActivateVersion(message: ActivateVersionMessage, line: number, source: string): Promise<void> {
    const { config, log } = this.deps;
    if (!config.process_activate_version_messages) {
      log.debug(`Line ${line}: ACTIVATE_VERSION ignored (process_activate_version_messages is false)`);
      return;
    }
    const sink = this.sinks.get(message.stream);
    if (!sink) {
      log.warn(`Line ${line}: ACTIVATE_VERSION for stream '${message.stream}' before its SCHEMA; ignored`);
      return;
    }
    if (!sink.versioned) this.startVersioning(sink, `ACTIVATE_VERSION at line ${line}`);
    // Rows of this version still pending go into the table before older ones are retired: the
    // retirement is the next job in the table's lane, and holds state like any change.
    this.closeBatch(sink);
    const hold = ++this.holds;
    this.tracker.hold(hold, source, line);
    const table = sink.table;
    // A table not created yet is created first, as a DDL job (it takes a slot; the retirement does not).
    this.submit({ lane: tableName(table), slot: true, backpressure: false, run: () => this.tables.materialize(table) });
    this.submit({
      lane: tableName(table),
      slot: false,
      run: async () => {
        const now = new Date().toISOString().replace('T', ' ');
        // Spark returns no row count for UPDATE and DELETE on Iceberg: the rows are counted first.
        const [counted] = await this.pool.query(countOldVersions(table, message.version, config.hard_delete));
        const rows = Number(counted?.n ?? 0);
        if (rows > 0) await this.pool.query(retireOldVersions(table, message.version, config.hard_delete, now));
        log.info(
          `Version ${message.version} of stream '${sink.stream}' is active: ${rows} row(s) of older versions ${config.hard_delete ? 'deleted' : `marked in ${DELETED_AT}`}`,
        );
      },
      onCommitted: () => this.tracker.commit(hold),
    });
  }

  /**
   * From now on rows record their table version (loading what was staged without it first). A
   * table not created yet gets the version columns in its creation.
   */
  private startVersioning(sink: StreamSink, reason: string): void {
    this.closeBatch(sink);
    sink.versioned = true;
    sink.layOut();
    this.shapeTable(sink, `table versions (${reason})`);
  }

  // --- flushing -----------------------------------------------------------------------------

  /** A size or age trigger fired for `sinks`: flush them, or every stream with flush_all_streams. */
  private async flushDue(sinks: readonly StreamSink[]): Promise<void> {
    if (this.deps.config.flush_all_streams) {
      await this.flushAll();
      return;
    }
    for (const sink of sinks) this.closeBatch(sink);
    await this.progress.wait('loads', this.coordinator.waitForCapacity());
  }

  /**
   * Loads every stream's pending rows and waits for every job; the latest state becomes safe. At
   * the end of the input (`last`), tables of streams that loaded no rows are created too.
   */
  private async flushAll(last = false): Promise<void> {
    // With flush_all_streams, loads committing during a full flush write no state of their own:
    // the one written after the drain covers them all, so every stream advances together. Else
    // each commit writes what it made safe, which keeps the replay after a crash short.
    this.draining = this.deps.config.flush_all_streams;
    try {
      for (const sink of this.sinks.values()) {
        this.closeBatch(sink);
        // A table whose stream loaded no rows is created (as a DDL job in its lane, after its loads).
        if (last) this.submit({ lane: tableName(sink.table), slot: true, backpressure: false, run: () => this.tables.materialize(sink.table) });
      }
      await this.progress.wait('loads', this.coordinator.drain());
    } finally {
      this.draining = false;
    }
    await this.emitState(false);
  }

  /** Hands the sink's open batch to the coordinator as a load job in the table's lane. */
  private closeBatch(sink: StreamSink): void {
    const batch = sink.close();
    if (!batch) return;
    this.progress.counts.batches += 1;
    this.deps.log.debug(`Closed batch ${batch.file.path} of stream '${batch.stream}': ${batch.file.rowCount} row(s), ${batch.file.bytes} byte(s), loading as ${batch.mode}`);
    this.submit(this.loadJob(sink, batch));
  }

  private loadJob(sink: StreamSink, batch: ClosedBatch): Job {
    return {
      lane: tableName(batch.table),
      slot: true,
      // The columns are those the file was written with; DDL for a newer layout runs after this job (C3).
      run: () =>
        this.loader.load({
          // The first batch of a table found absent creates it (TableManager.takeDeferred).
          createsTable: this.tables.takeDeferred(batch.table),
          stream: batch.stream,
          table: batch.table,
          columns: fittedColumns(batch.fit, batch.stream),
          wholeTable: batch.fit.wholeTable,
          keyColumns: batch.keyColumns,
          keyBounds: batch.keyBounds,
          mode: batch.mode,
          hardDelete: this.deps.config.hard_delete,
          file: batch.file,
        }),
      discard: () => batch.file.discard(),
      onCommitted: () => {
        this.tracker.commit(batch.hold);
        if (!this.draining) void this.emitState(false).catch((e: unknown) => this.coordinator.fail(asError(e)));
      },
    };
  }

  private submit(job: Job): void {
    void this.coordinator.submit(job);
  }

  private startWaitLimitTimer(): NodeJS.Timeout | undefined {
    const limit = this.deps.config.batch_wait_limit_seconds;
    if (limit === undefined) return undefined;
    const timer = setInterval(
      () => {
        this.exclusive(() => this.flushStale()).catch((e: unknown) => this.coordinator.fail(asError(e)));
      },
      Math.max(50, Math.min(1000, (limit * 1000) / 4)),
    );
    timer.unref();
    return timer;
  }

  private async flushStale(): Promise<void> {
    if (this.coordinator.failure) return;
    const now = Date.now();
    const stale: StreamSink[] = [];
    for (const sink of this.sinks.values()) {
      const open = sink.openBatch;
      const reason = open && ageTrigger(open, this.deps.config, now);
      if (reason) {
        this.deps.log.info(`Flush triggered by ${reason} in '${sink.stream}'`);
        stale.push(sink);
      }
    }
    if (stale.length > 0) await this.flushDue(stale);
  }

  /** Writes the tracker's current answer, after any write already queued (R3). */
  private emitState(final: boolean): Promise<void> {
    if (this.deps.config.load_method === 'overwrite' && !final) return this.stateQueue;
    const write = this.stateQueue.then(async () => {
      const state = this.tracker.takeEmittable();
      if (state !== undefined) await this.deps.state.write(state);
    });
    this.stateQueue = write.catch(() => undefined);
    return write;
  }
}
