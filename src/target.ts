import type { Readable } from 'node:stream';
import { parseBatchMessage } from './batching/batch-messages.js';
import { composeEngine, type Engine, type TargetDeps } from './composition.js';
import { Flushes } from './engine/flushes.js';
import { Sink, type SinkContext } from './engine/sink.js';
import type { Progress } from './engine/progress.js';
import { Sinks } from './engine/sinks.js';
import { InputError, asError } from './errors.js';
import { readBatchFiles } from './loading/batch-reading.js';
import { appendsExactlyOnce } from './loading/append-commits.js';
import { forEachLine, lineChunks, lineText, type InputChunk, type LineOptions } from './singer/lines.js';
import { parseMessage, type ActivateVersionMessage, type BatchEnvelope, type RecordMessage, type SchemaMessage, type SingerMessage } from './singer/messages.js';
import { ScannedRecord, scanRecordLine } from './singer/record-scan.js';

export type { TargetDeps } from './composition.js';

export interface RunSummary {
  records: number;
  batches: number;
  /** True when the run stopped early on a signal (pending rows were still loaded). */
  interrupted: boolean;
}

/**
 * The message router: reads Singer messages and routes each one a single hop down — SCHEMA,
 * RECORD and ACTIVATE_VERSION to their stream's Sink (engine/sink.ts), BATCH to the batch reader
 * (loading/batch-reading.ts), STATE to the state tracker. The parts it routes to are built in
 * composition.ts. It keeps these invariants:
 *
 *  R1  Messages and timer-driven flushes run one at a time (`exclusive`), in input order.
 *  R2  Every change is registered with the tracker as a hold before any later STATE is seen, and
 *      committed only by the job that made it durable (loading/load-jobs.ts, where jobs are made).
 *  R3  States are written one at a time, each the tracker's answer at the time of writing, so
 *      they come out in order; with load_method overwrite none before the run ends successfully
 *      (state/state-emitter.ts).
 *  R4  A failure anywhere (input, load, state write) stops reading at once; queued loads are
 *      cancelled, running ones are waited for, batch files are removed, and the first error is
 *      what the run rejects with (`run`).
 */
export class Target {
  private readonly engine: Engine;
  private readonly sinks = new Sinks();
  private readonly flushes: Flushes;
  /** What every sink is given: progress, the jobs of its table, the flushes. */
  private readonly sinkContext: SinkContext;
  private exclusiveQueue: Promise<unknown> = Promise.resolve();
  /** Counts and clocks for the progress lines and the closing summary. */
  readonly progress: Progress;

  constructor(deps: TargetDeps) {
    this.engine = composeEngine(deps);
    this.progress = this.engine.progress;
    this.flushes = new Flushes(this.sinks, this.engine);
    this.sinkContext = { progress: this.engine.progress, jobs: this.engine.jobs, flushDue: (sinks) => this.flushes.due(sinks) };
  }

  async run(input: Readable, signal?: AbortSignal): Promise<RunSummary> {
    const { config, log, coordinator, states, progress } = this.engine;
    let timer: NodeJS.Timeout | undefined;
    try {
      await this.engine.start();
      timer = this.startWaitLimitTimer();
      progress.start(config.progress_interval_seconds ?? 0, () => coordinator.pendingLoads - coordinator.running);
      await this.readAll(input, signal);
      const interrupted = signal?.aborted ?? false;
      if (interrupted) log.warn('Stopping on signal: loading the rows received so far, then exiting');
      await this.exclusive(() => this.flushes.all(true));
      await states.emit(true);
      // After the last state: maintenance never holds back what the tap may resume from.
      if (!interrupted) await this.engine.jobs.maintainTables();
      return { records: progress.counts.records + progress.counts.batchRecords, batches: progress.counts.batches, interrupted };
    } catch (e) {
      coordinator.fail(asError(e));
      throw coordinator.failure;
    } finally {
      if (timer) clearInterval(timer);
      progress.stop();
      await coordinator.settle();
      for (const sink of this.sinks.values()) await sink.discard();
      // What committed before a failure is still worth a state: the tap resumes from there.
      if (coordinator.failure && config.load_method !== 'overwrite') await states.emit(false).catch(() => undefined);
      await this.engine.finish();
      for (const sink of this.sinks.values()) sink.alterationReport().forEach((line) => log.warn(line));
    }
  }

