import { isDeepStrictEqual } from 'node:util';
import type { TargetConfig } from '../config/config.js';
import { BatchKeys } from './batch-keys.js';
import { KeyRange } from './key-range.js';
import { PartitionRange } from './partition-range.js';
import { InputError } from '../errors.js';
import type { Logger } from '../logging.js';
import { columnOf, columnsFor, decimalOf, type Column } from '../schema/columns.js';
import { normaliseType } from '../schema/evolution.js';
import { columnTypesFor } from '../schema/column-types.js';
import { valueAt } from '../schema/flatten.js';
import { BATCHED_AT, DELETED_AT, EXTRACTED_AT, METADATA_COLUMNS, TABLE_VERSION } from '../schema/metadata.js';
import { columnKey, tableRefFor, type TableRef } from '../schema/naming.js';
import { compileValidator, type Validate } from '../schema/record-validator.js';
import type { TableRegistry } from '../schema/table-registry.js';
import { partitionFieldsFor } from '../schema/table-layout.js';
import { decimalAt, integerAt, utcMicrosAt } from '../schema/byte-values.js';
import { convertValue, fastStaged, type Alteration, type StagedValue } from '../schema/values.js';
import type { RecordMessage, SchemaMessage } from '../singer/messages.js';
import {
  TOKEN_ARRAY,
  TOKEN_ESCAPED,
  TOKEN_FALSE,
  TOKEN_INTEGER,
  TOKEN_NULL,
  TOKEN_NUMBER,
  TOKEN_OBJECT,
  TOKEN_STRING,
  TOKEN_TRUE,
  type ScannedRecord,
} from '../singer/record-scan.js';
import type { PartitionTouch } from '../sql/compaction-filter.js';
import { tableName, type KeyBounds, type LoadColumn } from '../sql/statements.js';
import { BatchFile } from '../staging/batch-file.js';
import { SPAN, type Cell, type Spans } from '../staging/row-block.js';
import { sameBytes } from '../singer/same-bytes.js';

type CellMaker = (message: RecordMessage, line: number, from: string) => StagedValue;
/** Converts a record value for one column (the rules of convertValue, fast cases first). */
type Stager = (value: unknown, line: number, from: string) => StagedValue;

/** What the end-of-run warning says happened to values of each kind of Alteration. */
const ALTERATIONS: Record<Alteration, string> = {
  rounded: 'had more digits than a DOUBLE holds and were stored rounded (on_inexact_number is round)',
  'sub-microsecond': 'had digits beyond the microsecond, which a TIMESTAMP does not store, and were cut to microseconds',
  'leap-second': 'were leap seconds (:60), which a TIMESTAMP does not store, and were stored as :59.999999',
  'time-of-day': 'were date-times with a time of day, which a DATE column does not store; the date as written was kept',
};

/** Where a column's value comes from in a scanned line (see addScanned). */
const FROM_FIELD = 0;
const FROM_EXTRACTED = 1;
const FROM_BATCHED = 2;
const FROM_VERSION = 3;

/**
 * What the table has of one layout's columns. The layout's DDL job fills it; every batch written
 * with the layout loads after that job in the table's lane (C3), so it is read only when filled.
 */
export interface LayoutFit {
  /** Each column of the layout with its type in the table. */
  columns?: readonly LoadColumn[];
  /** The table had exactly these columns when the layout was fitted to it. */
  wholeTable: boolean;
}

/** The fit of a layout whose DDL job has finished; throws when it has not (a broken C3). */
export function fittedColumns(fit: LayoutFit, stream: string): readonly LoadColumn[] {
  if (!fit.columns) throw new Error(`internal error: a load of stream '${stream}' ran before its table was set up`);
  return fit.columns;
}

/** A batch closed for loading: the file, what it holds, and the columns it was written with. */
export interface ClosedBatch {
  stream: string;
  file: BatchFile;
  /** The tracker hold of the batch's records. */
  hold: number;
  table: TableRef;
  /** The table's fit of the layout the file was written with (filled before the batch loads). */
  fit: LayoutFit;
  keyColumns: readonly string[];
  /** The smallest and largest value of each key column whose type has a range (see KeyRange). */
  keyBounds: readonly KeyBounds[];
  /**
   * With compaction on, what the batch wrote into each partition column the settings give the
   * table (see PartitionRange); absent when the table is not partitioned by the settings.
   */
  partitionTouches?: readonly PartitionTouch[];
}

