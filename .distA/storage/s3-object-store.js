import { createReadStream } from 'node:fs';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { fromIni } from '@aws-sdk/credential-providers';
import { Upload } from '@aws-sdk/lib-storage';
import { TargetError } from '../errors.js';
import { withRetries } from './retry.js';
import { PERMANENT_S3_ERRORS } from './s3-errors.js';
/** Staging on S3 failed for good (after retries where they were safe). */
export class StorageError extends TargetError {
}
/** A local file error (the batch file is gone or unreadable), not an S3 answer. */
function localFileError(error) {
    const e = error;
    return typeof e?.path === 'string' && typeof e.syscall === 'string' ? { path: e.path, code: String(e.code ?? e.syscall) } : undefined;
}
/** Network errors, timeouts, 5xx and throttling are worth another try; 4xx answers are not. */
export function isTransientS3Error(error) {
    const e = error;
    if (localFileError(error))
        return false;
    if (e?.name && PERMANENT_S3_ERRORS.has(e.name))
        return false;
    const status = e?.$metadata?.httpStatusCode;
    if (status !== undefined)
        return status >= 500 || status === 429 || e.name === 'SlowDown' || e.name === 'RequestTimeout';
    return true;
}
/** One line: what failed and S3's answer (the fix is added by cli/explain.ts). Never the credentials. */
export function describeS3Error(action, error) {
    const local = localFileError(error);
    if (local)
        return `${action} failed: cannot read the batch file ${local.path} (${local.code}); check that nothing else removes files in 'temp_dir'`;
    const e = error;
    const name = e?.name && e.name !== 'Error' ? e.name : (e?.code ?? '');
    const message = String(e?.message ?? error).split('\n')[0];
    return `${action} failed: ${name ? `${name}: ` : ''}${message}`;
}
/** Pure: the S3 client options for the settings (credentials chosen as the original target did). */
export function s3ClientConfig(settings) {
    const config = {
        region: settings.s3_region_name ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
        forcePathStyle: settings.s3_force_path_style,
        // The SDK's default streamed-checksum framing is stored verbatim by several S3-compatible
        // servers, corrupting the file; checksums only where the API requires them work everywhere.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
    };
    if (settings.s3_endpoint_url)
        config.endpoint = settings.s3_endpoint_url;
    // Without these a request to an S3 endpoint that accepts the connection and never answers waits forever.
    config.requestHandler = {
        connectionTimeout: (settings.connect_timeout_seconds ?? 30) * 1000,
        requestTimeout: (settings.s3_timeout_seconds ?? 120) * 1000,
    };
    if (settings.aws_access_key_id && settings.aws_secret_access_key) {
        config.credentials = {
            accessKeyId: settings.aws_access_key_id,
            secretAccessKey: settings.aws_secret_access_key,
            ...(settings.aws_session_token ? { sessionToken: settings.aws_session_token } : {}),
        };
    }
    else if (settings.aws_profile) {
        config.credentials = fromIni({ profile: settings.aws_profile });
    }
    return config;
}
/** Staging on S3 (or any S3-compatible store) with multipart uploads for large batches. */
export class S3ObjectStore {
    settings;
    onRetry;
    client;
    constructor(settings, onRetry) {
        this.settings = settings;
        this.onRetry = onRetry;
        this.client = new S3Client(s3ClientConfig(settings));
    }
    /** Uploads are retried (a fixed key: repeating one is harmless) while S3 is unreachable or busy. */
    async upload(localPath, key) {
        const where = `s3://${this.settings.s3_bucket}/${key}`;
        await this.retrying(`Upload of the batch to ${where}`, async () => {
            const upload = new Upload({
                client: this.client,
                params: {
                    Bucket: this.settings.s3_bucket,
                    Key: key,
                    Body: createReadStream(localPath),
                    ...(this.settings.s3_acl ? { ACL: this.settings.s3_acl } : {}),
                },
            });
            await upload.done();
        });
        return `s3a://${this.settings.s3_bucket}/${key}`;
    }
    async putText(key, text) {
        await this.retrying(`Writing s3://${this.settings.s3_bucket}/${key}`, () => this.client.send(new PutObjectCommand({ Bucket: this.settings.s3_bucket, Key: key, Body: text, ContentType: 'application/json' })));
    }
    async list(prefix) {
        const found = [];
        let token;
        do {
            const page = await this.retrying(`Listing s3://${this.settings.s3_bucket}/${prefix}`, () => this.client.send(new ListObjectsV2Command({ Bucket: this.settings.s3_bucket, Prefix: prefix, ContinuationToken: token })));
            for (const o of page.Contents ?? [])
                if (o.Key)
                    found.push({ key: o.Key, lastModified: o.LastModified ?? new Date(0) });
            token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        return found;
    }
    async remove(keys) {
        if (keys.length === 0)
            return;
        if (keys.length > 1000) {
            // DeleteObjects takes at most 1,000 keys per request.
            for (let i = 0; i < keys.length; i += 1000)
                await this.remove(keys.slice(i, i + 1000));
            return;
        }
        const result = await this.retrying(`Delete of ${keys.length} staged object(s) in s3://${this.settings.s3_bucket}`, () => this.client.send(new DeleteObjectsCommand({
            Bucket: this.settings.s3_bucket,
            Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
        })));
        const failed = result.Errors ?? [];
        if (failed.length > 0) {
            throw new StorageError(`Could not delete staged objects: ${failed.map((e) => `${e.Key} (${e.Code})`).join(', ')}`);
        }
    }
    async retrying(action, operation) {
        try {
            return await withRetries({
                budgetMs: (this.settings.s3_retry_seconds ?? 60) * 1000,
                isTransient: isTransientS3Error,
                onRetry: (e, attempt, delay) => this.onRetry?.(`${describeS3Error(action, e)}; retry ${attempt} in ${(delay / 1000).toFixed(1)} s`),
            }, operation);
        }
        catch (e) {
            // The cause keeps S3's answer, so the run's error line can say which setting to check.
            throw new StorageError(describeS3Error(action, e), { cause: e });
        }
    }
    close() {
        this.client.destroy();
    }
}
//# sourceMappingURL=s3-object-store.js.map