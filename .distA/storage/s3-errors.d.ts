/**
 * S3 error names that no retry can change: the request or the settings are wrong. One list for
 * both the retry decision (storage/s3-object-store.ts) and the one-line explanation naming the
 * setting to check (cli/explain.ts). Pure, so the explanation needs no AWS SDK.
 */
export declare const PERMANENT_S3_ERRORS: ReadonlySet<string>;