export interface SinkSettings {
  config: TargetConfig;
  log: Logger;
  tempDir: string;
  /** Prefix of batch file names: the run's id, so leftovers of a killed run can be told apart. */
  filePrefix: string;
  registry: TableRegistry;
}

/**
 * The record path of one stream: SCHEMA -> columns, RECORD -> cells -> the open batch file,
 * and the pending keys that count towards batch_size_rows. It owns the stream's layout and open
 * batch and nothing else: the stream's lifecycle (table set-up, loads, versions, overwrite) is
 * its Sink's (sink.ts), ordering belongs to the coordinator, state to the tracker. No I/O but
 * the batch file and log lines. Every field is private: the layout changes only through
 * applySchema, startVersioning and adoptTableTypes.
 */
export class StreamSink {
  private schemaMessage: SchemaMessage;
  private dataColumns: Column[] = [];
  /** Data columns plus the metadata columns in use; the layout of the batch file. */
  private layoutColumns: Column[] = [];
  /** The table's fit of the current layout (see LayoutFit); a new layout gets a new one. */
  private layoutFit: LayoutFit = { wholeTable: false };
  private keyProperties: string[] = [];
  private keyNames: string[] = [];
  private keyPaths: Array<readonly string[]> = [];
  /** Stages the value of each column of `columns` (see cellMaker). */
  private cellMakers: CellMaker[] = [];
  private stagers: Stager[] = [];
  /**
   * True when records may be staged from scanned bytes (addScanned): every column is a top-level
   * property or a metadata column, and records are not validated (ajv needs the parsed record).
   */
  private scanReady = false;
  /** For addScanned: where each column's value comes from, the record key it reads, and the column of each key. */
  private sources: number[] = [];
  private fieldColumn = new Map<string, number>();
  private fieldNames: Buffer[] = [];
  /** The column the record's i-th field matched last time (fields mostly come in the same order). */
  private predicted = new Int32Array(0);
  private slots = new Int32Array(0);
  private scannedCells: Cell[] = [];
  /** Where the SPAN cells of the scanned row are (see RowBlock.append). */
  private spans: Spans = { bytes: new Uint8Array(0), start: new Int32Array(0), end: new Int32Array(0) };
  private keyFieldColumns: number[] = [];
  private tableRef!: TableRef;
  private validate?: Validate;
  private batch?: BatchFile;
  private batchHold = 0;
  /** Distinct keys in the open batch: duplicates of a key count once towards batch_size_rows. */
  private batchKeys = new BatchKeys();
  /** The open batch's range of each key column that has one (the MERGE then reads only files that may hold its keys). */
  private keyRanges: KeyRange[] = [];
  /** With compaction on, the open batch's values of each partition column (maintenance compacts only those partitions). */
  private partitionRanges: PartitionRange[] | undefined;
  private readonly measures = { rows: 0, bytes: 0, startedAt: 0 };
  private batchFiles = 0;
  /** The stream carries table versions (ACTIVATE_VERSION or versioned records), so rows record theirs. */
  private versions = false;
  /** Per property and kind: values stored other than as given (see Alteration), reported at the end of the run. */
  private readonly altered = new Map<string, { property: string; kind: Alteration; count: number; line: number; text: string; stored: StagedValue }>();

  constructor(
    readonly stream: string,
    message: SchemaMessage,
    private readonly settings: SinkSettings,
    line: number,
  ) {
    this.schemaMessage = message;
    this.applySchema(message, line);
  }

  /** The table the stream writes (claimed in the run's TableRegistry). */
  get table(): TableRef {
    return this.tableRef;
  }

  /** The batch file's layout: data columns, then the metadata columns in use. */
  get columns(): readonly Column[] {
    return this.layoutColumns;
  }

  get keyColumns(): readonly string[] {
    return this.keyNames;
  }

  /** The table's fit of the current layout (filled by the layout's set-up job). */
  get fit(): LayoutFit {
    return this.layoutFit;
  }

  /** Records may be staged from scanned bytes (addScanned). */
  get scannable(): boolean {
    return this.scanReady;
  }

