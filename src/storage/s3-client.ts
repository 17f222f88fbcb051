/**
 * The one place an S3 client is made, for staging (storage/s3-object-store.ts), BATCH files read
 * from S3 (batching/batch-messages.ts) and `--check` (cli/s3-probe.ts): the same credentials,
 * endpoint, addressing and checksum rules everywhere, one request per send (the AWS SDK's own
 * retries are off: retry-policy.ts repeats what is safe to repeat, within one budget), and
 * timeouts so that an endpoint that accepts the connection and never answers cannot stall a run.
 */

import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { fromIni } from '@aws-sdk/credential-providers';
import type { TargetConfig } from '../config/config.js';

/** The S3 settings of the config (the timeouts and the retry budget have defaults here). */
export type S3Settings = Pick<
  TargetConfig,
  's3_bucket' | 's3_endpoint_url' | 's3_region_name' | 's3_force_path_style' | 's3_acl' | 'aws_access_key_id' | 'aws_secret_access_key' | 'aws_session_token' | 'aws_profile'
> &
  Partial<Pick<TargetConfig, 's3_timeout_seconds' | 'connect_timeout_seconds' | 's3_retry_seconds'>>;

/** How long one S3 request may take to connect and to be answered. */
export interface S3Timeouts {
  connectMs: number;
  requestMs: number;
}

/** Pure: the timeouts the settings give (connect_timeout_seconds, s3_timeout_seconds). */
function s3Timeouts(settings: Pick<S3Settings, 'connect_timeout_seconds' | 's3_timeout_seconds'>): S3Timeouts {
  return { connectMs: (settings.connect_timeout_seconds ?? 30) * 1000, requestMs: (settings.s3_timeout_seconds ?? 120) * 1000 };
}

/**
 * Pure: the S3 client options for the settings (credentials chosen as the original target did).
 * `timeouts` overrides the settings' own (a check wants an answer in seconds).
 */
export function s3ClientConfig(settings: S3Settings, timeouts: S3Timeouts = s3Timeouts(settings)): S3ClientConfig {
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
    // Without these a request to an S3 endpoint that accepts the connection and never answers waits forever.
    requestHandler: { connectionTimeout: timeouts.connectMs, requestTimeout: timeouts.requestMs },
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

/** A client for the settings; the caller destroys it when done (it holds sockets). */
export function createS3Client(settings: S3Settings, timeouts?: S3Timeouts): S3Client {
  return new S3Client(s3ClientConfig(settings, timeouts));
}
