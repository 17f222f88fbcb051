import { createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline as pipe, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { jsonSyntaxError } from '../json-syntax.js';
import { ConfigError, InputError, TargetError, TransientError, asError } from '../errors.js';
import { parseJson, isObject } from '../singer/json.js';
import { parquetFileRecords } from '../staging/parquet-reader.js';
import type { S3Settings } from '../storage/s3-client.js';
import { S3ObjectStore } from '../storage/s3-object-store.js';

/**
 * Singer BATCH messages as the Meltano SDK sends them: instead of RECORD lines, a stream's records
 * arrive in files (JSON lines, optionally gzipped, or Parquet) listed in a manifest of file:// and
 * s3:// URLs. Parsing is pure and checks everything that can be checked before a file is opened;
 * reading streams each file record by record, so a batch never sits in memory.
 */

type BatchEncoding =
  | { format: 'jsonl'; compression: 'gzip' | 'none' }
  /** Parquet compresses inside the file; the declared codec is informational. */
  | { format: 'parquet'; compression: ParquetCodec };

type ParquetCodec = 'none' | 'gzip' | 'snappy' | 'zstd' | 'brotli' | 'lz4' | 'lz4_raw';

export type BatchFileLocation = { scheme: 'file'; url: string; path: string } | { scheme: 's3'; url: string; bucket: string; key: string };
export type S3Location = Extract<BatchFileLocation, { scheme: 's3' }>;

export interface BatchMessage {
  type: 'BATCH';
  stream: string;
  encoding: BatchEncoding;
  manifest: BatchFileLocation[];
}

/** Opens an S3 object for reading; injected so reading is testable without S3. */
export type OpenS3Object = (bucket: string, key: string) => Promise<Readable>;

export interface BatchReadOptions {
  /** Line of the BATCH message in the input; errors name it. */
  line?: number;
  /** Where Parquet files from S3 are spooled (Parquet needs random access). Default: OS temp. */
  tempDir?: string;
}

/** One record with where it came from (for error messages about the record itself). */
export interface BatchRow {
  record: Record<string, unknown>;
  url: string;
  /** 1-based: the line in a JSON-lines file, the row in a Parquet file. */
  row: number;
}

const JSONL_COMPRESSIONS = ['gzip', 'none'] as const;
const PARQUET_CODECS: readonly ParquetCodec[] = ['none', 'gzip', 'snappy', 'zstd', 'brotli', 'lz4', 'lz4_raw'];
/** A JSON line longer than this means the file is not what the message says (binary, or gzip read as text). */
const MAX_LINE_CHARS = 256 * 1024 * 1024;

// --- parsing --------------------------------------------------------------------------------

/**
 * Validates a decoded BATCH message (the object from the input line) into a typed one. Throws
 * InputError naming the line and the stream for unknown formats or compressions and for
 * manifests that are not a list of absolute file:// or s3:// URLs.
 */
export function parseBatchMessage(obj: unknown, lineNumber: number): BatchMessage {
  if (!isObject(obj)) throw new InputError('A BATCH message must be a JSON object', { line: lineNumber });
  if (typeof obj.stream !== 'string' || obj.stream === '') throw new InputError("BATCH message has no 'stream'", { line: lineNumber });
  const where = { line: lineNumber, stream: obj.stream };
  return { type: 'BATCH', stream: obj.stream, encoding: parseEncoding(obj.encoding, where), manifest: parseManifest(obj.manifest, where) };
}

type Where = { line: number; stream: string };

function parseEncoding(encoding: unknown, where: Where): BatchEncoding {
  if (!isObject(encoding)) throw new InputError("BATCH message has no 'encoding' object (e.g. {\"format\": \"jsonl\", \"compression\": \"gzip\"})", where);
  const format = typeof encoding.format === 'string' ? encoding.format.toLowerCase() : encoding.format;
  // The SDK leaves compression out (or null) for uncompressed files.
  const raw = encoding.compression ?? 'none';
  const compression = typeof raw === 'string' ? raw.toLowerCase() : raw;
  if (format === 'jsonl') {
    if (compression === 'gzip' || compression === 'none') return { format, compression };
    throw new InputError(`BATCH encoding compression ${show(raw)} is not supported for jsonl; use one of ${JSONL_COMPRESSIONS.join(', ')}`, where);
  }
  if (format === 'parquet') {
    const codec = compression === 'uncompressed' ? 'none' : compression;
    if (PARQUET_CODECS.includes(codec as ParquetCodec)) return { format, compression: codec as ParquetCodec };
    throw new InputError(`BATCH encoding compression ${show(raw)} is not a Parquet codec; use one of ${PARQUET_CODECS.join(', ')}`, where);
  }
  throw new InputError(`BATCH encoding format ${show(encoding.format)} is not supported; the target reads 'jsonl' and 'parquet' batch files`, where);
}

function parseManifest(manifest: unknown, where: Where): BatchFileLocation[] {
  if (!Array.isArray(manifest)) throw new InputError("BATCH message has no 'manifest' list of file URLs", where);
  return manifest.map((entry, i) => {
    if (typeof entry !== 'string' || entry === '') {
      throw new InputError(`BATCH manifest entry ${i + 1} must be a file URL string, got ${show(entry)}`, where);
    }
    return parseLocation(entry, i + 1, where);
  });
}

/** Pure: where a manifest URL points. Only absolute file:// URLs and s3://bucket/key. */
function parseLocation(url: string, entry: number, where: Where): BatchFileLocation {
  const bad = (why: string) => new InputError(`BATCH manifest entry ${entry} '${url}' ${why}`, where);
  if (/^s3:\/\//i.test(url)) {
    // The key is taken verbatim (S3 keys may contain '%', '?' or '#'); no URL decoding.
    const m = /^s3:\/\/([^/]+)\/(.+)$/i.exec(url);
    if (!m) throw bad('is not an S3 object URL; expected s3://bucket/key');
    return { scheme: 's3', url, bucket: m[1] as string, key: m[2] as string };
  }
  if (/^file:/i.test(url)) {
    let path: string;
    try {
      path = fileURLToPath(url);
    } catch (e) {
      throw bad(`is not an absolute file URL (${(e as Error).message}); expected file:///absolute/path`);
    }
    return { scheme: 'file', url, path };
  }
  if (url.startsWith('/')) throw bad(`is a bare path; write it as a URL: file://${url}`);
  throw bad('has an unsupported scheme; the target reads file:// and s3:// batch files');
}

// --- reading --------------------------------------------------------------------------------

/**
 * Yields the records of every manifest file, in manifest order, each file streamed. Errors are
 * InputError (or TransientError for S3 network failures) naming the BATCH line, the stream, the
 * file's URL and the line or row inside the file.
 */
export async function* readBatchRecords(message: BatchMessage, openS3Object: OpenS3Object, options: BatchReadOptions = {}): AsyncGenerator<Record<string, unknown>> {
  for await (const { record } of readBatchRows(message, openS3Object, options)) yield record;
}

/** As readBatchRecords, with each record's file URL and line (or row) for error messages. */
export async function* readBatchRows(message: BatchMessage, openS3Object: OpenS3Object, options: BatchReadOptions = {}): AsyncGenerator<BatchRow> {
  const where = { ...(options.line !== undefined ? { line: options.line } : {}), stream: message.stream };
  for (const location of message.manifest) {
    if (message.encoding.format === 'jsonl') {
      yield* jsonLinesRows(location, message.encoding.compression === 'gzip', openS3Object, where);
    } else {
      yield* parquetRows(location, openS3Object, options.tempDir ?? join(tmpdir(), 'target-iomete'), where);
    }
  }
}

type ReadWhere = { line?: number; stream: string };

async function* jsonLinesRows(location: BatchFileLocation, gzip: boolean, openS3Object: OpenS3Object, where: ReadWhere): AsyncGenerator<BatchRow> {
  const source = await openLocation(location, openS3Object, where);
  // pipeline() destroys the source too when the gunzip stream fails or the reader stops early.
  const text: Readable = gzip ? pipe(source, createGunzip(), () => undefined) : source;
  let row = 0;
  try {
    for await (const line of textLines(text, () => row + 1)) {
      row += 1;
      if (line.trim() === '') continue;
      yield { record: parseRecordLine(line, location.url, row, gzip, where), url: location.url, row };
    }
  } catch (e) {
    throw describeReadError(e, location.url, row + 1, gzip, where);
  } finally {
    text.destroy();
    source.destroy();
  }
}

/** Pure: one JSON line of a batch file as a record object. */
function parseRecordLine(line: string, url: string, row: number, gzip: boolean, where: ReadWhere): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseJson(line);
  } catch (e) {
    // gzip data read as text starts with 0x1f: say so rather than "Unexpected token".
    const hint = !gzip && line.charCodeAt(0) === 0x1f ? "; the file looks gzip-compressed but the BATCH message says compression 'none'" : '';
    throw new InputError(`Invalid JSON at line ${row} of batch file ${url}, ${jsonSyntaxError(line).replace(/^line 1, /, '')}${hint}`, where);
  }
  if (!isObject(parsed)) throw new InputError(`Line ${row} of batch file ${url} is not a JSON object (each line must hold one record)`, where);
  return parsed;
}

