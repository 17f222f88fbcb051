import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type ObjectCannedACL, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client, type S3Settings, type S3Timeouts } from '../storage/s3-client.js';

/**
 * The object operations `--check` tries: the staging store's upload, listing (of run markers) and
 * delete, and a read that shows the object arrived whole.
 */
export interface S3Probe {
  put(key: string, body: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array>;
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
    timeouts: S3Timeouts = { connectMs: 5_000, requestMs: 20_000 },
  ) {
    this.client = createS3Client(settings, timeouts);
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.settings.s3_bucket,
        Key: key,
        Body: body,
        ...(this.settings.s3_acl ? { ACL: this.settings.s3_acl as ObjectCannedACL } : {}),
      }),
    );
  }

  async get(key: string): Promise<Uint8Array> {
    const result = await this.client.send(new GetObjectCommand({ Bucket: this.settings.s3_bucket, Key: key }));
    return (await result.Body?.transformToByteArray()) ?? new Uint8Array();
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
