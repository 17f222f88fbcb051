import { writeSync } from 'node:fs';
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { FILE_METADATA, parquetSchema, stageField, type StagedColumn } from './parquet-layout.js';
import { physicalColumn, type BlockData } from './row-block.js';

/**
 * The Parquet encoding of batch files, on a thread of its own (encoder-thread.ts starts it): the
 * record path hands over each row group in binary form (row-block.ts) and goes on reading while
 * this thread picks dictionaries, encodes, gzips and writes. Messages of one file are handled in
 * the order sent, one at a time; a file's first failure is reported once, and later row groups
 * of that file are dropped.
 */

/** workerData.role of the encoder thread (the module is also its entry). */
export const ENCODER_ROLE = 'target-iomete-parquet-encoder';
/** This module's URL: the encoder thread's entry (in the single-file bundle, the bundle). */
export const ENCODER_MODULE = import.meta.url;

export type EncoderRequest =
  | { type: 'open'; id: number; fd: number; path: string; columns: StagedColumn[]; compress: boolean }
  | { type: 'rows'; id: number; block: BlockData }
  | { type: 'finish'; id: number }
  | { type: 'discard'; id: number };

export interface EncoderFailure {
  message: string;
  /** A file system error (disk full, permissions), as opposed to a bug in the encoding. */
  staging: boolean;
}

/**
 * `failed` comes once per file, as soon as it fails (so the record path stops early); `settled`
 * answers every finish and discard, with the file's failure if it has one.
 */
export type EncoderReply = { type: 'failed'; id: number; failure: EncoderFailure } | { type: 'settled'; id: number; failure?: EncoderFailure };

/** Encoded bytes kept before they are written to the file. */
const WRITE_CHUNK_BYTES = 1024 * 1024;

/**
 * One batch file being written: the Parquet writer over the file descriptor the record path
 * opened. The descriptor stays the record path's to close (a thread closing a descriptor it did
 * not open is warned about); this side stops using it once the file is finished or dropped.
 */
class FileEncoder {
  private fd: number | undefined;
  private readonly out: ChunkedFileWriter;
  private readonly writer: ParquetWriter;

  constructor(
    fd: number,
    readonly path: string,
    private readonly columns: readonly StagedColumn[],
    compress: boolean,
  ) {
    this.fd = fd;
    this.out = new ChunkedFileWriter((bytes) => writeAll(this.fd!, bytes));
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

  write(block: BlockData): void {
    if (block.rows === 0) return;
    const columnData = this.columns.map((_, i) => ({ name: stageField(i), data: physicalColumn(block.columns[i]!, block.rows) }));
    // No dictionary settings: the writer keeps a dictionary only where it halves a column's size.
    void this.writer.write({ columnData: columnData as never, rowGroupSize: block.rows });
  }

  /** Writes the footer: the file is complete. */
  finish(): void {
    try {
      this.writer.finish();
    } finally {
      this.close();
    }
  }

  /** Writes nothing more to the file. */
  close(): void {
    this.fd = undefined;
  }
}

/**
 * Serves the requests of `port`. `queued[0]` counts the row groups sent and not yet encoded: the
 * record path waits when it is high (encoder-thread.ts), so this thread's backlog stays bounded.
 */
function serveEncoder(port: MessagePort, queued: Int32Array): void {
  const files = new Map<number, FileEncoder>();
  const failures = new Map<number, EncoderFailure>();
  const fail = (id: number, path: string, e: unknown): EncoderFailure => {
    const error = e as NodeJS.ErrnoException;
    const staging = typeof error.code === 'string';
    const failure = {
      message: staging ? `Cannot write batch file ${path}: ${error.code}; check 'temp_dir' (free space, permissions, path length)` : `Encoding batch file ${path} failed: ${error.message}`,
      staging,
    };
    files.get(id)?.close();
    files.delete(id);
    failures.set(id, failure);
    return failure;
  };
  port.on('message', (request: EncoderRequest) => {
    const { id } = request;
    switch (request.type) {
      case 'open':
        try {
          files.set(id, new FileEncoder(request.fd, request.path, request.columns, request.compress));
        } catch (e) {
          port.postMessage({ type: 'failed', id, failure: fail(id, request.path, e) } satisfies EncoderReply);
        }
        return;
      case 'rows': {
        const file = files.get(id);
        try {
          file?.write(request.block);
        } catch (e) {
          port.postMessage({ type: 'failed', id, failure: fail(id, file!.path, e) } satisfies EncoderReply);
        } finally {
          Atomics.sub(queued, 0, 1);
          Atomics.notify(queued, 0);
        }
        return;
      }
      case 'finish': {
        const file = files.get(id);
        files.delete(id);
        let failure = failures.get(id);
        failures.delete(id);
        if (file && !failure) {
          try {
            file.finish();
          } catch (e) {
            failure = fail(id, file.path, e);
            failures.delete(id);
          }
        }
        port.postMessage({ type: 'settled', id, ...(failure ? { failure } : {}) } satisfies EncoderReply);
        return;
      }
      case 'discard': {
        const file = files.get(id);
        files.delete(id);
        failures.delete(id);
        // The record path closes and removes the file once this is settled.
        file?.close();
        port.postMessage({ type: 'settled', id } satisfies EncoderReply);
        return;
      }
    }
  });
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

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === ENCODER_ROLE && parentPort) {
  serveEncoder(parentPort, new Int32Array((workerData as { queued: SharedArrayBuffer }).queued));
}
