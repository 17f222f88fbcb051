import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { encoderThread, failureError } from './encoder-thread.js';
import type { StagedColumn } from './parquet-layout.js';
import { RowBlock, type Cell, type Spans } from './row-block.js';
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
  readonly path: string;
  private readonly id: number;
  /** Open until the encoder has settled the file's finish or discard (the encoder only writes to it). */
  private fd: number | undefined;
  private block: RowBlock;
  private rows = 0;
  private size = 0;
  private closed = false;
  /** The pending finish: a discard waits for it, so the encoder never writes to a closed descriptor. */
  private finishing: Promise<void> | undefined;
  /** When the first row was written (ms since epoch); the batch wait limit counts from here. */
  startedAt = 0;

  private constructor(path: string, columns: readonly StagedColumn[], compress: boolean) {
    this.path = path;
    this.block = new RowBlock(columns);
    const fd = fileCall(path, () => openSync(path, 'w'));
    this.fd = fd;
    try {
      this.id = encoderThread.open(fd, path, columns, compress);
    } catch (e) {
      this.closeFile();
      throw e;
    }
  }

  /** Opens a new batch file `<dir>/<baseName>.parquet` for rows of these columns. */
  static create(dir: string, baseName: string, columns: readonly StagedColumn[], compress: boolean): BatchFile {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new StagingError(`Cannot create the batch file folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; check 'temp_dir'`);
    }
    return new BatchFile(join(dir, `${baseName}.parquet`), columns, compress);
  }

  get rowCount(): number {
    return this.rows;
  }

  /** Estimated uncompressed bytes of the staged values so far (text bytes, 8 per other value). */
  get bytes(): number {
    return this.size;
  }

  /**
   * Appends one row: cell i is the staged value of column i (see RowBlock.append). The append
   * that completes a row group throws the file's failure once the encoder has reported one.
   */
  append(cells: readonly Cell[], spans?: Spans): void {
    if (this.closed) throw new Error(`batch file ${this.path} is closed`);
    if (this.rows === 0) this.startedAt = Date.now();
    this.size += this.block.append(cells, spans);
    this.rows += 1;
    if (this.block.rows >= ROW_GROUP_ROWS || this.block.bytes >= ROW_GROUP_BYTES) this.sendRowGroup();
  }

  /** Sends the last row group and waits for the footer; the file is complete once this resolves. */
  finish(): Promise<void> {
    if (this.finishing) return this.finishing;
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.finishing = (async () => {
      try {
        this.sendRowGroup();
        await encoderThread.finish(this.id);
      } finally {
        this.closeFile();
      }
    })();
    return this.finishing;
  }

  /** Drops what is not written yet and deletes the file. */
  async discard(): Promise<void> {
    const wasOpen = !this.closed;
    this.closed = true;
    this.block = new RowBlock([]);
    // A finished file is closed already; an open one is closed by the encoder first.
    if (wasOpen) await encoderThread.discard(this.id).catch(() => undefined);
    else await this.finishing?.catch(() => undefined);
    this.closeFile();
    rmSync(this.path, { force: true });
  }

  private closeFile(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // Closing fails only for a descriptor that is already gone; nothing is left to release.
    }
  }

  private sendRowGroup(): void {
    // Reports arrive between chunks of input, so looking once per row group, not per row, is as early.
    const failure = encoderThread.failure(this.id);
    if (failure) throw failureError(failure);
    if (this.block.rows === 0) return;
    const { data, transfer } = this.block.take();
    encoderThread.rows(this.id, data, transfer);
  }
}

/** Runs a file system call, turning its failure into a StagingError that says what to check. */
function fileCall<T>(path: string, call: () => T): T {
  try {
    return call();
  } catch (e) {
    throw new StagingError(`Cannot write batch file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; check 'temp_dir' (free space, permissions, path length)`);
  }
}
