import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { TargetError } from '../errors.js';
import type { StagedValue } from '../schema/values.js';
import { FILE_METADATA, parquetSchema, physicalValues, stageField, type StagedColumn } from './parquet-layout.js';

/** Rows buffered before they are encoded as one row group (fewer when the rows are big). */
const ROW_GROUP_ROWS = 10_000;
/** Estimated value bytes buffered before a row group is encoded: bounds memory for wide rows. */
const ROW_GROUP_BYTES = 4 * 1024 * 1024;
/** Encoded bytes kept before they are written to the file. */
const WRITE_CHUNK_BYTES = 1024 * 1024;

/**
 * One batch of one stream, written to a local typed Parquet file as records arrive (see
 * parquet-layout.ts for the types). Rows are buffered column by column and encoded a row group
 * at a time, so a batch never sits in memory beyond one row group, and Spark reads the file
 * directly in the load statement. Everything here is synchronous: encoding a row group is CPU
 * work, and the writes go to the page cache; no promise per record.
 */
export class BatchFile {
  readonly path: string;
  private readonly columns: readonly StagedColumn[];
  private fd: number | undefined;
  private readonly out: ChunkedFileWriter;
  private readonly writer: ParquetWriter;
  private buffered: StagedValue[][];
  private bufferedBytes = 0;
  private rows = 0;
  private size = 0;
  private closed = false;
  /** When the first row was written (ms since epoch); the batch wait limit counts from here. */
  startedAt = 0;

  private constructor(path: string, columns: readonly StagedColumn[], compress: boolean) {
    this.path = path;
    this.columns = columns;
    this.buffered = columns.map(() => []);
    this.fd = fileCall(path, () => openSync(path, 'w'));
    this.out = new ChunkedFileWriter((bytes) => fileCall(path, () => writeAll(this.fd!, bytes)));
    this.writer = new ParquetWriter({
      writer: this.out,
      schema: parquetSchema(columns),
      // Gzip at level 1 through Node's native zlib: smaller than snappy and faster than the
      // writer's JavaScript snappy; Spark reads Parquet gzip pages natively.
      codec: compress ? 'GZIP' : 'UNCOMPRESSED',
      compressors: { GZIP: (bytes: Uint8Array) => gzipSync(bytes, { level: 1 }) },
      // Statistics serve readers that skip row groups; a batch is read whole, once.
      statistics: false,
      kvMetadata: FILE_METADATA,
      createdBy: 'target-iomete',
    });
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

  /** Estimated uncompressed bytes of the staged values so far (text length in characters or bytes, 8 per number). */
  get bytes(): number {
    return this.size;
  }

  /** Appends one row: cell i is the staged value of column i. */
  append(cells: readonly StagedValue[]): void {
    if (this.closed) throw new Error(`batch file ${this.path} is closed`);
    let bytes = 0;
    for (let i = 0; i < cells.length; i += 1) {
      const value = cells[i] as StagedValue;
      this.buffered[i]!.push(value);
      bytes += typeof value === 'string' || value instanceof Uint8Array ? value.length : 8;
    }
    if (this.rows === 0) this.startedAt = Date.now();
    this.rows += 1;
    this.size += bytes;
    this.bufferedBytes += bytes;
    if (this.buffered[0]!.length >= ROW_GROUP_ROWS || this.bufferedBytes >= ROW_GROUP_BYTES) this.encodeRowGroup();
  }

  /** Writes the last row group and the footer and closes the file; the file is complete once this resolves. */
  async finish(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.encodeRowGroup();
      this.writer.finish();
    } finally {
      this.closeFile();
    }
  }

  /** Closes (if needed) and deletes the file. */
  async discard(): Promise<void> {
    this.closed = true;
    this.buffered = [];
    this.closeFile();
    rmSync(this.path, { force: true });
  }

  private encodeRowGroup(): void {
    const rows = this.buffered[0]?.length ?? 0;
    if (rows === 0) return;
    const columnData = this.columns.map((column, i) => ({ name: stageField(i), data: physicalValues(column, this.buffered[i]!) }));
    this.buffered = this.columns.map(() => []);
    this.bufferedBytes = 0;
    // No dictionary settings: the writer keeps a dictionary only where it halves a column's size.
    void this.writer.write({ columnData: columnData as never, rowGroupSize: rows });
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
}

/**
 * The Parquet writer's byte sink: encoded bytes collect in memory and go to the file in chunks
 * of about 1 MiB, and at the end of every row group and of the file.
 */
class ChunkedFileWriter extends ByteWriter {
  constructor(private readonly write: (bytes: Uint8Array) => void) {
    super(WRITE_CHUNK_BYTES * 2);
  }

  override ensure(size: number): void {
    if (this.index > WRITE_CHUNK_BYTES) this.flush();
    super.ensure(size);
  }

  flush(): void {
    if (this.index === 0) return;
    this.write(new Uint8Array(this.buffer, 0, this.index));
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

/** Runs a file system call, turning its failure into a StagingError that says what to check. */
function fileCall<T>(path: string, call: () => T): T {
  try {
    return call();
  } catch (e) {
    throw new StagingError(`Cannot write batch file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; check 'temp_dir' (free space, permissions, path length)`);
  }
}

/** A batch file could not be written (disk full, too many open files, bad temp_dir). */
export class StagingError extends TargetError {}
