import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { encoderThread, failureError } from './encoder-thread.js';
import { RowBlock } from './row-block.js';
import { StagingError } from './staging-error.js';
export { StagingError } from './staging-error.js';
/** Rows buffered before they are encoded as one row group (fewer when the rows are big). */
const ROW_GROUP_ROWS = 10_000;
/** Estimated value bytes buffered before a row group is encoded: bounds memory for wide rows. */
const ROW_GROUP_BYTES = 4 * 1024 * 1024;
/**
 * One batch of one stream, written to a local typed Parquet file as records arrive (see
 * parquet-layout.ts for the types). Rows are buffered in binary form (row-block.ts) and handed
 * to the encoder thread a row group at a time (encoder-thread.ts), so a batch never sits in
 * memory beyond a few row groups, the record path goes on reading while a row group is encoded,
 * and Spark reads the file directly in the load statement. Appending is synchronous: no promise
 * per record.
 */
export class BatchFile {
    path;
    id;
    /** Open until the encoder has settled the file's finish or discard (the encoder only writes to it). */
    fd;
    block;
    rows = 0;
    size = 0;
    closed = false;
    /** The pending finish: a discard waits for it, so the encoder never writes to a closed descriptor. */
    finishing;
    /** When the first row was written (ms since epoch); the batch wait limit counts from here. */
    startedAt = 0;
    constructor(path, columns, compress) {
        this.path = path;
        this.block = new RowBlock(columns);
        const fd = fileCall(path, () => openSync(path, 'w'));
        this.fd = fd;
        try {
            this.id = encoderThread.open(fd, path, columns, compress);
        }
        catch (e) {
            this.closeFile();
            throw e;
        }
    }
    /** Opens a new batch file `<dir>/<baseName>.parquet` for rows of these columns. */
    static create(dir, baseName, columns, compress) {
        try {
            mkdirSync(dir, { recursive: true });
        }
        catch (e) {
            throw new StagingError(`Cannot create the batch file folder ${dir}: ${e.code ?? e.message}; check 'temp_dir'`);
        }
        return new BatchFile(join(dir, `${baseName}.parquet`), columns, compress);
    }
    get rowCount() {
        return this.rows;
    }
    /** Estimated uncompressed bytes of the staged values so far (text bytes, 8 per other value). */
    get bytes() {
        return this.size;
    }
    /** Appends one row: cell i is the staged value of column i (see RowBlock.append). Throws the file's failure once the encoder reported one. */
    append(cells, spans) {
        if (this.closed)
            throw new Error(`batch file ${this.path} is closed`);
        const failure = encoderThread.failure(this.id);
        if (failure)
            throw failureError(failure);
        if (this.rows === 0)
            this.startedAt = Date.now();
        this.size += this.block.append(cells, spans);
        this.rows += 1;
        if (this.block.rows >= ROW_GROUP_ROWS || this.block.bytes >= ROW_GROUP_BYTES)
            this.sendRowGroup();
    }
    /** Sends the last row group and waits for the footer; the file is complete once this resolves. */
    finish() {
        if (this.finishing)
            return this.finishing;
        if (this.closed)
            return Promise.resolve();
        this.closed = true;
        this.finishing = (async () => {
            try {
                this.sendRowGroup();
                await encoderThread.finish(this.id);
            }
            finally {
                this.closeFile();
            }
        })();
        return this.finishing;
    }
    /** Drops what is not written yet and deletes the file. */
    async discard() {
        const wasOpen = !this.closed;
        this.closed = true;
        this.block = new RowBlock([]);
        // A finished file is closed already; an open one is closed by the encoder first.
        if (wasOpen)
            await encoderThread.discard(this.id).catch(() => undefined);
        else
            await this.finishing?.catch(() => undefined);
        this.closeFile();
        rmSync(this.path, { force: true });
    }
    closeFile() {
        if (this.fd === undefined)
            return;
        const fd = this.fd;
        this.fd = undefined;
        try {
            closeSync(fd);
        }
        catch {
            // Closing fails only for a descriptor that is already gone; nothing is left to release.
        }
    }
    sendRowGroup() {
        if (this.block.rows === 0)
            return;
        const { data, transfer } = this.block.take();
        encoderThread.rows(this.id, data, transfer);
    }
}
/** Runs a file system call, turning its failure into a StagingError that says what to check. */
function fileCall(path, call) {
    try {
        return call();
    }
    catch (e) {
        throw new StagingError(`Cannot write batch file ${path}: ${e.code ?? e.message}; check 'temp_dir' (free space, permissions, path length)`);
    }
}
//# sourceMappingURL=batch-file.js.map