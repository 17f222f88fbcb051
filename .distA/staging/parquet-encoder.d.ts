import { type MessagePort } from 'node:worker_threads';
import { type StagedColumn } from './parquet-layout.js';
import { type BlockData } from './row-block.js';
/**
 * The Parquet encoding of batch files, on a thread of its own (encoder-thread.ts starts it): the
 * record path hands over each row group in binary form (row-block.ts) and goes on reading while
 * this thread picks dictionaries, encodes, gzips and writes. Messages of one file are handled in
 * the order sent, one at a time; a file's first failure is reported once, and later row groups
 * of that file are dropped.
 */
/** workerData.role of the encoder thread (the module is also its entry). */
export declare const ENCODER_ROLE = "target-iomete-parquet-encoder";
/** This module's URL: the encoder thread's entry (in the single-file bundle, the bundle). */
export declare const ENCODER_MODULE: string;
export type EncoderRequest = {
    type: 'open';
    id: number;
    fd: number;
    path: string;
    columns: StagedColumn[];
    compress: boolean;
} | {
    type: 'rows';
    id: number;
    block: BlockData;
} | {
    type: 'finish';
    id: number;
} | {
    type: 'discard';
    id: number;
};
export interface EncoderFailure {
    message: string;
    /** A file system error (disk full, permissions), as opposed to a bug in the encoding. */
    staging: boolean;
}
/**
 * `failed` comes once per file, as soon as it fails (so the record path stops early); `settled`
 * answers every finish and discard, with the file's failure if it has one.
 */
export type EncoderReply = {
    type: 'failed';
    id: number;
    failure: EncoderFailure;
} | {
    type: 'settled';
    id: number;
    failure?: EncoderFailure;
};
/**
 * One batch file being written: the Parquet writer over the file descriptor the record path
 * opened. The descriptor stays the record path's to close (a thread closing a descriptor it did
 * not open is warned about); this side stops using it once the file is finished or dropped.
 */
export declare class FileEncoder {
    readonly path: string;
    private readonly columns;
    private fd;
    private readonly out;
    private readonly writer;
    constructor(fd: number, path: string, columns: readonly StagedColumn[], compress: boolean);
    write(block: BlockData): void;
    /** Writes the footer: the file is complete. */
    finish(): void;
    /** Writes nothing more to the file. */
    close(): void;
}
/**
 * Serves the requests of `port`. `queued[0]` counts the row groups sent and not yet encoded: the
 * record path waits when it is high (encoder-thread.ts), so this thread's backlog stays bounded.
 */
export declare function serveEncoder(port: MessagePort, queued: Int32Array): void;
