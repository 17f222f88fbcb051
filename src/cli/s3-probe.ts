import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type ObjectCannedACL } from '@aws-sdk/client-s3';
import { s3ClientConfig, type S3Settings } from '../storage/s3-object-store.js';

/**
 * The object operations `--check` tries: the staging store's upload, listing (of run markers) and
 * delete, and a read that shows the object arrived whole.
 */
export interface S3Probe {
  put(key: string, body: string): Promise<void>;
  get(key: string): Promise<string>;
  /** Keys under `prefix` (the first page is enough for a probe). */
  list(prefix: string): Promise<string[]>;
  remove(key: string): Promise<void>;
  close(): void;
}

/**
 * A probe client with the staging store's settings (same credentials, endpoint and addressing,
 * one attempt per request), short timeouts and no retries: a check should say "unreachable" in
 * seconds.
 */
export class S3ProbeClient implements S3Probe {
  private readonly client: S3Client;

  constructor(
    private readonly settings: S3Settings,
    timeouts: { connectMs: number; requestMs: number } = { connectMs: 5_000, requestMs: 20_000 },
  ) {
    this.client = new S3Client({
      ...s3ClientConfig(settings),
      requestHandler: { connectionTimeout: timeouts.connectMs, requestTimeout: timeouts.requestMs },
    });
  }

  async put(key: string, body: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.settings.s3_bucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
        ...(this.settings.s3_acl ? { ACL: this.settings.s3_acl as ObjectCannedACL } : {}),
      }),
    );
  }

  async get(key: string): Promise<string> {
    const result = await this.client.send(new GetObjectCommand({ Bucket: this.settings.s3_bucket, Key: key }));
    return (await result.Body?.transformToString('utf8')) ?? '';
  }

  async list(prefix: string): Promise<string[]> {
    const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.settings.s3_bucket, Prefix: prefix }));
    return (page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.s3_bucket, Key: key }));
  }

  close(): void {
    this.client.destroy();
  }
}

/**
 * Pure: a readable reason for an S3 failure that `explainFailure` does not know (SDK errors carry
 * a name and often an HTTP status).
 */
export function describeS3Error(e: unknown): string {
  const error = e as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = error.$metadata?.httpStatusCode;
  const name = error.name && error.name !== 'Error' ? error.name : error.code;
  const message = error.message && error.message !== name ? error.message : '';
  return [[name, status ? `HTTP ${status}` : undefined].filter(Boolean).join(', '), message].filter((p) => p).join(': ');
}