  /** Rows record their table version (see startVersioning). */
  get versioned(): boolean {
    return this.versions;
  }

  /**
   * True when the table's types decide how the layout's values are staged: a number column may
   * exist in the table as DOUBLE or DECIMAL (see adoptTableTypes), so its first record waits for
   * the table's set-up.
   */
  get needsTableTypes(): boolean {
    return this.dataColumns.some((c) => c.kind === 'number' || c.kind === 'decimal');
  }

  /** A new layout's fit, empty until its set-up job fills it; batches written from now on carry it. */
  newLayoutFit(): LayoutFit {
    this.layoutFit = { wholeTable: false };
    return this.layoutFit;
  }

  /**
   * From now on rows record their table version: the version columns join the layout. The open
   * batch must be closed first (its layout changes).
   */
  startVersioning(): void {
    if (this.batch) throw new Error(`versions of '${this.stream}' started with a batch open`);
    this.versions = true;
    this.layOut();
  }

  /** True when `message` describes the stream exactly as it is now (a repeated SCHEMA). */
  sameSchema(message: SchemaMessage): boolean {
    return isDeepStrictEqual(this.schemaMessage.schema, message.schema) && isDeepStrictEqual(this.schemaMessage.key_properties, message.key_properties);
  }

  /** Derives columns and keys from `message`. The open batch must be closed first (its layout changes). */
  applySchema(message: SchemaMessage, line: number): void {
    if (this.batch) throw new Error(`schema of '${this.stream}' changed with a batch open`);
    const { config } = this.settings;
    const where = { line, stream: this.stream };
    // The parser reads a missing key_properties as [] (with a warning), as SDK targets do.
    const keyProperties = message.key_properties;
    if (keyProperties.length === 0 && config.primary_key_required) {
      throw new InputError(
        "The stream has no key properties and 'primary_key_required' is true; define keys in the tap, or set primary_key_required to false to append its rows",
        where,
      );
    }
    const dataColumns = columnsFor(message.schema, this.stream, config.data_flattening_max_level, line, config.flattening_max_key_length, columnTypesFor(this.stream, config));
    const keyColumns = keyProperties.map((key) => {
      const column = dataColumns.find((c) => c.property === key);
      if (!column) throw new InputError(`Key property '${key}' is not among the schema's properties`, where);
      return column;
    });
    this.schemaMessage = message;
    this.dataColumns = dataColumns;
    this.keyProperties = keyProperties;
    this.keyNames = keyColumns.map((c) => c.name);
    this.keyPaths = keyColumns.map((c) => c.path);
    this.tableRef = this.settings.registry.claim(this.stream, tableRefFor(this.stream, config), where);
    this.validate = config.validate_records ? compileValidator(message.schema, this.stream) : undefined;
    this.layOut();
  }

  /** The batch file layout: data columns, then the metadata columns in use. */
  private layOut(): void {
    const metadata =
      this.settings.config.add_metadata_columns || this.settings.config.hard_delete
        ? METADATA_COLUMNS
        : this.versions
          ? METADATA_COLUMNS.filter((c) => c.name === DELETED_AT || c.name === TABLE_VERSION)
          : [];
    const metadataNames = new Set(metadata.map((c) => c.name));
    // A tap's own `_sdc_*` properties give way to the values the target sets.
    this.layoutColumns = [...this.dataColumns.filter((c) => !metadataNames.has(c.name)), ...metadata];
    this.stagers = this.layoutColumns.map((column) => this.stager(column));
    this.keyRanges = this.keyNames.flatMap((name) => {
      const index = this.layoutColumns.findIndex((c) => c.name === name);
      const range = index < 0 ? undefined : new KeyRange(this.layoutColumns[index]!, index);
      return range?.tracked ? [range] : [];
    });
    this.partitionRanges = this.trackedPartitions();
    this.cellMakers = this.layoutColumns.map((column, i) => this.cellMaker(column, this.stagers[i]!));
    this.layOutScanning();
  }

