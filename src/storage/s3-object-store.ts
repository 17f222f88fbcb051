import { createReadStream } from 'node:fs';
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type ObjectCannedACL, type S3ClientConfig } from '@aws-sdk/client-s3';
import { fromIni } from '@aws-sdk/credential-providers';
import { Upload } from '@aws-sdk/lib-storage';
import { TargetError } from '../errors.js';
import type { ObjectStore } from './object-store.js';
import { RetryBudget, withRetries, type Backoff } from '../retry-policy.js';
import { PERMANENT_S3_ERRORS } from './s3-errors.js';

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
export class StorageError extends TargetError {}


/** A local file error (the batch file is gone or unreadable), not an S3 answer. */
function localFileError(error: unknown): { path: string; code: string } | undefined {
  const e = error as { path?: unknown; syscall?: unknown; code?: unknown };
  return typeof e?.path === 'string' && typeof e.syscall === 'string' ? { path: e.path, code: String(e.code ?? e.syscall) } : undefined;
}

/** Network errors, timeouts, 5xx and throttling are worth another try; 4xx answers are not. */
export function isTransientS3Error(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (localFileError(error)) return false;
  if (e?.name && PERMANENT_S3_ERRORS.has(e.name)) return false;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429 || e.name === 'SlowDown' || e.name === 'RequestTimeout';
  return true;
}

/** One line: what failed and S3's answer (the fix is added by cli/explain.ts). Never the credentials. */
export function describeS3Error(action: string, error: unknown): string {
  const local = localFileError(error);
  if (local) return `${action} failed: cannot read the batch file ${local.path} (${local.code}); check that nothing else removes files in 'temp_dir'`;
  const e = error as { name?: string; code?: string; message?: string };
  const name = e?.name && e.name !== 'Error' ? e.name : (e?.code ?? '');
  const message = String(e?.message ?? error).split('\n')[0];
  return `${action} failed: ${name ? `${name}: ` : ''}${message}`;
}

/** Pure: the S3 client options for the settings (credentials chosen as the original target did). */
export function s3ClientConfig(settings: S3Settings): S3ClientConfig {
  const config: S3ClientConfig = {
    region: settings.s3_region_name ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    forcePathStyle: settings.s3_force_path_style,
    // The SDK's default streamed-checksum framing is stored verbatim by several S3-compatible
    // servers, corrupting the file; checksums only where the API requires them work everywhere.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // One attempt per send: our retry policy (retry-policy.ts) repeats what is safe to repeat within
    // one budget; the SDK's default 3 attempts inside each of ours multiplied the requests and
    // stretched the budget.
    maxAttempts: 1,
  };
  if (settings.s3_endpoint_url) config.endpoint = settings.s3_endpoint_url;
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
  } else if (settings.aws_profile) {
    config.credentials = fromIni({ profile: settings.aws_profile });
  }
  return config;
}

/** Waits between S3 retries: doubling from 0.5 s to 8 s, never shorter than the one before (SlowDown asks for that). */
export const S3_BACKOFF: Backoff = { firstMs: 500, maxMs: 8_000, jitter: 'equal' };

/** The retry verdict for an S3 failure (retry-policy.ts decides the waits). */
export function s3Verdict(error: unknown): { backoff: Backoff } | undefined {
  return isTransientS3Error(error) ? { backoff: S3_BACKOFF } : undefined;
}

/** Staging on S3 (or any S3-compatible store) with multipart uploads for large batches. */
export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;
  /** One failure burst for every call of the run: cleanup after an outage gets no budget of its own. */
  private readonly budget: RetryBudget;

  constructor(
    private readonly settings: S3Settings,
    private readonly onRetry?: (message: string) => void,
  ) {
    this.client = new S3Client(s3ClientConfig(settings));
    this.budget = new RetryBudget((settings.s3_retry_seconds ?? 60) * 1000);
  }

  /** Uploads are retried (a fixed key: repeating one is harmless) while S3 is unreachable or busy. */
  async upload(localPath: string, key: string): Promise<string> {
    const where = `s3://${this.settings.s3_bucket}/${key}`;
    await this.retrying(`Upload of the batch to ${where}`, async () => {
      const upload = new Upload({
        client: this.client,
        params: {
          Bucket: this.settings.s3_bucket,
          Key: key,
          Body: createReadStream(localPath),
          ...(this.settings.s3_acl ? { ACL: this.settings.s3_acl as ObjectCannedACL } : {}),
        },
      });
      await upload.done();
    });
    return `s3a://${this.settings.s3_bucket}/${key}`;
  }

  async putText(key: string, text: string): Promise<void> {
    await this.retrying(`Writing s3://${this.settings.s3_bucket}/${key}`, () =>
      this.client.send(new PutObjectCommand({ Bucket: this.settings.s3_bucket, Key: key, Body: text, ContentType: 'application/json' })),
    );
  }

  async getText(key: string): Promise<string | undefined> {
    try {
      const object = await this.retrying(`Reading s3://${this.settings.s3_bucket}/${key}`, () => this.client.send(new GetObjectCommand({ Bucket: this.settings.s3_bucket, Key: key })));
      return await object.Body?.transformToString('utf8');
    } catch (e) {
      // Removed since it was listed (its run finished, or another run cleaned it up).
      if ((e as { name?: string }).name === 'NoSuchKey' || /NoSuchKey/.test(String((e as Error).message))) return undefined;
      throw e;
    }
  }

  async list(prefix: string): Promise<Array<{ key: string; lastModified: Date }>> {
    const found: Array<{ key: string; lastModified: Date }> = [];
    let token: string | undefined;
    do {
      const page = await this.retrying(`Listing s3://${this.settings.s3_bucket}/${prefix}`, () =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.settings.s3_bucket, Prefix: prefix, ContinuationToken: token })),
      );
      for (const o of page.Contents ?? []) if (o.Key) found.push({ key: o.Key, lastModified: o.LastModified ?? new Date(0) });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found;
  }

  async remove(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    if (keys.length > 1000) {
      // DeleteObjects takes at most 1,000 keys per request.
      for (let i = 0; i < keys.length; i += 1000) await this.remove(keys.slice(i, i + 1000));
      return;
    }
    const result = await this.retrying(`Delete of ${keys.length} staged object(s) in s3://${this.settings.s3_bucket}`, () =>
      this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.settings.s3_bucket,
          Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
        }),
      ),
    );
    const failed = result.Errors ?? [];
    if (failed.length > 0) {
      throw new StorageError(`Could not delete staged objects: ${failed.map((e) => `${e.Key} (${e.Code})`).join(', ')}`);
    }
  }

  private async retrying<T>(action: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await withRetries(
        {
          classify: s3Verdict,
          backoff: S3_BACKOFF,
          budget: this.budget,
          onRetry: (e, attempt, delay) => this.onRetry?.(`${describeS3Error(action, e)}; retry ${attempt} in ${(delay / 1000).toFixed(1)} s`),
        },
        operation,
      );
    } catch (e) {
      // The cause keeps S3's answer, so the run's error line can say which setting to check.
      throw new StorageError(describeS3Error(action, e), { cause: e });
    }
  }

  close(): void {
    this.client.destroy();
  }
}
