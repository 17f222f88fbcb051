import { createReadStream } from 'node:fs';
import { DeleteObjectsCommand, S3Client, type ObjectCannedACL, type S3ClientConfig } from '@aws-sdk/client-s3';
import { fromIni } from '@aws-sdk/credential-providers';
import { Upload } from '@aws-sdk/lib-storage';
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
  };
  if (settings.s3_endpoint_url) config.endpoint = settings.s3_endpoint_url;
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

/** Staging on S3 (or any S3-compatible store) with multipart uploads for large batches. */
export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client(s3ClientConfig(settings));
  }

  async upload(localPath: string, key: string): Promise<string> {
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
    return `s3a://${this.settings.s3_bucket}/${key}`;
  }

  async remove(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const result = await this.client.send(
      new DeleteObjectsCommand({
        Bucket: this.settings.s3_bucket,
        Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
      }),
    );
    const failed = result.Errors ?? [];
    if (failed.length > 0) {
      throw new Error(`Could not delete staged objects: ${failed.map((e) => `${e.Key} (${e.Code})`).join(', ')}`);
    }
  }

  close(): void {
    this.client.destroy();
  }
}