  /**
   * Reads lines until the input ends, the signal aborts it, or a load fails (whichever first). A
   * chunk of lines is handled in one exclusive task, awaiting only where a message waits (a flush
   * at capacity, DDL): the common record costs no promise.
   */
  private async readAll(input: Readable, signal?: AbortSignal): Promise<void> {
    const { config, log, coordinator, progress } = this.engine;
    // A failed load stops the reading at once: one listener for the whole run (a race per read
    // against the long-lived failure promise would keep every read's result alive until the end).
    const stop = new AbortController();
    void coordinator.failed.then(() => stop.abort());
    const until = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
    const chunks = lineChunks(input, until);
    const options: LineOptions = { onInvalidUtf8: config.on_invalid_utf8, warn: (m) => log.warn(m) };
    // Stream maps see parsed messages only; without them RECORD lines are staged from their bytes.
    const scan = this.engine.mapper ? undefined : new ScannedRecord();
    // Staging is the chunk's time less the waits inside it (table set-up, a free load slot).
    let done = performance.now();
    for await (const chunk of chunks) {
      const read = performance.now();
      progress.spent('read', read - done);
      const waited = progress.waited;
      await this.exclusive(async () => this.handleChunk(chunk, options, chunk.clean ? scan : undefined));
      done = performance.now();
      progress.spent('stage', done - read - (progress.waited - waited) * 1000);
    }
    coordinator.throwIfFailed();
  }

  /** The chunk's lines in order; a RECORD the scanner reads is staged from its bytes, any other line is parsed. */
  private handleChunk(chunk: InputChunk, options: LineOptions, scan: ScannedRecord | undefined): Promise<void> | void {
    return forEachLine(chunk, (start, end, number) => {
      const staged = scan ? this.handleScanned(scan, chunk.bytes, start, end, number) : false;
      return staged === false ? this.handle(lineText(chunk, start, end, number, options), number) : staged;
    });
  }

  /**
   * The RECORD path for a line read by scanRecordLine: the same step as handle() -> onRecord(),
   * with the row staged from the bytes (Sink.addScanned). False when the line is not such a
   * record, or its stream cannot take it now; handle() then reads the line.
   */
  private handleScanned(scan: ScannedRecord, bytes: Buffer, start: number, end: number, number: number): Promise<void> | void | false {
    if (!scanRecordLine(bytes, start, end, scan)) return false;
    const sink = this.sinks.named(bytes, scan.streamStart, scan.streamEnd);
    // A record that waits for its table's set-up takes the parsed path (Sink.add), which waits.
    if (!sink?.scannable) return false;
    this.engine.coordinator.throwIfFailed();
    this.engine.progress.message('RECORD');
    return sink.addScanned(scan, number);
  }

