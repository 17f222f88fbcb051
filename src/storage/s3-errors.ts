import type { Backoff } from '../retry-policy.js';

/**
 * What an S3 failure means, for every S3 caller (staging, BATCH reading, `--check`): whether a
 * retry can change it, and its one-line description. Pure, so the explanation needs no AWS SDK.
 */

/**
 * S3 error names that no retry can change: the request or the settings are wrong. One list for
 * both the retry decision (s3Verdict) and the one-line explanation naming the setting to check
 * (cli/explain.ts).
 */
export const PERMANENT_S3_ERRORS: ReadonlySet<string> = new Set([
  'NoSuchBucket',
  'NoSuchKey',
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'InvalidBucketName',
  'ExpiredToken',
  'CredentialsProviderError',
]);

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

/** Waits between S3 retries: doubling from 0.5 s to 8 s, never shorter than the one before (SlowDown asks for that). */
export const S3_BACKOFF: Backoff = { firstMs: 500, maxMs: 8_000, jitter: 'equal' };

/** The retry verdict for an S3 failure (retry-policy.ts decides the waits). */
export function s3Verdict(error: unknown): { backoff: Backoff } | undefined {
  return isTransientS3Error(error) ? { backoff: S3_BACKOFF } : undefined;
}

/**
 * One line for an S3 failure: S3's answer by name, HTTP status and the first line of its message
 * (e.g. `SlowDown, HTTP 503: Please reduce your request rate.`), or the local file that could not
 * be read. Never the credentials. The fix, where known, is added by cli/explain.ts.
 */
export function describeS3Error(error: unknown): string {
  const local = localFileError(error);
  if (local) return `cannot read the batch file ${local.path} (${local.code}); check that nothing else removes files in 'temp_dir'`;
  const e = (error ?? {}) as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const name = e.name && e.name !== 'Error' ? e.name : e.code;
  const message = String(e.message ?? (typeof error === 'object' ? '' : error)).split('\n')[0] ?? '';
  const what = [name, status ? `HTTP ${status}` : undefined].filter(Boolean).join(', ');
  return [what, message !== name ? message : ''].filter((p) => p).join(': ');
}
