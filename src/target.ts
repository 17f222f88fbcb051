import { isDeepStrictEqual } from 'node:util';
import { tmpdir } from 'node:os';
import type { Readable } from 'node:stream';
import type { TargetConfig } from './config/config.js';
import { InputError } from './errors.js';
import type { Logger } from './logging.js';
import { BatchLoader } from './loading/batch-loader.js';
import { TableManager } from './loading/table-manager.js';
import { columnsFor, type Column } from './schema/columns.js';
import { columnNameFor, tableRefFor, type TableRef } from './schema/naming.js';
import { convertValue, type StagedValue } from './schema/values.js';
import { numberedLines } from './singer/lines.js';
import { parseMessage, type RecordMessage, type SchemaMessage } from './singer/messages.js';
import type { SqlExecutor } from './spark/executor.js';
import { BatchFile } from './staging/batch-file.js';
import type { StateWriter } from './state/state-writer.js';
import { StateTracker } from './state/state-tracker.js';
import type { ObjectStore } from './storage/object-store.js';

export interface TargetDeps {
  config: TargetConfig;
  sql: SqlExecutor;
  store: ObjectStore;
  state: StateWriter;
  log: Logger;
}

interface StreamContext {
  stream: string;
  message: SchemaMessage;
  columns: Column[];
  keyProperties: string[];
  keyColumns: string[];
  table: TableRef;
  batch?: BatchFile;
  /** Distinct keys in the pending batch: duplicates of a key count once towards batch_size_rows. */
  batchKeys: Set<string>;
  batchFiles: number;
}

export interface RunSummary {
  records: number;
  flushes: number;
}

/**
 * The engine: reads Singer messages, writes each stream's records to batch files, loads full
 * batches, and emits a STATE only when every record before it is committed.
 */
export class Target {
  private readonly streams = new Map<string, StreamContext>();
  private readonly tracker = new StateTracker();
  private readonly tables: TableManager;
  private readonly loader: BatchLoader;
  private readonly tempDir: string;
  private records = 0;
  private flushes = 0;

  constructor(private readonly deps: TargetDeps) {
    this.tables = new TableManager(deps.sql, deps.log);
    this.loader = new BatchLoader(deps.sql, deps.store, deps.config.s3_key_prefix, deps.log);
    this.tempDir = deps.config.temp_dir ?? tmpdir();
  }

  async run(input: Readable): Promise<RunSummary> {
    try {
      for await (const { line, number } of numberedLines(input)) {
        const message = parseMessage(line, number);
        if (message === undefined) continue;
        switch (message.type) {
          case 'SCHEMA':
            await this.onSchema(message, number);
            break;
          case 'RECORD':
            await this.onRecord(message, number);
            break;
          case 'STATE':
            this.tracker.onState(message.value, !this.anyPending());
            break;
          case 'ACTIVATE_VERSION':
            this.deps.log.debug(`ACTIVATE_VERSION ${message.version} for stream '${message.stream}' noted`);
            break;
          case 'UNKNOWN':
            this.deps.log.warn(`Line ${number}: skipping message of unknown type '${message.rawType}'`);
            break;
        }
      }
      await this.flush([...this.streams.keys()], true);
      await this.emitState();
      return { records: this.records, flushes: this.flushes };
    } finally {
      await this.discardPending();
    }
  }

  private async onSchema(message: SchemaMessage, line: number): Promise<void> {
    const known = this.streams.get(message.stream);
    if (known && isDeepStrictEqual(known.message.schema, message.schema) && isDeepStrictEqual(known.message.key_properties, message.key_properties)) {
      return;
    }
    // Rows staged under the old schema are loaded before the table changes shape.
    if (this.anyPending()) {
      await this.flush([...this.streams.keys()], true);
      await this.emitState();
    }
    const where = { line, stream: message.stream };
    const keyProperties = message.key_properties;
    if (keyProperties === undefined) throw new InputError("SCHEMA message has no 'key_properties'", where);
    if (keyProperties.length === 0 && this.deps.config.primary_key_required) {
      throw new InputError(
        "The stream has no key properties and 'primary_key_required' is true; define keys in the tap or set primary_key_required to false to append",
        where,
      );
    }
    const columns = columnsFor(message.schema, message.stream);
    for (const key of keyProperties) {
      if (!columns.some((c) => c.property === key)) {
        throw new InputError(`Key property '${key}' is not among the schema's properties`, where);
      }
    }
    const table = tableRefFor(message.stream, this.deps.config);
    await this.tables.ensure(table, columns);
    this.streams.set(message.stream, {
      stream: message.stream,
      message,
      columns,
      keyProperties,
      keyColumns: keyProperties.map(columnNameFor),
      table,
      batchKeys: new Set(),
      batchFiles: known?.batchFiles ?? 0,
    });
  }

