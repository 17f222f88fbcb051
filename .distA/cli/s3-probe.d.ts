import { type S3Settings } from '../storage/s3-object-store.js';
/** The three object operations `--check` needs; the staging store itself only uploads and deletes. */
export interface S3Probe {
    put(key: string, body: string): Promise<void>;
    get(key: string): Promise<string>;
    remove(key: string): Promise<void>;
    close(): void;
}
/**
 * A probe client with the staging store's settings (same credentials, endpoint and addressing),
 * but one attempt and short timeouts: a check should say "unreachable" in seconds, not retry.
 */
export declare class S3ProbeClient implements S3Probe {
    private readonly settings;
    private readonly client;
    constructor(settings: S3Settings, timeouts?: {
        connectMs: number;
        requestMs: number;
    });
    put(key: string, body: string): Promise<void>;
    get(key: string): Promise<string>;
    remove(key: string): Promise<void>;
    close(): void;
}
/**
 * Pure: a readable reason for an S3 failure that `explainFailure` does not know (SDK errors carry
 * a name and often an HTTP status).
 */
export declare function describeS3Error(e: unknown): string;