  /** Ranges of the partition columns the settings give the table, when maintenance compacts (else undefined: nothing tracked). */
  private trackedPartitions(): PartitionRange[] | undefined {
    const { config } = this.settings;
    const fields = config.maintenance && config.maintenance_compact ? partitionFieldsFor(this.stream, config) : undefined;
    if (!fields || fields.length === 0) return undefined;
    return fields.flatMap((field) => {
      const index = this.layoutColumns.findIndex((c) => columnKey(c.name) === columnKey(field.column));
      const range = index < 0 ? undefined : new PartitionRange(this.layoutColumns[index]!, index, field.transform);
      return range?.tracked ? [range] : [];
    });
  }

  /**
   * Takes the table's type for columns that exist with another number type, so values are checked
   * for the type they are stored in: a DOUBLE column keeps its type and its values follow
   * on_inexact_number (a DECIMAL staged for it would be rounded by the cast), a DECIMAL column
   * takes values exactly (a double staged for it would already be rounded). Each change is logged.
   * Called when the table fits the layout, before any record of it is staged.
   */
  adoptTableTypes(fit: readonly LoadColumn[]): LoadColumn[] {
    const replaced = new Map<Column, Column>();
    for (const { column, tableType } of fit) {
      const type = normaliseType(tableType);
      const decimal = decimalOf(type);
      let adopted: Column | undefined;
      if (type === 'DOUBLE' && column.kind === 'decimal') adopted = columnOf(column.path, 'number', 0, undefined, undefined, column);
      else if (decimal && column.kind === 'number') adopted = columnOf(column.path, 'decimal', decimal.scale, undefined, decimal.precision, column);
      if (!adopted || !this.dataColumns.includes(column)) continue;
      replaced.set(column, adopted);
      const what = `Stream '${this.stream}': column ${column.name} of ${tableName(this.tableRef)} stays ${adopted.type} (the schema or column_types give ${column.type}), so values are stored as ${adopted.type}`;
      if (adopted.kind === 'number') this.settings.log.warn(`${what}; on_inexact_number decides about those a DOUBLE cannot hold (alter the column to keep them exact)`);
      else this.settings.log.info(what);
    }
    if (replaced.size === 0) return [...fit];
    this.dataColumns = this.dataColumns.map((c) => replaced.get(c) ?? c);
    this.layOut();
    return fit.map(({ column, tableType }) => ({ column: replaced.get(column) ?? column, tableType }));
  }

  /** The lookups of addScanned for the current layout, and whether it can be used at all. */
  private layOutScanning(): void {
    this.sources = [];
    this.fieldColumn = new Map();
    this.fieldNames = [];
    let scannable = this.validate === undefined;
    this.layoutColumns.forEach((column, i) => {
      const special = { [EXTRACTED_AT]: FROM_EXTRACTED, [BATCHED_AT]: FROM_BATCHED, [TABLE_VERSION]: FROM_VERSION }[column.name];
      const metadata = METADATA_COLUMNS.some((c) => c.name === column.name);
      if (metadata && special !== undefined) {
        this.sources.push(special);
        this.fieldNames.push(Buffer.alloc(0));
        return;
      }
      // _sdc_deleted_at (metadata or not) and data columns read one top-level property.
      const key = metadata ? '_sdc_deleted_at' : column.path.length === 1 ? column.path[0]! : undefined;
      if (key === undefined || this.fieldColumn.has(key)) scannable = false;
      else this.fieldColumn.set(key, i);
      this.sources.push(FROM_FIELD);
      this.fieldNames.push(Buffer.from(key ?? ''));
    });
    this.keyFieldColumns = this.keyProperties.map((key) => this.fieldColumn.get(key) ?? -1);
    if (this.keyFieldColumns.includes(-1)) scannable = false;
    this.predicted = new Int32Array(this.layoutColumns.length + 8).fill(-1);
    this.slots = new Int32Array(this.layoutColumns.length);
    this.scannedCells = new Array<Cell>(this.layoutColumns.length).fill(null);
    this.spans = { bytes: new Uint8Array(0), start: new Int32Array(this.layoutColumns.length), end: new Int32Array(this.layoutColumns.length) };
    this.scanReady = scannable;
  }


