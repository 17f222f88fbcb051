import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type ObjectCannedACL, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { TargetError } from '../errors.js';
import type { ObjectStore } from './object-store.js';
import { RetryBudget, withRetries } from '../retry-policy.js';
import { createS3Client, type S3Settings } from './s3-client.js';
import { describeS3Error, S3_BACKOFF, s3Verdict } from './s3-errors.js';

/** Staging on S3 failed for good (after retries where they were safe). */
export class StorageError extends TargetError {}

/**
 * Staging on S3 (or any S3-compatible store) with multipart uploads for large batches, and the
 * run's reads of S3 BATCH files: one client and one retry budget for all of the run's S3 calls.
 */
export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;
  /** One failure burst for every call of the run: cleanup after an outage gets no budget of its own. */
  private readonly budget: RetryBudget;

  constructor(
    private readonly settings: S3Settings,
    private readonly onRetry?: (message: string) => void,
  ) {
    this.client = createS3Client(settings);
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

  /**
   * Opens an object for reading (a BATCH file named by a tap, in any bucket the credentials can
   * read). Opening is retried; reading the body is not (its rows would be half read). S3's own
   * error is thrown, so the reader can say what is wrong with the file.
   */
  async open(bucket: string, key: string): Promise<Readable> {
    const answer = await this.withRetries(`Opening s3://${bucket}/${key}`, () => this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
    if (!answer.Body) throw new Error(`S3 returned no body for s3://${bucket}/${key}`);
    // In Node the SDK's body is an http.IncomingMessage, a Readable.
    return answer.Body as Readable;
  }

  private async retrying<T>(action: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await this.withRetries(action, operation);
    } catch (e) {
      // The cause keeps S3's answer, so the run's error line can say which setting to check.
      throw new StorageError(`${action} failed: ${describeS3Error(e)}`, { cause: e });
    }
  }

  private withRetries<T>(action: string, operation: () => Promise<T>): Promise<T> {
    return withRetries(
      {
        classify: s3Verdict,
        backoff: S3_BACKOFF,
        budget: this.budget,
        onRetry: (e, attempt, delay) => this.onRetry?.(`${action} failed: ${describeS3Error(e)}; retry ${attempt} in ${(delay / 1000).toFixed(1)} s`),
      },
      operation,
    );
  }

  close(): void {
    this.client.destroy();
  }
}