async function* parquetRows(location: BatchFileLocation, openS3Object: OpenS3Object, tempDir: string, where: ReadWhere): AsyncGenerator<BatchRow> {
  let path = location.scheme === 'file' ? location.path : undefined;
  let spooled: string | undefined;
  let row = 0;
  try {
    if (path === undefined) {
      // Parquet is read footer first, so an S3 object is copied to local disk (streamed) first.
      await mkdir(tempDir, { recursive: true });
      spooled = join(tempDir, `batch-${randomUUID()}.parquet`);
      await pipeline(await openLocation(location, openS3Object, where), createWriteStream(spooled));
      path = spooled;
    }
    for await (const record of parquetFileRecords(path)) {
      row += 1;
      yield { record, url: location.url, row };
    }
  } catch (e) {
    if (e instanceof TargetError) throw e;
    throw readFailure(e, location.url, row === 0 ? 'while opening it' : `after row ${row}`, where);
  } finally {
    if (spooled) await rm(spooled, { force: true });
  }
}

async function openLocation(location: BatchFileLocation, openS3Object: OpenS3Object, where: ReadWhere): Promise<Readable> {
  try {
    if (location.scheme === 's3') return await openS3Object(location.bucket, location.key);
    // Opening first (rather than createReadStream's deferred open) reports a missing file here.
    const handle = await open(location.path, 'r');
    return handle.createReadStream();
  } catch (e) {
    throw describeOpenError(e, location.url, where);
  }
}

