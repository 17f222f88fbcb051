/**
 * Known connection and S3 failures, each turned into one line that says what failed and which
 * setting to fix. Pure: an error (as thrown by the thrift client, Node's sockets or the AWS SDK)
 * and where the target was connecting to, in; a line, or undefined for failures it does not know,
 * out. Used by the run's top-level error print and by `--check`. Lines name settings and show
 * URLs, never secrets or other config values.
 */

import type { TargetConfig } from '../config/config.js';
import { ConfigError, InputError, LoadError, SchemaEvolutionError, TargetError, asError } from '../errors.js';
import { endpointUrl } from '../spark/endpoint.js';
import { PERMANENT_S3_ERRORS } from '../storage/s3-errors.js';

export interface FailureContext {
  /** The lakehouse URL (no credentials in it). */
  lakehouseUrl?: string;
  host?: string;
  port?: number;
  scheme?: string;
  bucket?: string;
  s3Endpoint?: string;
}

interface ErrorFacts {
  text: string;
  name?: string;
  code?: string;
  status?: number;
  s3: boolean;
}


/** Message, name, code and HTTP status of an error and its causes (AWS SDK and Node errors nest). */
function factsOf(e: unknown): ErrorFacts {
  const texts: string[] = [];
  let name: string | undefined;
  let code: string | undefined;
  let status: number | undefined;
  let s3 = false;
  let current: unknown = e;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth += 1) {
    const c = current as { message?: unknown; name?: unknown; code?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: number }; cause?: unknown };
    if (typeof c.message === 'string') texts.push(c.message);
    // S3's own answer (NoSuchBucket, ...) wins over the name of an error wrapping it.
    if (typeof c.name === 'string' && c.name !== 'Error' && (!name || PERMANENT_S3_ERRORS.has(c.name))) name = c.name;
    const errorCode = typeof c.code === 'string' ? c.code : typeof c.Code === 'string' ? c.Code : undefined;
    if (errorCode && !code) code = errorCode;
    if (c.$metadata) {
      s3 = true;
      status ??= c.$metadata.httpStatusCode;
    }
    current = c.cause;
  }
  if (typeof e === 'string') texts.push(e);
  if (name && PERMANENT_S3_ERRORS.has(name)) s3 = true;
  const text = texts.join(' | ');
  status ??= Number(/\bHTTP (\d{3})\b|status code: (\d{3})/.exec(text)?.slice(1).find(Boolean)) || undefined;
  return { text, ...(name ? { name } : {}), ...(code ? { code } : {}), ...(status ? { status } : {}), s3 };
}

const ALREADY_EXPLAINED = /\bcheck '[a-z0-9_]+'/i;

const has = (facts: ErrorFacts, pattern: RegExp) => pattern.test(facts.text) || (facts.code !== undefined && pattern.test(facts.code)) || (facts.name !== undefined && pattern.test(facts.name));

/** Where a run or check connects to, from its config (URLs and names only). */
export function failureContext(config: TargetConfig): FailureContext {
  return {
    lakehouseUrl: endpointUrl(config),
    host: config.host,
    port: config.port,
    scheme: config.scheme,
    bucket: config.s3_bucket,
    ...(config.s3_endpoint_url ? { s3Endpoint: config.s3_endpoint_url } : {}),
  };
}

/**
 * One line with the fix for a known failure, or undefined. `side` says which service failed when
 * the caller knows; otherwise AWS SDK errors are S3's and everything else the lakehouse's.
 */
export function explainFailure(e: unknown, context: FailureContext = {}, side?: 's3' | 'lakehouse'): string | undefined {
  // A message that already names the setting to check (the target's own, e.g. HTTP 401) stays as it is.
  if (e instanceof Error && ALREADY_EXPLAINED.test(e.message)) return undefined;
  const facts = factsOf(e);
  return (side ?? (facts.s3 ? 's3' : 'lakehouse')) === 's3' ? explainS3(facts, context) : explainLakehouse(facts, context);
}

