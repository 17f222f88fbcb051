import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';
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
  /** When the first row was written (ms since epoch); the batch wait limit counts from here. */
  startedAt = 0;

  private constructor(path: string, compress: boolean) {
    this.path = path;
    this.file = createWriteStream(path);
    if (compress) {
      const gzip = createGzip();
      gzip.pipe(this.file);
      this.sink = gzip;
    } else {
      this.sink = this.file;
    }
  }

  static async create(dir: string, baseName: string, compress: boolean): Promise<BatchFile> {
    await mkdir(dir, { recursive: true });
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
    const line: Record<string, StagedValue> = {};
    cells.forEach((value, i) => {
      if (value !== null) line[stageField(i)] = value;
    });
    line[SEQUENCE_FIELD] = this.rows;
    if (this.rows === 0) this.startedAt = Date.now();
    this.rows += 1;
    const text = `${JSON.stringify(line)}\n`;
    this.size += Buffer.byteLength(text);
    if (!this.sink.write(text)) await once(this.sink, 'drain');
  }

  /** Flushes and closes the file; the file is complete once this resolves. */
  async finish(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const done = once(this.file, 'close');
    this.sink.end();
    await done;
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
