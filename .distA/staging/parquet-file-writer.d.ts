import type { StagedValue } from '../schema/values.js';
import { type StagedColumn } from './parquet-layout.js';
/**
 * Writes one batch file, a row group at a time, synchronously: encoding is CPU work and the
 * writes go to the page cache. Used by the encoding thread (see batch-encoder.ts); errors are
 * the file system's own, the caller says what they mean.
 */
export declare class ParquetFileWriter {
    readonly path: string;
    private readonly columns;
    private fd;
    private readonly writer;
    constructor(path: string, columns: readonly StagedColumn[], compress: boolean);
    /** Encodes one row group: `values[i]` holds column i's staged values, all of one length. */
    writeRowGroup(values: readonly (readonly StagedValue[])[]): void;
    /** Writes the footer and closes the file. */
    finish(): void;
    /** Closes and deletes the file. */
    abort(): void;
    private close;
}
