import { type EncoderFailure } from './parquet-encoder.js';
import type { StagedColumn } from './parquet-layout.js';
import type { BlockData } from './row-block.js';
export declare class EncoderThread {
    private worker;
    private readonly queued;
    private readonly waiting;
    private readonly failures;
    private dead;
    private nextId;
    /** Registers a batch file whose descriptor `fd` is open for writing; returns its id. */
    open(fd: number, path: string, columns: readonly StagedColumn[], compress: boolean): number;
    /** The file's failure, once the thread has reported one. */
    failure(id: number): EncoderFailure | undefined;
    /** Sends a row group (its buffers move to the thread); waits while the thread is behind (E2). */
    rows(id: number, block: BlockData, transfer: ArrayBuffer[]): void;
    /** Resolves once the file is complete and closed; rejects with its failure (E1). */
    finish(id: number): Promise<void>;
    /** Resolves once the thread has closed the file (the caller removes it). */
    discard(id: number): Promise<void>;
    private request;
    private send;
    private thread;
    private onReply;
}
/** A failure of the encoder as the record path reports it: a StagingError names the setting to check. */
export declare function failureError(failure: EncoderFailure): Error;
/** The process's encoder thread, started on first use. */
export declare const encoderThread: EncoderThread;
