import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { explainFailure, failureLines, type FailureContext } from '../../src/cli/explain.js';
import { ConfigError, InputError, LoadError, TransientError } from '../../src/errors.js';

const context: FailureContext = {
  lakehouseUrl: 'https://dev.iomete.cloud:443/data-plane/dp/lakehouse/lh',
  host: 'dev.iomete.cloud',
  port: 443,
  scheme: 'https',
  bucket: 'staging',
  s3Endpoint: 'http://minio:9000',
};
const url = context.lakehouseUrl;

/** An AWS SDK v3 service error as the client throws it. */
function s3Error(name: string, status: number, message = name): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status, attempts: 1 } });
}

describe('explainFailure: the lakehouse connection', () => {
  const cases: Array<[string, unknown, string]> = [
    [
      'TLS to a plain-HTTP port',
      new LoadError(`Cannot reach the lakehouse at ${url}: write EPROTO 808CCD288B7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number`),
      `Cannot reach the lakehouse at ${url}: the TLS handshake failed because the server answers plain HTTP; set scheme: http (or point 'port' at the HTTPS port)`,
    ],
    [
      'connection refused',
      new TransientError(`Cannot reach the lakehouse at ${url}: connect ECONNREFUSED 10.0.0.1:443`),
      `Cannot reach the lakehouse at ${url}: nothing accepts connections at dev.iomete.cloud:443 (connection refused); check 'host' and 'port'`,
    ],
    [
      'unknown host (Node error code only)',
      Object.assign(new Error('getaddrinfo ENOTFOUND dev.iomete.cloud'), { code: 'ENOTFOUND' }),
      `Cannot reach the lakehouse at ${url}: the host name 'dev.iomete.cloud' does not resolve; check 'host'`,
    ],
    [
      'untrusted certificate',
      new Error('self-signed certificate in certificate chain'),
      `Cannot reach the lakehouse at ${url}: its TLS certificate is not trusted; set 'tls_ca_file' to the CA bundle that signed it (or tls_verify: false for a test endpoint)`,
    ],
    [
      'HTTP 404 on the path',
      new Error('Thrift HTTP request failed, status code: 404'),
      `No SQL endpoint at ${url} (HTTP 404); check 'lakehouse' and 'data_plane' (or 'workspace_id'), or 'http_path'`,
    ],
    [
      'HTTP 405 on the path (a lakehouse name that does not exist)',
      new TransientError(`The lakehouse at ${url} answered HTTP 405; it may be starting or overloaded. (gave up after 4 attempts)`),
      `No SQL endpoint at ${url} (HTTP 405); check 'lakehouse' and 'data_plane' (or 'workspace_id'), or 'http_path'; if they are right, the lakehouse may still be starting`,
    ],
    [
      'thrift transport status text',
      new Error('Thrift HTTP request failed, status code: 503'),
      `The lakehouse at ${url} answered HTTP 503: it is starting, stopped or overloaded; start it (or wait) and run again`,
    ],
    [
      'credentials',
      new Error('Thrift HTTP request failed, status code: 401'),
      `The lakehouse at ${url} refused the credentials (HTTP 401); check 'user' and 'token' (a personal access token that has not expired)`,
    ],
    [
      'timeout',
      new TransientError(`No answer from ${url} to 'open session' within 60 s`),
      `Cannot reach the lakehouse at ${url}: the connection timed out or was dropped; check 'host', 'port' and the network (firewall, VPN, proxy)`,
    ],
  ];
  for (const [name, error, expected] of cases) it(name, () => assert.equal(explainFailure(error, context), expected));

  it('the cause chain is read (errors wrapped by other errors)', () => {
    const wrapped = new Error('request failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    assert.match(explainFailure(wrapped, context)!, /connection refused\); check 'host' and 'port'/);
  });

  it("a message that already names the setting to check is left as it is", () => {
    const own = new LoadError(`The lakehouse at ${url} refused the credentials (HTTP 401). Check 'user' and 'password' (a personal access token that has not expired).`);
    assert.equal(explainFailure(own, context), undefined);
    assert.deepEqual(failureLines(own, context), [own.message]);
  });

  it('unknown failures are left alone', () => {
    assert.equal(explainFailure(new Error('disk full'), context), undefined);
    assert.equal(explainFailure('boom', context), undefined);
    assert.equal(explainFailure(undefined, context), undefined);
  });
});

describe('explainFailure: S3', () => {
  const cases: Array<[unknown, string]> = [
    [s3Error('NoSuchBucket', 404, 'The specified bucket does not exist'), "S3 bucket 'staging' does not exist at http://minio:9000; check 's3_bucket' (and 's3_endpoint_url' / 's3_region_name')"],
    [s3Error('InvalidAccessKeyId', 403), "S3 does not know the access key at http://minio:9000; check 'aws_access_key_id' (or the AWS credential chain: env, 'aws_profile', IAM role)"],
    [s3Error('SignatureDoesNotMatch', 403), "S3 rejected the request signature at http://minio:9000; check 'aws_secret_access_key' (it must belong to 'aws_access_key_id')"],
    [s3Error('AccessDenied', 403), "S3 denied access to bucket 'staging' at http://minio:9000; the credentials need s3:PutObject, s3:GetObject, s3:DeleteObject and s3:ListBucket on the staging prefix (check 'aws_access_key_id' / 'aws_profile', 's3_key_prefix' and 's3_acl')"],
    [s3Error('PermanentRedirect', 301), "S3 bucket 'staging' is in another region; check 's3_region_name'"],
    [s3Error('Forbidden', 403), "S3 denied access to bucket 'staging' at http://minio:9000; the credentials need s3:PutObject, s3:GetObject, s3:DeleteObject and s3:ListBucket on the staging prefix (check 'aws_access_key_id' / 'aws_profile', 's3_key_prefix' and 's3_acl')"],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9000'), { code: 'ECONNREFUSED', $metadata: { attempts: 3 } }), "Cannot reach S3 at http://minio:9000 (ECONNREFUSED); check 's3_endpoint_url' (and the network)"],
    [Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), "No AWS credentials found; set 'aws_access_key_id' and 'aws_secret_access_key', or 'aws_profile'"],
  ];
  for (const [error, expected] of cases) it((error as Error).name, () => assert.equal(explainFailure(error, context), expected));

  it('a network error is S3\'s when the caller says so', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'ECONNREFUSED' });
    assert.match(explainFailure(refused, context, 's3')!, /^Cannot reach S3 at http:\/\/minio:9000 \(ECONNREFUSED\)/);
    assert.match(explainFailure(refused, context)!, /^Cannot reach the lakehouse/);
  });

  it('never shows secrets: lines are built from names and URLs only', () => {
    const error = s3Error('SignatureDoesNotMatch', 403, 'The request signature we calculated does not match; secret=abc123');
    assert.ok(!explainFailure(error, context)!.includes('abc123'));
  });
});

