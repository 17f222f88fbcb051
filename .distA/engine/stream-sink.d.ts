import type { TargetConfig } from '../config/config.js';
import type { Logger } from '../logging.js';
import { type Column } from '../schema/columns.js';
import { type TableRef } from '../schema/naming.js';
import type { TableRegistry } from '../schema/table-registry.js';
import type { RecordMessage, SchemaMessage } from '../singer/messages.js';
import { type ScannedRecord } from '../singer/record-scan.js';
import type { LoadColumn, LoadMode } from '../sql/statements.js';
import { BatchFile } from '../staging/batch-file.js';
/** A batch closed for loading: the file, what it holds, and the columns it was written with. */
export interface ClosedBatch {
    stream: string;
    file: BatchFile;
    /** The tracker hold of the batch's records. */
    hold: number;
    table: TableRef;
    columns: readonly LoadColumn[];
    /** The table had exactly these columns when the batch's layout was fitted to it. */
    wholeTable: boolean;
    keyColumns: readonly string[];
    mode: LoadMode;
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
 * and the pending keys that count towards batch_size_rows. It owns the stream's open batch and
 * nothing else: loading, ordering and state belong to the layers above. Pure but for the file.
 */
export declare class StreamSink {
    readonly stream: string;
    private readonly settings;
    message: SchemaMessage;
    dataColumns: Column[];
    /** Data columns plus the metadata columns in use; the layout of the batch file. */
    columns: Column[];
    /** The columns with their types in the table (set once the table fits the layout). */
    loadColumns: LoadColumn[];
    /** The table has exactly `loadColumns` (see TableFit); a later layout is fitted after this one's batches load. */
    wholeTable: boolean;
    keyProperties: string[];
    keyColumns: string[];
    private keyPaths;
    /** Stages the value of each column of `columns` (see cellMaker). */
    private cellMakers;
    private stagers;
    /**
     * True when records may be staged from scanned bytes (addScanned): every column is a top-level
     * property or a metadata column, and records are not validated (ajv needs the parsed record).
     */
    scannable: boolean;
    /** For addScanned: where each column's value comes from, the record key it reads, and the column of each key. */
    private sources;
    private fieldColumn;
    private fieldNames;
    /** The column the record's i-th field matched last time (fields mostly come in the same order). */
    private predicted;
    private slots;
    private scannedCells;
    /** Where the SPAN cells of the scanned row are (see RowBlock.append). */
    private spans;
    private keyFieldColumns;
    table: TableRef;
    private validate?;
    private batch?;
    private batchHold;
    /** Distinct keys in the open batch: duplicates of a key count once towards batch_size_rows. */
    private batchKeys;
    private readonly measures;
    private batchFiles;
    /** The stream carries table versions (ACTIVATE_VERSION or versioned records), so rows record theirs. */
    versioned: boolean;
    /** With load_method overwrite: the table's old rows were replaced by this run's first batch. */
    overwritten: boolean;
    constructor(stream: string, message: SchemaMessage, settings: SinkSettings, line: number);
    /** True when `message` describes the stream exactly as it is now (a repeated SCHEMA). */
    sameSchema(message: SchemaMessage): boolean;
    /** Derives columns and keys from `message`. The open batch must be closed first (its layout changes). */
    applySchema(message: SchemaMessage, line: number): void;
    /** The batch file layout: data columns, then the metadata columns in use. */
    layOut(): void;
    /** The lookups of addScanned for the current layout, and whether it can be used at all. */
    private layOutScanning;
    /** The open batch's measures for the flush policy, or undefined when none is open. */
    get openBatch(): Readonly<{
        rows: number;
        bytes: number;
        startedAt: number;
    }> | undefined;
    /**
     * Writes one record to the open batch (opening one with `newHold()` as its hold). Returns the
     * hold the record belongs to.
     */
    add(message: RecordMessage, line: number, newHold: () => number, source?: string): number;
    /**
     * The same as add() for a record read by scanRecordLine (only when `scannable`): most values
     * are staged straight from the line's bytes (numbers, plain text, RFC 3339 UTC timestamps,
     * canonical JSON), every other value is parsed from its token and takes the same conversion as
     * in add(), so the staged row, the key, the warnings and the first error are those add() gives
     * for the parsed line (test/unit/scanned-records.test.ts).
     */
    addScanned(scan: ScannedRecord, line: number, newHold: () => number): number;
    /** The column index the scanned record's field `f` belongs to, or -1 for a property that is no column. */
    private columnOfField;
    /** The staged value of column i from a token; the common forms straight from the bytes. */
    private scannedCell;
    /** Column i's value is the text bytes[start, end) of the scanned line: the batch file copies them at once. */
    private span;
    /** Opens the batch when needed, writes the row, counts its key. */
    private append;
    /** Closes the open batch for loading; undefined when it holds no rows (an empty file is removed). */
    close(): ClosedBatch | undefined;
    /** After a failure or signal: removes the open batch file. */
    discard(): Promise<void>;
    /** How the next batch goes into the table (overwrite replaces the table's rows once per run). */
    nextLoadMode(): LoadMode;
    private cellsOf;
    /**
     * One function per column, made once per layout: it reads the column's value from a record
     * and stages it. The common cases (a number for a number column, a string for a text column,
     * an RFC 3339 UTC timestamp) are decided by one type check; anything else takes convertValue,
     * which owns every rule and every error message.
     */
    private cellMaker;
    private stager;
    private valueReader;
    /** The batch key of a record from its key properties' values (undefined: the record has none). */
    private keyFrom;
}