  private async onRecord(message: RecordMessage, line: number): Promise<void> {
    const context = this.streams.get(message.stream);
    if (!context) {
      throw new InputError('RECORD arrived before the SCHEMA of its stream; the tap must send SCHEMA first', {
        line,
        stream: message.stream,
      });
    }
    const cells = this.cellsOf(context, message.record, line);
    const batch = (context.batch ??= await this.newBatchFile(context));
    await batch.append(cells);
    this.records += 1;
    const batchSize = context.keyProperties.length > 0 ? this.trackKey(context, message.record, line) : batch.rowCount;
    if (batchSize >= this.deps.config.batch_size_rows) {
      this.deps.log.info(`Flush triggered by batch_size_rows (${this.deps.config.batch_size_rows}) reached in '${context.stream}'`);
      await this.flush([context.stream], false);
      await this.emitState();
    }
  }

  private cellsOf(context: StreamContext, record: Record<string, unknown>, line: number): StagedValue[] {
    return context.columns.map((column) => {
      const converted = convertValue(record[column.property], column);
      if (!converted.ok) {
        throw new InputError(`Column '${column.property}': ${converted.reason}`, { line, stream: context.stream });
      }
      if (converted.warning) this.deps.log.warn(`Line ${line}, stream '${context.stream}', column '${column.property}': ${converted.warning}`);
      return converted.value;
    });
  }

  private trackKey(context: StreamContext, record: Record<string, unknown>, line: number): number {
    const values = context.keyProperties.map((key) => {
      if (!(key in record)) {
        throw new InputError(`Record has no value for key property '${key}'`, { line, stream: context.stream });
      }
      return record[key];
    });
    context.batchKeys.add(JSON.stringify(values));
    return context.batchKeys.size;
  }

  private async newBatchFile(context: StreamContext): Promise<BatchFile> {
    context.batchFiles += 1;
    const safeStream = context.stream.replace(/[^A-Za-z0-9_.-]/g, '_');
    return BatchFile.create(this.tempDir, `target-iomete-${process.pid}-${safeStream}-${context.batchFiles}`, !this.deps.config.no_compression);
  }

  private anyPending(): boolean {
    for (const context of this.streams.values()) if (context.batch && context.batch.rowCount > 0) return true;
    return false;
  }

  /** Loads the pending batches of `streams`; `all` marks a flush of every stream (latest state becomes safe). */
  private async flush(streams: readonly string[], all: boolean): Promise<void> {
    const flushed: string[] = [];
    for (const stream of streams) {
      const context = this.streams.get(stream);
      const batch = context?.batch;
      if (!context || !batch) continue;
      context.batch = undefined;
      context.batchKeys = new Set();
      if (batch.rowCount === 0) {
        await batch.discard();
        continue;
      }
      await this.loader.load({ stream, table: context.table, columns: context.columns, keyColumns: context.keyColumns, file: batch });
      this.flushes += 1;
      flushed.push(stream);
    }
    if (all) this.tracker.onFullFlush();
    else this.tracker.onStreamsFlushed(flushed);
  }

  private async emitState(): Promise<void> {
    const state = this.tracker.takeEmittable();
    if (state !== undefined) await this.deps.state.write(state);
  }

  /** After a failure: delete batch files that were never loaded. */
  private async discardPending(): Promise<void> {
    for (const context of this.streams.values()) {
      const batch = context.batch;
      context.batch = undefined;
      if (batch) await batch.discard().catch(() => undefined);
    }
  }
}
