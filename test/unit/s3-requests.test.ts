import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readBatchRecords, parseBatchMessage } from '../../src/batching/batch-messages.js';
import { S3ProbeClient } from '../../src/cli/s3-probe.js';
import type { S3Settings } from '../../src/storage/s3-client.js';
import { S3ObjectStore } from '../../src/storage/s3-object-store.js';

/**
 * How many HTTP requests each S3 caller sends for one failing operation: the SDK's own retries
 * are off everywhere (one request per attempt of ours), and one budget covers the run's S3 calls.
 */

const settings = (port: number, retrySeconds: number): S3Settings => ({
  s3_bucket: 'b',
  s3_endpoint_url: `http://127.0.0.1:${port}`,
  s3_force_path_style: true,
  aws_access_key_id: 'k',
  aws_secret_access_key: 's',
  s3_retry_seconds: retrySeconds,
});

const listen = <T extends Server | TcpServer>(server: T): Promise<T> => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
const portOf = (server: Server | TcpServer) => (server.address() as AddressInfo).port;

describe('S3 requests per operation', () => {
  let requests = 0;
  let slowDown: Server;
  // Accepts each connection and drops it: a network failure, counted per connection.
  let connections = 0;
  let dropping: TcpServer;
  before(async () => {
    slowDown = await listen(
      createServer((_req, res) => {
        requests += 1;
        res.writeHead(503, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
      }),
    );
    dropping = await listen(
      createTcpServer((socket) => {
        connections += 1;
        socket.destroy();
      }),
    );
  });
  after(() => {
    slowDown.close();
    dropping.close();
  });

  it('--check sends one request per probe step, whatever the failure', async () => {
    requests = 0;
    connections = 0;
    for (const port of [portOf(slowDown), portOf(dropping)]) {
      const probe = new S3ProbeClient(settings(port, 60));
      try {
        await assert.rejects(probe.put('k', new Uint8Array([1])));
        await assert.rejects(probe.get('k'));
        await assert.rejects(probe.list(''));
        await assert.rejects(probe.remove('k'));
      } finally {
        probe.close();
      }
    }
    assert.deepEqual({ requests, connections }, { requests: 4, connections: 4 });
  });

  it('staging: an upload sends one request per attempt', async () => {
    requests = 0;
    const retries: string[] = [];
    const dir = await mkdtemp(join(tmpdir(), 'target-iomete-s3-requests-'));
    const store = new S3ObjectStore(settings(portOf(slowDown), 1), (message) => retries.push(message));
    try {
      await writeFile(join(dir, 'batch.parquet'), 'PAR1');
      await assert.rejects(store.upload(join(dir, 'batch.parquet'), 'stage/batch.parquet'), /^StorageError: Upload of the batch to s3:\/\/b\/stage\/batch\.parquet failed: SlowDown, HTTP 503: /);
      assert.ok(retries.length >= 1, retries.join('\n'));
      assert.equal(requests, retries.length + 1, 'one request per attempt');
    } finally {
      store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a BATCH file on S3: one request per attempt; staging and BATCH reads share one budget', async () => {
    requests = 0;
    const retries: string[] = [];
    const store = new S3ObjectStore(settings(portOf(slowDown), 1), (message) => retries.push(message));
    try {
      const message = parseBatchMessage({ type: 'BATCH', stream: 's', encoding: { format: 'jsonl' }, manifest: ['s3://tap/part-1.jsonl'] }, 7);
      const read = async () => {
        for await (const _ of readBatchRecords(message, (bucket, key) => store.open(bucket, key), { line: 7 })) assert.fail('no record can be read');
      };
      await assert.rejects(read(), /^TransientError: Reading batch file s3:\/\/tap\/part-1\.jsonl failed while opening it \(SlowDown\): Please reduce your request rate\.$/);
      assert.ok(retries.length >= 1, retries.join('\n'));
      assert.match(retries[0]!, /^Opening s3:\/\/tap\/part-1\.jsonl failed: SlowDown, HTTP 503: Please reduce your request rate\.; retry 1 in [\d.]+ s$/);
      assert.equal(requests, retries.length + 1, 'one request per attempt');
      // The outage used the budget up: the cleanup that follows fails at its first error.
      const before = requests;
      await assert.rejects(store.remove(['a']), /^StorageError: Delete of 1 staged object\(s\) in s3:\/\/b failed: SlowDown, HTTP 503: /);
      assert.equal(requests - before, 1);
    } finally {
      store.close();
    }
  });
});
