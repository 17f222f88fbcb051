import { type Readable } from 'node:stream';
import { type S3Settings } from '../storage/s3-object-store.js';
/**
 * Singer BATCH messages as the Meltano SDK sends them: instead of RECORD lines, a stream's records
 * arrive in files (JSON lines, optionally gzipped, or Parquet) listed in a manifest of file:// and
 * s3:// URLs. Parsing is pure and checks everything that can be checked before a file is opened;
 * reading streams each file record by record, so a batch never sits in memory.
 */
export type BatchEncoding = {
    format: 'jsonl';
    compression: 'gzip' | 'none';
}
/** Parquet compresses inside the file; the declared codec is informational. */
 | {
    format: 'parquet';
    compression: ParquetCodec;
};
export type ParquetCodec = 'none' | 'gzip' | 'snappy' | 'zstd' | 'brotli' | 'lz4' | 'lz4_raw';
export type BatchFileLocation = {
    scheme: 'file';
    url: string;
    path: string;
} | {
    scheme: 's3';
    url: string;
    bucket: string;
    key: string;
};
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
/**
 * Validates a decoded BATCH message (the object from the input line) into a typed one. Throws
 * InputError naming the line and the stream for unknown formats or compressions and for
 * manifests that are not a list of absolute file:// or s3:// URLs.
 */
export declare function parseBatchMessage(obj: unknown, lineNumber: number): BatchMessage;
type Where = {
    line: number;
    stream: string;
};
/** Pure: where a manifest URL points. Only absolute file:// URLs and s3://bucket/key. */
export declare function parseLocation(url: string, entry: number, where: Where): BatchFileLocation;
/**
 * Yields the records of every manifest file, in manifest order, each file streamed. Errors are
 * InputError (or TransientError for S3 network failures) naming the BATCH line, the stream, the
 * file's URL and the line or row inside the file.
 */
export declare function readBatchRecords(message: BatchMessage, openS3Object: OpenS3Object, options?: BatchReadOptions): AsyncGenerator<Record<string, unknown>>;
/** As readBatchRecords, with each record's file URL and line (or row) for error messages. */
export declare function readBatchRows(message: BatchMessage, openS3Object: OpenS3Object, options?: BatchReadOptions): AsyncGenerator<BatchRow>;
type ReadWhere = {
    line?: number;
    stream: string;
};
/** Pure: one JSON line of a batch file as a record object. */
export declare function parseRecordLine(line: string, url: string, row: number, gzip: boolean, where: ReadWhere): Record<string, unknown>;
/** Pure: an error while opening a manifest file, as the error the user should see. */
export declare function describeOpenError(thrown: unknown, url: string, where: ReadWhere): Error;
/**
 * The default OpenS3Object: GetObject with the target's S3 settings (the manifest's bucket may
 * differ from the staging bucket; the same credentials must be able to read it). Call close()
 * when done to free the client's sockets.
 */
export declare function s3ObjectOpener(settings: S3Settings): {
    open: OpenS3Object;
    close: () => void;
};
export {};
