import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { configFile, freshSchema, query, runTarget, schemaScope, type RunResult } from './harness.js';

/**
 * Failures a user can fix, through the real CLI: each is one ERROR line that names the setting to
 * change, with no stack trace.
 */

const { track } = schemaScope();
const schemaName = async () => track(await freshSchema());

const input = `${JSON.stringify({ type: 'SCHEMA', stream: 'things', key_properties: ['id'], schema: { properties: { id: { type: 'integer' } } } })}\n${JSON.stringify({ type: 'RECORD', stream: 'things', record: { id: 1 } })}\n`;

function errorLines(run: RunResult): string[] {
  return run.stderr.split('\n').filter((l) => / ERROR /.test(l));
}

function noStack(run: RunResult): void {
  assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  assert.doesNotMatch(run.stderr, /Unexpected failure/);
}

describe('errors that say what to fix', () => {
  it('nothing listening on the port: connection refused, check host and port (no retries)', async () => {
    const schema = await schemaName();
    const config = await configFile({ port: 9, default_target_schema: schema });
    const run = await runTarget(['--config', config], input);
    assert.equal(run.code, 1);
    assert.deepEqual(errorLines(run).map((l) => l.replace(/^\S+ ERROR /, '')), [
      "Cannot reach the lakehouse at http://127.0.0.1:9/data-plane/default/lakehouse/local: nothing accepts connections at 127.0.0.1:9 (connection refused); check 'host' and 'port'",
    ]);
    assert.doesNotMatch(run.stderr, /retrying|attempts/, 'a refused connection is not retried');
    noStack(run);
    assert.deepEqual(await query(`SHOW SCHEMAS LIKE '${schema}'`), []);
  });

  it('https to the plain-HTTP endpoint: set scheme: http', async () => {
    const config = await configFile({ scheme: 'https', default_target_schema: await schemaName() });
    const run = await runTarget(['--config', config], input);
    assert.equal(run.code, 1);
    const [line, ...more] = errorLines(run);
    assert.deepEqual(more, []);
    assert.match(line!, /ERROR Cannot reach the lakehouse at https:\/\/127\.0\.0\.1:\d+\/data-plane\/default\/lakehouse\/local: the TLS handshake failed because the server answers plain HTTP; set scheme: http/);
    noStack(run);
  });

  it('a lakehouse name that does not exist: check lakehouse / data_plane / http_path, showing the URL', async () => {
    const config = await configFile({ lakehouse: 'no-such-lakehouse', default_target_schema: await schemaName() });
    const run = await runTarget(['--config', config], input);
    assert.equal(run.code, 1);
    assert.match(errorLines(run).join('\n'), /No SQL endpoint at http:\/\/127\.0\.0\.1:\d+\/data-plane\/default\/lakehouse\/no-such-lakehouse \(HTTP 40[45]\); check 'lakehouse' and 'data_plane'/);
    // It may be a lakehouse that is starting, so it is retried, and every retry says so.
    assert.match(run.stderr, /WARN Opening a lakehouse session failed \(attempt 1\), retrying in [\d.]+ s: .*HTTP 40[45]/);
    assert.match(run.stderr, /WARN Opening a lakehouse session failed \(attempt 3\), retrying in [\d.]+ s/);
    noStack(run);
  });

  it('a bucket that does not exist: check s3_bucket, in one line', async () => {
    const config = await configFile({ s3_bucket: 'no-such-bucket-x', default_target_schema: await schemaName() });
    const run = await runTarget(['--config', config], input);
    assert.equal(run.code, 1);
    const lines = errorLines(run);
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0]!, /ERROR S3 bucket 'no-such-bucket-x' does not exist at http:\/\/127\.0\.0\.1:\d+; check 's3_bucket' \(and 's3_endpoint_url' \/ 's3_region_name'\)$/);
    noStack(run);
  });

  it('--input that cannot be read is a usage error before anything starts', async () => {
    const config = await configFile({ default_target_schema: await schemaName() });
    const run = await runTarget(['--config', config, '--input', '/no/such/messages.jsonl'], '');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Cannot read --input \/no\/such\/messages\.jsonl: no such file/);
    assert.doesNotMatch(run.stderr, /loading into/);
  });

  it('a config without a target schema: one line for the one problem', async () => {
    const config = await configFile({ default_target_schema: undefined });
    const run = await runTarget(['--config', config], input);
    assert.equal(run.code, 1);
    assert.deepEqual(errorLines(run).map((l) => l.replace(/^\S+ ERROR /, '')), [
      "Invalid configuration: set 'default_target_schema' (a schema name) or 'schema_mapping' (an object) so every stream has a target schema",
    ]);
  });
});