function explainLakehouse(facts: ErrorFacts, context: FailureContext): string | undefined {
  const url = context.lakehouseUrl ?? 'the lakehouse';
  const at = context.host !== undefined ? `${context.host}${context.port !== undefined ? `:${context.port}` : ''}` : 'the configured host and port';
  if (has(facts, /wrong version number|packet length too long|EPROTO|ERR_SSL_/)) {
    return `Cannot reach the lakehouse at ${url}: the TLS handshake failed because the server answers plain HTTP; set scheme: http (or point 'port' at the HTTPS port)`;
  }
  if (has(facts, /self[- ]signed|unable to (verify|get local issuer)|UNABLE_TO_VERIFY|CERT_|certificate/i)) {
    return `Cannot reach the lakehouse at ${url}: its TLS certificate is not trusted; set 'tls_ca_file' to the CA bundle that signed it (or tls_verify: false for a test endpoint)`;
  }
  if (has(facts, /ECONNREFUSED/)) {
    return `Cannot reach the lakehouse at ${url}: nothing accepts connections at ${at} (connection refused); check 'host' and 'port'`;
  }
  if (has(facts, /ENOTFOUND|EAI_AGAIN/)) {
    return `Cannot reach the lakehouse at ${url}: the host name${context.host ? ` '${context.host}'` : ''} does not resolve; check 'host'`;
  }
  if (has(facts, /ETIMEDOUT|ECONNRESET|socket hang up|No answer from/)) {
    return `Cannot reach the lakehouse at ${url}: the connection timed out or was dropped; check 'host', 'port' and the network (firewall, VPN, proxy)`;
  }
  if (facts.status === 401 || facts.status === 403) {
    return `The lakehouse at ${url} refused the credentials (HTTP ${facts.status}); check 'user' and 'token' (a personal access token that has not expired)`;
  }
  if (facts.status === 404 || facts.status === 405) {
    // iomete's ingress answers 405 for a path that names no lakehouse, and maybe while one starts.
    const starting = facts.status === 405 ? '; if they are right, the lakehouse may still be starting' : '';
    return `No SQL endpoint at ${url} (HTTP ${facts.status}); check 'lakehouse' and 'data_plane' (or 'workspace_id'), or 'http_path'${starting}`;
  }
  if (facts.status === 502 || facts.status === 503 || facts.status === 504) {
    return `The lakehouse at ${url} answered HTTP ${facts.status}: it is starting, stopped or overloaded; start it (or wait) and run again`;
  }
  return undefined;
}

function explainS3(facts: ErrorFacts, context: FailureContext): string | undefined {
  const bucket = context.bucket ? `'${context.bucket}'` : 'the staging bucket';
  const endpoint = context.s3Endpoint ? ` at ${context.s3Endpoint}` : '';
  const name = facts.name ?? facts.code;
  switch (name) {
    case 'NoSuchBucket':
      return `S3 bucket ${bucket} does not exist${endpoint}; check 's3_bucket' (and 's3_endpoint_url' / 's3_region_name')`;
    case 'InvalidAccessKeyId':
      return `S3 does not know the access key${endpoint}; check 'aws_access_key_id' (or the AWS credential chain: env, 'aws_profile', IAM role)`;
    case 'SignatureDoesNotMatch':
      return `S3 rejected the request signature${endpoint}; check 'aws_secret_access_key' (it must belong to 'aws_access_key_id')`;
    case 'CredentialsProviderError':
      return "No AWS credentials found; set 'aws_access_key_id' and 'aws_secret_access_key', or 'aws_profile'";
    case 'PermanentRedirect':
    case 'AuthorizationHeaderMalformed':
      return `S3 bucket ${bucket} is in another region; check 's3_region_name'`;
    case 'InvalidBucketName':
      return `${bucket} is not a valid S3 bucket name; check 's3_bucket'`;
  }
  if (name === 'AccessDenied' || facts.status === 403) {
    return `S3 denied access to bucket ${bucket}${endpoint}; the credentials need s3:PutObject, s3:GetObject, s3:DeleteObject and s3:ListBucket on the staging prefix (check 'aws_access_key_id' / 'aws_profile', 's3_key_prefix' and 's3_acl')`;
  }
  if (facts.status === 301) return `S3 bucket ${bucket} is in another region; check 's3_region_name'`;
  const network = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|TimeoutError/.exec([facts.code, facts.name, facts.text].join(' '));
  if (network) return `Cannot reach S3${endpoint} (${network[0]}); check 's3_endpoint_url' (and the network)`;
  return undefined;
}

/**
 * The ERROR lines a failed run prints: the config's problems as one block; known connection and S3 failures
 * explained; other failures the target raised on purpose as they are; anything else as
 * "Unexpected failure" with its message (the stack trace is for debug level only).
 */
export function failureLines(e: unknown, context?: FailureContext): string[] {
  const error = asError(e);
  // All problems of a config in one block (one log event), so they are read and fixed together.
  if (error instanceof ConfigError) return [error.message];
  // Input, schema and statement failures carry their own fix; only connection failures are explained.
  const explainable = !(error instanceof InputError || error instanceof SchemaEvolutionError || (error instanceof LoadError && error.sql !== undefined));
  const explained = explainable ? explainFailure(e, context) : undefined;
  if (explained) return [explained];
  return [error instanceof TargetError ? error.message : `Unexpected failure: ${error.message}`];
}