  /** The open batch's measures for the flush policy, or undefined when none is open. */
  get openBatch(): Readonly<{ rows: number; bytes: number; startedAt: number }> | undefined {
    const batch = this.batch;
    if (!batch || batch.rowCount === 0) return undefined;
    // One object, refilled on every call: asked once per record, read at once.
    const measures = this.measures;
    measures.rows = this.keyNames.length > 0 ? this.batchKeys.size : batch.rowCount;
    measures.bytes = batch.bytes;
    measures.startedAt = batch.startedAt;
    return measures;
  }

  /**
   * Writes one record to the open batch (opening one with `newHold()` as its hold). Returns the
   * hold the record belongs to.
   */
  add(message: RecordMessage, line: number, newHold: () => number, source?: string): number {
    const from = source ? ` in ${source}` : '';
    if (this.validate) {
      const problem = this.validate(message.record);
      if (problem) throw new InputError(`Record${from} does not match the stream schema: ${problem}`, { line, stream: this.stream });
    }
    const cells = this.cellsOf(message, line, from);
    const key = this.keyNames.length > 0 ? this.keyFrom(this.keyPaths.map((path) => valueAt(message.record, path)), line) : undefined;
    return this.append(cells, key, newHold);
  }

  /**
   * The same as add() for a record read by scanRecordLine (only when `scannable`): most values
   * are staged straight from the line's bytes (numbers, plain text, RFC 3339 UTC timestamps,
   * canonical JSON), every other value is parsed from its token and takes the same conversion as
   * in add(), so the staged row, the key, the warnings and the first error are those add() gives
   * for the parsed line (test/unit/scanned-records.test.ts).
   */
  addScanned(scan: ScannedRecord, line: number, newHold: () => number): number {
    const { slots, sources } = this;
    slots.fill(-1);
    for (let f = 0; f < scan.fields; f += 1) {
      const column = this.columnOfField(scan, f);
      // A repeated key: the last one counts, as in JSON.parse.
      if (column >= 0) slots[column] = f;
    }
    const bytes = scan.bytes;
    // One array for every scanned row: the batch file copies the values out at once.
    const cells = this.scannedCells;
    for (let i = 0; i < cells.length; i += 1) {
      switch (sources[i]) {
        case FROM_FIELD: {
          const f = slots[i]!;
          cells[i] = f < 0 ? null : this.scannedCell(i, scan.kind[f]!, bytes, scan.valueStart[f]!, scan.valueEnd[f]!, scan.canonical[f] === 1, line);
          break;
        }
        case FROM_EXTRACTED:
          cells[i] = scan.extractedStart < 0 ? null : this.scannedCell(i, TOKEN_STRING, bytes, scan.extractedStart, scan.extractedEnd, false, line);
          break;
        case FROM_BATCHED:
          cells[i] = this.stagers[i]!(new Date().toISOString(), line, '');
          break;
        default:
          // A line with a version is never scanned (record-scan.ts, K5).
          cells[i] = null;
      }
    }
    let key: string | number | undefined;
    const keyColumns = this.keyFieldColumns;
    if (keyColumns.length === 1) {
      // The common single integer key, without the array keyFrom takes.
      const f = slots[keyColumns[0]!]!;
      key = f >= 0 && scan.kind[f] === TOKEN_INTEGER ? integerAt(bytes, scan.valueStart[f]!, scan.valueEnd[f]!) : this.keyFrom([f < 0 ? undefined : tokenValue(scan.kind[f]!, bytes, scan.valueStart[f]!, scan.valueEnd[f]!)], line);
    } else if (keyColumns.length > 1) {
      const values = new Array<unknown>(keyColumns.length);
      for (let k = 0; k < keyColumns.length; k += 1) {
        const f = slots[keyColumns[k]!]!;
        values[k] = f < 0 ? undefined : tokenValue(scan.kind[f]!, bytes, scan.valueStart[f]!, scan.valueEnd[f]!);
      }
      key = this.keyFrom(values, line);
    }
    this.spans.bytes = bytes;
    return this.append(cells, key, newHold, this.spans);
  }

  /** The column index the scanned record's field `f` belongs to, or -1 for a property that is no column. */
  private columnOfField(scan: ScannedRecord, f: number): number {
    const bytes = scan.bytes;
    const start = scan.keyStart[f]!;
    const end = scan.keyEnd[f]!;
    const guess = f < this.predicted.length ? this.predicted[f]! : -1;
    if (guess >= 0) {
      const name = this.fieldNames[guess]!;
      if (sameBytes(bytes, start, end, name, 0, name.length)) return guess;
    }
    const column = this.fieldColumn.get(bytes.toString('utf8', start, end)) ?? -1;
    if (f < this.predicted.length) this.predicted[f] = column;
    return column;
  }

