import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import hive from 'hive-driver';
import { LakehouseGateway } from '../../src/spark/gateway.js';
import { GatewayConnection } from '../../src/spark/gateway-connection.js';

interface Received {
  body: string;
  authorization?: string;
}

/** A local endpoint answering each request with the next status of `statuses` (the last one repeats). */
async function endpoint(statuses: Array<{ status: number; retryAfter?: string }>): Promise<{ port: number; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString(), ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      const answer = statuses[Math.min(received.length, statuses.length) - 1]!;
      res.writeHead(answer.status, answer.retryAfter === undefined ? {} : { 'retry-after': answer.retryAfter });
      res.end(answer.status === 200 ? 'thrift reply' : 'Too Many Requests');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { port: (server.address() as AddressInfo).port, received, server };
}

const servers: Server[] = [];
after(() => {
  for (const server of servers) server.close();
});

/** A connection as HiveServer2Executor makes it, with thrift's response handling replaced by a probe. */
async function connected(port: number, gateway: LakehouseGateway) {
  const connection = await new GatewayConnection(gateway, `http://127.0.0.1:${port}/lh`).connect(
    { host: '127.0.0.1', port, options: { path: '/lh' } },
    new hive.auth.PlainHttpAuthentication({ username: 'me', password: 'token' }),
  );
  const thrift = connection.getConnection() as { write(data: Buffer): void; responseCallback(r: IncomingMessage): void; on(e: 'error', f: (e: Error) => void): void };
  const outcome = new Promise<number | Error>((resolve) => {
    thrift.responseCallback = (response) => resolve(response.statusCode ?? 0);
    thrift.on('error', resolve);
  });
  return { thrift, outcome };
}

describe('the gateway connection under thrift', () => {
  it('a request refused with 429 is sent again byte for byte, with its credentials, until it passes; one WARN', async () => {
    const { port, received } = await endpoint([{ status: 429, retryAfter: '0' }, { status: 429 }, { status: 429, retryAfter: new Date().toUTCString() }, { status: 200 }]);
    const warnings: string[] = [];
    const { thrift, outcome } = await connected(port, new LakehouseGateway({ rate_limit_retry_seconds: 30 }, (m) => warnings.push(m)));
    thrift.write(Buffer.from('ExecuteStatement MERGE INTO t ...'));
    assert.equal(await outcome, 200);
    assert.equal(received.length, 4);
    assert.ok(received.every((r) => r.body === 'ExecuteStatement MERGE INTO t ...' && r.authorization === `Basic ${Buffer.from('me:token').toString('base64')}`));
    assert.equal(warnings.length, 1);
  });

  it('other statuses go to thrift as they are (no repeat)', async () => {
    const { port, received } = await endpoint([{ status: 503 }]);
    const { thrift, outcome } = await connected(port, new LakehouseGateway());
    thrift.write(Buffer.from('OpenSession'));
    assert.equal(await outcome, 503);
    assert.equal(received.length, 1);
  });

  it('refusals past rate_limit_retry_seconds fail the call with the one line naming the settings', async () => {
    const { port, received } = await endpoint([{ status: 429, retryAfter: '1' }]);
    const warnings: string[] = [];
    const { thrift, outcome } = await connected(port, new LakehouseGateway({ rate_limit_retry_seconds: 1.5 }, (m) => warnings.push(m)));
    thrift.write(Buffer.from('GetOperationStatus'));
    const error = await outcome;
    assert.ok(error instanceof Error);
    assert.equal(
      error.message,
      `The lakehouse's gateway at http://127.0.0.1:${port}/lh kept refusing requests with HTTP 429 (the access token's rate limit) beyond 'rate_limit_retry_seconds' (1.5 s); set 'max_requests_per_second' under the token's limit, or raise 'rate_limit_retry_seconds'`,
    );
    // Sent at 0 and after 1 s; a second wait of 1 s would end past the budget, so it is not waited.
    assert.equal(received.length, 2);
    assert.equal(warnings.length, 1);
  });
});
