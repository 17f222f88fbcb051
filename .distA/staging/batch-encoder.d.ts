import type { StagedValue } from '../schema/values.js';
import type { StagedColumn } from './parquet-layout.js';
/** What a batch file asks of the encoding thread. */
export type EncodeOp = {
    op: 'open';
    path: string;
    columns: readonly StagedColumn[];
    compress: boolean;
} | {
    op: 'rows';
    values: StagedValue[][];
} | {
    op: 'finish';
} | {
    op: 'discard';
};
export type EncodeRequest = {
    id: number;
    seq: number;
} & EncodeOp;
export type EncodeReply = {
    id: number;
    seq: number;
    error?: string;
};
/**
 * The main thread's side of the encoding thread (encode-worker.ts), the one owner of it: batch
 * files send their row groups here and the thread encodes, compresses and writes them while the
 * main thread goes on parsing. Requests are answered in the order they are sent. The thread does
 * not keep the process alive while idle, and is started on first use.
 *
 * Invariants: every request is answered exactly once (by its reply, or by the thread's failure);
 * at most MAX_ROW_GROUPS_IN_FLIGHT row groups are queued before `saturated` asks the record path
 * to wait, so memory is bounded whatever the input rate.
 */
export declare class BatchEncoder {
    private static instance;
    private worker;
    private broken;
    private ids;
    private seq;
    private readonly pending;
    private rowGroups;
    private drained;
    /** The process's encoder. */
    static shared(): BatchEncoder;
    newFileId(): number;
    /** Sends a request; the promise settles with its reply (rejects with the file system's code). */
    send(request: {
        id: number;
    } & EncodeOp): Promise<void>;
    /** Resolves once fewer row groups are queued than the limit; undefined when that is already so. */
    get saturated(): Promise<void> | undefined;
    private start;
    private settle;
}