describe('failureLines: what a failed run prints', () => {
  it('all problems of a config in one block', () => {
    const error = new ConfigError('Invalid configuration (2 problems):\n  - a\n  - b', { problems: ['a', 'b'] });
    assert.deepEqual(failureLines(error, context), ['Invalid configuration (2 problems):\n  - a\n  - b']);
    assert.deepEqual(failureLines(new ConfigError('No configuration'), context), ['No configuration']);
  });
  it('input and statement failures keep their own message', () => {
    assert.deepEqual(failureLines(new InputError('Invalid JSON', { line: 3 }), context), ['Invalid JSON (line 3)']);
    const statement = new LoadError('Statement failed on the lakehouse: Status Code: 403', 'MERGE INTO x', 'AccessDenied');
    assert.deepEqual(failureLines(statement, context), ['Statement failed on the lakehouse: Status Code: 403']);
  });
  it('unknown errors: "Unexpected failure" and the message, no stack trace', () => {
    const [line] = failureLines(new RangeError('bad thing'), context);
    assert.equal(line, 'Unexpected failure: bad thing');
  });
  it('known failures are explained', () => {
    assert.deepEqual(failureLines(s3Error('NoSuchBucket', 404), context), ["S3 bucket 'staging' does not exist at http://minio:9000; check 's3_bucket' (and 's3_endpoint_url' / 's3_region_name')"]);
  });
});

describe('explain: wrapped S3 errors', () => {
  it('explains a staging error by the S3 answer it wraps', async () => {
    const { StorageError } = await import('../../src/storage/s3-object-store.js');
    const { failureLines } = await import('../../src/cli/explain.js');
    const answer = Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } });
    const wrapped = new StorageError('Writing s3://b/k failed: NoSuchBucket: The specified bucket does not exist', { cause: answer });
    assert.deepEqual(failureLines(wrapped, { bucket: 'b', s3Endpoint: 'http://minio:9000' }), [
      "S3 bucket 'b' does not exist at http://minio:9000; check 's3_bucket' (and 's3_endpoint_url' / 's3_region_name')",
    ]);
  });
});