/**
 * Yields the lines of a text stream without their line ends. Only the current partial line is
 * held; `nextLine` names the line for the too-long error.
 */
async function* textLines(stream: Readable, nextLine: () => number): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of stream) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      yield pending.charCodeAt(end - 1) === 13 && end > start ? pending.slice(start, end - 1) : pending.slice(start, end);
      start = end + 1;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_LINE_CHARS) {
      throw new Error(`line ${nextLine()} is longer than ${MAX_LINE_CHARS / 1024 / 1024} MiB; is this really a JSON-lines file?`);
    }
  }
  pending += decoder.end();
  if (pending !== '') yield pending.endsWith('\r') ? pending.slice(0, -1) : pending;
}

// --- errors ---------------------------------------------------------------------------------

/** Pure: an error while opening a manifest file, as the error the user should see. */
function describeOpenError(thrown: unknown, url: string, where: ReadWhere): Error {
  if (thrown instanceof TargetError) return thrown;
  const error = asError(thrown);
  const code = errorCode(thrown);
  if (code === 'ENOENT' || code === 'NoSuchKey' || code === 'NotFound' || code === 'NoSuchBucket') {
    return new InputError(`Batch file ${url} does not exist (${code}); the tap must keep batch files until the target has read them`, where);
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EISDIR') {
    return new InputError(`Batch file ${url} cannot be read (${code}): ${error.message}`, where);
  }
  if (code === 'AccessDenied' || code === 'Forbidden' || code === 'InvalidAccessKeyId' || code === 'SignatureDoesNotMatch') {
    return new ConfigError(
      `S3 refused to read batch file ${url} (${code}). The target reads batch files with its own S3 settings ` +
        `(aws_access_key_id / aws_profile, s3_endpoint_url, s3_region_name): give them read access to that bucket.`,
    );
  }
  return readFailure(thrown, url, 'while opening it', where);
}

function describeReadError(thrown: unknown, url: string, row: number, gzip: boolean, where: ReadWhere): Error {
  if (thrown instanceof TargetError) return thrown;
  const code = errorCode(thrown);
  if (gzip && (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR')) {
    const what = code === 'Z_BUF_ERROR' ? 'is truncated (gzip data ends early)' : "is not valid gzip data, but the BATCH message says compression 'gzip'";
    return new InputError(`Batch file ${url} ${what} (at line ${row}: ${asError(thrown).message})`, where);
  }
  return readFailure(thrown, url, `at line ${row}`, where);
}

/** Network trouble is worth a retry of the run; anything else is about the file itself. */
function readFailure(thrown: unknown, url: string, at: string, where: ReadWhere): Error {
  const error = asError(thrown);
  const code = errorCode(thrown);
  const status = (thrown as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  if (/^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|ENOTFOUND|TimeoutError|RequestTimeout|SlowDown|InternalError)$/.test(code ?? '') || (status ?? 0) >= 500) {
    return new TransientError(`Reading batch file ${url} failed ${at} (${code ?? status}): ${error.message}`);
  }
  return new InputError(`Cannot read batch file ${url} ${at}: ${error.message}`, where);
}

function errorCode(thrown: unknown): string | undefined {
  if (!thrown || typeof thrown !== 'object') return undefined;
  const { code, name, Code } = thrown as { code?: unknown; name?: unknown; Code?: unknown };
  for (const candidate of [code, Code, name]) if (typeof candidate === 'string' && candidate !== 'Error') return candidate;
  return undefined;
}

// --- S3 -------------------------------------------------------------------------------------

/**
 * An OpenS3Object of its own, for a caller that has no run's S3ObjectStore at hand: GetObject with
 * the target's S3 settings (the manifest's bucket may differ from the staging bucket; the same
 * credentials must be able to read it). A run passes its store's `open` instead, so that BATCH
 * reads and staging share one client and one retry budget. Call close() to free the sockets.
 */
export function s3ObjectOpener(settings: S3Settings, onRetry?: (message: string) => void): { open: OpenS3Object; close: () => void } {
  const store = new S3ObjectStore(settings, onRetry);
  return { open: (bucket, key) => store.open(bucket, key), close: () => store.close() };
}

// --- helpers --------------------------------------------------------------------------------


function show(value: unknown): string {
  const text = value === undefined ? 'missing' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
