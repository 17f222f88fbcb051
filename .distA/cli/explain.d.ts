/**
 * Known connection and S3 failures, each turned into one line that says what failed and which
 * setting to fix. Pure: an error (as thrown by the thrift client, Node's sockets or the AWS SDK)
 * and where the target was connecting to, in; a line, or undefined for failures it does not know,
 * out. Used by the run's top-level error print and by `--check`. Lines name settings and show
 * URLs, never secrets or other config values.
 */
import type { TargetConfig } from '../config/config.js';
export interface FailureContext {
    /** The lakehouse URL (no credentials in it). */
    lakehouseUrl?: string;
    host?: string;
    port?: number;
    scheme?: string;
    bucket?: string;
    s3Endpoint?: string;
}
/** Where a run or check connects to, from its config (URLs and names only). */
export declare function failureContext(config: TargetConfig): FailureContext;
/**
 * One line with the fix for a known failure, or undefined. `side` says which service failed when
 * the caller knows; otherwise AWS SDK errors are S3's and everything else the lakehouse's.
 */
export declare function explainFailure(e: unknown, context?: FailureContext, side?: 's3' | 'lakehouse'): string | undefined;
/**
 * The ERROR lines a failed run prints: one per config problem; known connection and S3 failures
 * explained; other failures the target raised on purpose as they are; anything else as
 * "Unexpected failure" with its message (the stack trace is for debug level only).
 */
export declare function failureLines(e: unknown, context?: FailureContext): string[];