  /** The staged value of column i from a token; the common forms straight from the bytes. */
  private scannedCell(i: number, kind: number, bytes: Buffer, start: number, end: number, canonical: boolean, line: number): Cell {
    if (kind === TOKEN_NULL) return null;
    switch (this.layoutColumns[i]!.kind) {
      case 'integer':
        if (kind === TOKEN_INTEGER) return integerAt(bytes, start, end);
        break;
      case 'number':
        if (kind === TOKEN_INTEGER) return integerAt(bytes, start, end);
        if (kind === TOKEN_NUMBER) {
          const value = decimalAt(bytes, start, end);
          if (value !== undefined) return value;
        }
        break;
      case 'boolean':
        if (kind === TOKEN_TRUE) return true;
        if (kind === TOKEN_FALSE) return false;
        break;
      case 'string':
        if (kind === TOKEN_STRING) return this.span(i, start, end);
        break;
      case 'json':
        if (kind === TOKEN_STRING || ((kind === TOKEN_OBJECT || kind === TOKEN_ARRAY) && canonical)) return this.span(i, start, end);
        break;
      case 'timestamp':
        if (kind === TOKEN_STRING) {
          const micros = utcMicrosAt(bytes, start, end);
          if (micros !== undefined) return micros;
        }
        break;
      default:
        break;
    }
    return this.stagers[i]!(tokenValue(kind, bytes, start, end), line, '');
  }

  /** Column i's value is the text bytes[start, end) of the scanned line: the batch file copies them at once. */
  private span(i: number, start: number, end: number): Cell {
    this.spans.start[i] = start;
    this.spans.end[i] = end;
    return SPAN;
  }

  private countAltered(property: string, kind: Alteration, value: unknown, stored: StagedValue, line: number): void {
    const key = `${kind} ${property}`;
    const seen = this.altered.get(key);
    if (seen) seen.count += 1;
    else this.altered.set(key, { property, kind, count: 1, line, text: typeof value === 'bigint' ? value.toString() : String(value), stored });
  }

  /** One warning per column and kind of value stored other than as given in this run (see Alteration). */
  alterationReport(): string[] {
    return [...this.altered.values()].map(({ property, kind, count, line, text, stored }) => {
      const first = `the first, line ${line}: ${text} stored as ${String(stored).replace(/Z$/, '')}`;
      return `Stream '${this.stream}', column '${property}': ${count} value(s) ${ALTERATIONS[kind]}; ${first}`;
    });
  }

