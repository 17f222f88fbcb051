import { strict as assert } from 'node:assert';
import { open } from 'node:fs/promises';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { S3ObjectStore } from '../../src/storage/s3-object-store.js';
import { describeS3Error, isTransientS3Error } from '../../src/storage/s3-errors.js';

const missing = join(tmpdir(), 'target-iomete-no-such-dir', 'run-stream-1.jsonl.gz');

describe('S3 staging errors', () => {
  it('a batch file that cannot be read is no S3 outage: not retried, named with temp_dir', async () => {
    const error = await open(missing).then(
      () => assert.fail('the file should not exist'),
      (e: unknown) => e,
    );
    assert.equal(isTransientS3Error(error), false);
    assert.equal(
      describeS3Error(error),
      `cannot read the batch file ${missing} (ENOENT); check that nothing else removes files in 'temp_dir'`,
    );
  });

  it('a refused connection is still retried', async () => {
    const error = await new Promise<unknown>((resolve) => connect({ host: '127.0.0.1', port: 9 }).on('error', resolve));
    assert.equal(isTransientS3Error(error), true);
  });

  it('an upload of a removed batch file fails at once instead of retrying for s3_retry_seconds', async () => {
    const retries: string[] = [];
    const store = new S3ObjectStore(
      { s3_bucket: 'b', s3_endpoint_url: 'http://127.0.0.1:9', s3_force_path_style: true, aws_access_key_id: 'k', aws_secret_access_key: 's', s3_retry_seconds: 2 },
      (message) => retries.push(message),
    );
    try {
      await assert.rejects(store.upload(missing, 'k'), (e: Error) => e.message.includes(`cannot read the batch file ${missing} (ENOENT)`));
      assert.deepEqual(retries, []);
    } finally {
      store.close();
    }
  });

  it("a 503 SlowDown: one request per attempt (the SDK's own retries are off), retried with growing waits, then one failure", async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests += 1;
      res.writeHead(503, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const retries: string[] = [];
    const store = new S3ObjectStore(
      { s3_bucket: 'b', s3_endpoint_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, s3_force_path_style: true, aws_access_key_id: 'k', aws_secret_access_key: 's', s3_retry_seconds: 3 },
      (message) => retries.push(message),
    );
    try {
      await assert.rejects(store.putText('k.json', '{}'), (e: Error) => /^Writing s3:\/\/b\/k\.json failed: SlowDown, HTTP 503: Please reduce your request rate\.$/.test(e.message));
      assert.ok(retries.length >= 3, retries.join('\n'));
      assert.equal(requests, retries.length + 1, 'one request per attempt');
      const waits = retries.map((m) => Number(/; retry \d+ in ([\d.]+) s$/.exec(m)?.[1]));
      // Before the last (cut to the budget's end), each wait is at least the one before.
      for (let i = 1; i < waits.length - 1; i += 1) assert.ok((waits[i] as number) >= (waits[i - 1] as number), waits.join(', '));
      assert.ok((waits[0] as number) >= 0.2 && (waits[0] as number) <= 0.5, waits.join(', '));
    } finally {
      store.close();
      server.close();
    }
  });
});

describe('S3 small objects (run markers)', () => {
  it('getText reads an object, and answers undefined for one that is gone (NoSuchKey)', async () => {
    const server = createServer((req, res) => {
      if (req.url?.split('?')[0]?.endsWith('/marker.json')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"appends":[]}');
        return;
      }
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const store = new S3ObjectStore({ s3_bucket: 'b', s3_endpoint_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, s3_force_path_style: true, aws_access_key_id: 'k', aws_secret_access_key: 's', s3_retry_seconds: 1 });
    try {
      assert.equal(await store.getText('_runs/marker.json'), '{"appends":[]}');
      assert.equal(await store.getText('_runs/gone.json'), undefined);
    } finally {
      store.close();
      server.close();
    }
  });
});
