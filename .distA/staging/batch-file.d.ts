import type { StagedColumn } from './parquet-layout.js';
import { type Cell, type Spans } from './row-block.js';
export { StagingError } from './staging-error.js';
/**
 * One batch of one stream, written to a local typed Parquet file as records arrive (see
 * parquet-layout.ts for the types). Rows are buffered in binary form (row-block.ts) and handed
 * to the encoder thread a row group at a time (encoder-thread.ts), so a batch never sits in
 * memory beyond a few row groups, the record path goes on reading while a row group is encoded,
 * and Spark reads the file directly in the load statement. Appending is synchronous: no promise
 * per record.
 */
export declare class BatchFile {
    readonly path: string;
    private readonly id;
    /** Open until the encoder has settled the file's finish or discard (the encoder only writes to it). */
    private fd;
    private block;
    private rows;
    private size;
    private closed;
    /** The pending finish: a discard waits for it, so the encoder never writes to a closed descriptor. */
    private finishing;
    /** When the first row was written (ms since epoch); the batch wait limit counts from here. */
    startedAt: number;
    private constructor();
    /** Opens a new batch file `<dir>/<baseName>.parquet` for rows of these columns. */
    static create(dir: string, baseName: string, columns: readonly StagedColumn[], compress: boolean): BatchFile;
    get rowCount(): number;
    /** Estimated uncompressed bytes of the staged values so far (text bytes, 8 per other value). */
    get bytes(): number;
    /** Appends one row: cell i is the staged value of column i (see RowBlock.append). Throws the file's failure once the encoder reported one. */
    append(cells: readonly Cell[], spans?: Spans): void;
    /** Sends the last row group and waits for the footer; the file is complete once this resolves. */
    finish(): Promise<void>;
    /** Drops what is not written yet and deletes the file. */
    discard(): Promise<void>;
    private closeFile;
    private sendRowGroup;
}