  /** Opens the batch when needed, writes the row, counts its key. */
  private append(cells: Cell[], key: string | number | undefined, newHold: () => number, spans?: Spans): number {
    if (!this.batch) {
      this.batchFiles += 1;
      this.batchHold = newHold();
      const safeStream = this.stream.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 100);
      this.batch = BatchFile.create(this.settings.tempDir, `${this.settings.filePrefix}-${safeStream}-${this.batchFiles}`, this.layoutColumns, !this.settings.config.no_compression);
    }
    this.batch.append(cells, spans);
    if (key !== undefined) this.batchKeys.add(key);
    for (const range of this.keyRanges) range.add(cells[range.index]!, spans);
    if (this.partitionRanges) for (const range of this.partitionRanges) range.add(cells[range.index]!, spans);
    return this.batchHold;
  }

  /** Closes the open batch for loading; undefined when it holds no rows (an empty file is removed). */
  close(): ClosedBatch | undefined {
    const file = this.batch;
    this.batch = undefined;
    this.batchKeys = new BatchKeys();
    const keyBounds = this.keyRanges.flatMap((range) => range.bounds() ?? []);
    this.keyRanges = this.keyRanges.map((range) => new KeyRange(range.column, range.index));
    const partitionTouches = this.partitionRanges?.flatMap((range) => range.touch() ?? []);
    this.partitionRanges = this.partitionRanges?.map((range) => new PartitionRange(range.column, range.index, range.transform));
    if (!file) return undefined;
    if (file.rowCount === 0) {
      void file.discard().catch(() => undefined);
      return undefined;
    }
    return { stream: this.stream, file, hold: this.batchHold, table: this.tableRef, fit: this.layoutFit, keyColumns: this.keyNames, keyBounds, ...(partitionTouches ? { partitionTouches } : {}) };
  }

  /** After a failure or signal: removes the open batch file. */
  async discard(): Promise<void> {
    const file = this.batch;
    this.batch = undefined;
    if (file) await file.discard().catch(() => undefined);
  }

  private cellsOf(message: RecordMessage, line: number, from: string): StagedValue[] {
    const cells = new Array<StagedValue>(this.cellMakers.length);
    for (let i = 0; i < cells.length; i += 1) cells[i] = this.cellMakers[i]!(message, line, from);
    return cells;
  }

  /**
   * One function per column, made once per layout: it reads the column's value from a record
   * and stages it. The common cases (a number for a number column, a string for a text column,
   * an RFC 3339 UTC timestamp) are decided by one type check; anything else takes convertValue,
   * which owns every rule and every error message.
   */
  private cellMaker(column: Column, stage: Stager): CellMaker {
    const read = this.valueReader(column);
    return (message, line, from) => stage(read(message), line, from);
  }

  private stager(column: Column): Stager {
    const { config, log } = this.settings;
    const slow = (value: unknown, line: number, from: string): StagedValue => {
      const converted = convertValue(value, column, config);
      if (!converted.ok) throw new InputError(`Column '${column.property}'${from}: ${converted.reason}`, { line, stream: this.stream });
      if (converted.warning) log.warn(`Line ${line}, stream '${this.stream}', column '${column.property}': ${converted.warning}`);
      if (converted.altered) this.countAltered(column.property, converted.altered, value, converted.value, line);
      return converted.value;
    };
    const fast = fastStaged(column.kind);
    return (value, line, from) => {
      if (value === null || value === undefined) return null;
      const staged = fast(value);
      return staged === undefined ? slow(value, line, from) : staged;
    };
  }

  private valueReader(column: Column): (message: RecordMessage) => unknown {
    switch (column.name) {
      case EXTRACTED_AT:
        return (message) => message.time_extracted;
      case BATCHED_AT:
        return () => new Date().toISOString();
      case DELETED_AT:
        return (message) => valueAt(message.record, ['_sdc_deleted_at']);
      case TABLE_VERSION:
        return (message) => message.version;
    }
    const path = column.path;
    return (message) => valueAt(message.record, path);
  }

  /** The batch key of a record from its key properties' values (undefined: the record has none). */
  private keyFrom(keyValues: unknown[], line: number): string | number {
    const values = keyValues.map((value, i) => {
      const property = this.keyProperties[i]!;
      if (value === undefined) throw new InputError(`Record has no value for key property '${property}'`, { line, stream: this.stream });
      if (value === null && this.settings.config.primary_key_required) {
        throw new InputError(
          `Key property '${property}' is null; rows need a key to be merged (set primary_key_required to false to accept null keys)`,
          { line, stream: this.stream },
        );
      }
      return value;
    });
    // A single numeric key is kept as the number itself: a Set of numbers costs far less memory
    // than one of JSON strings, and batches hold up to batch_size_rows keys per stream.
    const [only] = values;
    return values.length === 1 && typeof only === 'number' ? only : JSON.stringify(values, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
}

/** The parsed value of a token (the line holds no number that needs exact parsing: K5). */
function tokenValue(kind: number, bytes: Buffer, start: number, end: number): unknown {
  switch (kind) {
    case TOKEN_STRING:
      return bytes.toString('utf8', start, end);
    case TOKEN_ESCAPED:
      return JSON.parse(bytes.toString('utf8', start - 1, end + 1)) as unknown;
    case TOKEN_INTEGER:
      return integerAt(bytes, start, end);
    case TOKEN_NULL:
      return null;
    case TOKEN_TRUE:
      return true;
    case TOKEN_FALSE:
      return false;
    case TOKEN_NUMBER:
    default:
      return JSON.parse(bytes.toString('utf8', start, end)) as unknown;
  }
}
