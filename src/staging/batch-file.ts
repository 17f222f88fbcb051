import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';
import { TargetError } from '../errors.js';
import type { StagedValue } from '../schema/values.js';
import { SEQUENCE_FIELD, stageField } from '../sql/statements.js';

/**
 * One batch of one stream, written to a local JSON-lines file as records arrive, so a batch never
 * sits in memory as JS objects. Each line holds the converted cells under fixed field names
 * (c0, c1, ...) and the record's position in the batch.
 */
export class BatchFile {
  readonly path: string;
  private readonly file: WriteStream;
  private readonly sink: Gzip | WriteStream;
  private rows = 0;
  private size = 0;
  private closed = false;
  /**
   * The first error of the file or compression stream (ENOSPC, EMFILE, ...). Streams report
   * errors as events; without a listener Node would end the process. It is kept and thrown by
   * the next append or finish, so the run fails with a clear message and cleans up.
   */
  private error: Error | undefined;
  private readonly failed: Promise<never>;
  /** When the first row was written (ms since epoch); the batch wait limit counts from here. */
  startedAt = 0;

  private constructor(path: string, compress: boolean) {
    this.path = path;
    this.file = createWriteStream(path);
    let reject!: (e: Error) => void;
    this.failed = new Promise<never>((_resolve, r) => (reject = r));
    // Handled here so a failure with no append waiting is not an unhandled rejection.
    this.failed.catch(() => undefined);
    const onError = (e: Error) => {
      if (this.error) return;
      this.error = new StagingError(`Cannot write batch file ${path}: ${(e as NodeJS.ErrnoException).code ?? e.message}; check 'temp_dir' (free space, permissions, path length)`);
      reject(this.error);
    };
    this.file.on('error', onError);
    if (compress) {
      const gzip = createGzip();
      gzip.on('error', onError);
      gzip.pipe(this.file);
      this.sink = gzip;
    } else {
      this.sink = this.file;
    }
  }

  static async create(dir: string, baseName: string, compress: boolean): Promise<BatchFile> {
    try {
      await mkdir(dir, { recursive: true });
    } catch (e) {
      throw new StagingError(`Cannot create the batch file folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; check 'temp_dir'`);
    }
    return new BatchFile(join(dir, `${baseName}${compress ? '.jsonl.gz' : '.jsonl'}`), compress);
  }

  get rowCount(): number {
    return this.rows;
  }

  /** Uncompressed bytes written so far. */
  get bytes(): number {
    return this.size;
  }

  /** Appends one row; waits when the file stream is saturated (backpressure up to stdin). */
  async append(cells: readonly StagedValue[]): Promise<void> {
    if (this.error) throw this.error;
    const line: Record<string, StagedValue> = {};
    cells.forEach((value, i) => {
      if (value !== null) line[stageField(i)] = value;
    });
    line[SEQUENCE_FIELD] = this.rows;
    if (this.rows === 0) this.startedAt = Date.now();
    this.rows += 1;
    const text = `${JSON.stringify(line)}\n`;
    this.size += Buffer.byteLength(text);
    if (!this.sink.write(text)) await Promise.race([once(this.sink, 'drain'), this.failed]);
  }

  /** Flushes and closes the file; the file is complete once this resolves. */
  async finish(): Promise<void> {
    if (this.error) throw this.error;
    if (this.closed) return;
    this.closed = true;
    const done = once(this.file, 'close');
    this.sink.end();
    await Promise.race([done, this.failed]);
  }

  /** Closes (if needed) and deletes the file. */
  async discard(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.sink.destroy();
      this.file.destroy();
    }
    await rm(this.path, { force: true });
  }
}

/** A batch file could not be written (disk full, too many open files, bad temp_dir). */
export class StagingError extends TargetError {}
