import { type S3ClientConfig } from '@aws-sdk/client-s3';
import { TargetError } from '../errors.js';
import type { ObjectStore } from './object-store.js';
export interface S3Settings {
    s3_bucket: string;
    s3_endpoint_url?: string;
    s3_region_name?: string;
    s3_force_path_style: boolean;
    s3_acl?: string;
    aws_access_key_id?: string;
    aws_secret_access_key?: string;
    aws_session_token?: string;
    aws_profile?: string;
    s3_timeout_seconds?: number;
    connect_timeout_seconds?: number;
    s3_retry_seconds?: number;
}
/** Staging on S3 failed for good (after retries where they were safe). */
export declare class StorageError extends TargetError {
}
/** Network errors, timeouts, 5xx and throttling are worth another try; 4xx answers are not. */
export declare function isTransientS3Error(error: unknown): boolean;
/** One line: what failed and S3's answer (the fix is added by cli/explain.ts). Never the credentials. */
export declare function describeS3Error(action: string, error: unknown): string;
/** Pure: the S3 client options for the settings (credentials chosen as the original target did). */
export declare function s3ClientConfig(settings: S3Settings): S3ClientConfig;
/** Staging on S3 (or any S3-compatible store) with multipart uploads for large batches. */
export declare class S3ObjectStore implements ObjectStore {
    private readonly settings;
    private readonly onRetry?;
    private readonly client;
    constructor(settings: S3Settings, onRetry?: ((message: string) => void) | undefined);
    /** Uploads are retried (a fixed key: repeating one is harmless) while S3 is unreachable or busy. */
    upload(localPath: string, key: string): Promise<string>;
    putText(key: string, text: string): Promise<void>;
    list(prefix: string): Promise<Array<{
        key: string;
        lastModified: Date;
    }>>;
    remove(keys: readonly string[]): Promise<void>;
    private retrying;
    close(): void;
}