  /** Runs `task` after every task queued before it (R1). */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.exclusiveQueue.then(task);
    this.exclusiveQueue = result.catch(() => undefined);
    return result;
  }

  /** Handles one line; returns a promise only when the message has to wait (R1 holds either way). */
  private handle(line: string, number: number): Promise<void> | void {
    const { log, coordinator, progress, tracker, mapper } = this.engine;
    const message = parseMessage(line, number, { warn: (m) => log.warn(m) });
    if (message === undefined) return;
    coordinator.throwIfFailed();
    progress.message(message.type);
    // State is about the tap's streams: holds and bookmarks use the stream a message came in
    // with, whatever stream maps make of it (an aliased stream's bookmark keeps its tap name).
    if (message.type === 'SCHEMA') {
      tracker.knowStream(message.stream);
      if (appendsExactlyOnce(this.engine.config.load_method, message.key_properties.length > 0)) tracker.exactStream(message.stream);
    }
    if (!mapper) return this.dispatch(message, number);
    const source = 'stream' in message ? message.stream : undefined;
    return this.dispatchAll(mapper.map(message, number), number, source);
  }

  /** Dispatches messages in order, synchronously until one of them has to wait. */
  private dispatchAll(messages: readonly SingerMessage[], number: number, source: string | undefined, from = 0): Promise<void> | void {
    for (let i = from; i < messages.length; i += 1) {
      const pending = this.dispatch(messages[i]!, number, source);
      if (pending) return pending.then(() => this.dispatchAll(messages, number, source, i + 1));
    }
  }

  /** One hop down per message. */
  private dispatch(message: SingerMessage, number: number, source?: string): Promise<void> | void {
    switch (message.type) {
      case 'SCHEMA':
        return this.onSchema(message, number);
      case 'RECORD':
        return this.sinkFor(message.stream, number, 'RECORD').add(message, number, source ?? message.stream);
      case 'STATE':
        // Remembered, not written: states go out when a load commits and at the end, as other
        // Singer targets do (a tap may send one per record; each line is a state write for Meltano).
        return this.onState(message.value, number);
      case 'ACTIVATE_VERSION':
        return this.onActivateVersion(message, number, source ?? message.stream);
      case 'BATCH':
        return this.onBatch(message, number);
      case 'UNKNOWN':
        this.engine.log.warn(`Line ${number}: skipping message of unknown type '${message.rawType}'`);
        return;
    }
  }

  /** Full exactly-once batches waiting for a STATE are flushed first, so the state lies between their batches (S5). */
  private onState(value: unknown, number: number): Promise<void> | void {
    const full = this.sinks.fullUntilState();
    if (full.length === 0) return this.engine.tracker.onState(value, number);
    for (const sink of full) this.engine.log.info(`Flush triggered by ${sink.fullUntilState} and a STATE in '${sink.stream}'`);
    return this.flushes.due(full).then(() => this.engine.tracker.onState(value, number));
  }

  /** A stream's first SCHEMA makes its sink; a later one goes to that sink. */
  private onSchema(message: SchemaMessage, line: number): void {
    const known = this.sinks.get(message.stream);
    if (known) {
      known.schema(message, line);
      return;
    }
    const { config, log, tempDir, runId, registry } = this.engine;
    this.sinks.add(new Sink(message, line, { config, log, tempDir, filePrefix: runId, registry }, this.sinkContext));
  }

  private sinkFor(stream: string, line: number, what: string): Sink {
    const sink = this.sinks.get(stream);
    if (!sink) throw new InputError(`${what} arrived before the SCHEMA of its stream; the tap must send SCHEMA first`, { line, stream });
    return sink;
  }

  private onActivateVersion(message: ActivateVersionMessage, line: number, source: string): void {
    const { config, log } = this.engine;
    if (!config.process_activate_version_messages) {
      log.debug(`Line ${line}: ACTIVATE_VERSION ignored (process_activate_version_messages is false)`);
      return;
    }
    const sink = this.sinks.get(message.stream);
    if (!sink) {
      log.warn(`Line ${line}: ACTIVATE_VERSION for stream '${message.stream}' before its SCHEMA; ignored`);
      return;
    }
    sink.activateVersion(message.version, line, source);
  }

  /** A BATCH message's files: loaded directly by its sink, or their records one by one through the RECORD path. */
  private async onBatch(envelope: BatchEnvelope, line: number): Promise<void> {
    const { config, log, progress, tempDir } = this.engine;
    const message = parseBatchMessage(envelope.raw, line);
    // Rows of a mapped stream are mapped one by one, so its files are never loaded directly.
    const mapper = this.engine.mapper?.transforms(message.stream) ? this.engine.mapper : undefined;
    const sink = mapper ? undefined : this.sinkFor(message.stream, line, 'BATCH');
    const count = await readBatchFiles(message, line, {
      config,
      progress,
      tempDir,
      open: this.engine.openS3Object(),
      ...(sink ? { loadDirectly: (location) => sink.loadParquet(location, line) } : {}),
      record: async (record: RecordMessage, file: string) => {
        for (const each of mapper ? mapper.mapRecord(record, line) : [record]) await this.sinkFor(each.stream, line, 'BATCH').add(each, line, message.stream, file);
      },
    });
    log.info(`Line ${line}: BATCH of stream '${message.stream}' with ${message.manifest.length} file(s) done, ${count} record(s) staged`);
  }

  private startWaitLimitTimer(): NodeJS.Timeout | undefined {
    const limit = this.engine.config.batch_wait_limit_seconds;
    if (limit === undefined) return undefined;
    const timer = setInterval(
      () => {
        this.exclusive(() => this.flushes.stale()).catch((e: unknown) => this.engine.coordinator.fail(asError(e)));
      },
      Math.max(50, Math.min(1000, (limit * 1000) / 4)),
    );
    timer.unref();
    return timer;
  }
}
