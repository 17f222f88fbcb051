import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { configFile, dropSchema, ensureConfig, freshSchema, rows, runTarget } from './harness.js';

/**
 * HTTPS in front of the local lakehouse: a TLS-terminating proxy with a certificate of a
 * throwaway CA, so the target's scheme, tls_verify and tls_ca_file settings meet a real
 * handshake, as with iomete's gateway.
 */
describe('HTTPS endpoint', () => {
  let server: Server;
  let port: number;
  let caFile: string;
  const schemas: string[] = [];

  before(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'target-iomete-tls-'));
    caFile = join(dir, 'ca.pem');
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=target-iomete test CA');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.ext');
    const upstream = await ensureConfig();
    server = createServer({ key: await readFile(join(dir, 'server.key')), cert: await readFile(join(dir, 'server.pem')) }, (req, res) => {
      const forward = httpRequest(
        { host: '127.0.0.1', port: Number(upstream.port), path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server?.close();
    for (const schema of schemas) await dropSchema(schema);
  });

  const input = (stream: string) =>
    [
      { type: 'SCHEMA', stream, key_properties: ['id'], schema: { properties: { id: { type: 'integer' } } } },
      { type: 'RECORD', stream, record: { id: 7 } },
    ]
      .map((m) => JSON.stringify(m))
      .join('\n') + '\n';

  it('verifies the certificate by default and refuses an unknown CA', async () => {
    const config = await configFile({ scheme: 'https', port, default_target_schema: 'never_created' });
    const run = await runTarget(['--config', config], input('t'));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Cannot reach the lakehouse at https:\/\/127\.0\.0\.1:\d+\/.*(self-signed|unable to verify|certificate)/i);
  });

  it('trusts the CA given in tls_ca_file', async () => {
    const schema = await freshSchema();
    schemas.push(schema);
    const config = await configFile({ scheme: 'https', port, tls_ca_file: caFile, default_target_schema: schema });
    const run = await runTarget(['--config', config], input('t'));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await rows(schema, 't', 'ID'), [{ ID: 7 }]);
  });

  it('tls_verify false accepts the certificate', async () => {
    const schema = await freshSchema();
    schemas.push(schema);
    const config = await configFile({ scheme: 'https', port, tls_verify: false, default_target_schema: schema });
    const run = await runTarget(['--config', config], input('t'));
    assert.equal(run.code, 0, run.stderr);
  });
});
