import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { configFile, describe as describeTable, dropSchema, freshSchema, query, rows, runTarget } from './harness.js';

const bin = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'bin/run.js');
const schemas: string[] = [];
after(async () => {
  for (const schema of schemas) await dropSchema(schema);
});

function lines(...messages: unknown[]): string {
  return messages.map((m) => JSON.stringify(m)).join('\n') + '\n';
}

describe('operating the target', () => {
  it('SIGTERM: loads what arrived, emits its state, exits 143', async () => {
    const schema = await freshSchema();
    schemas.push(schema);
    const config = await configFile({ default_target_schema: schema, progress_interval_seconds: 1 });
    const child = spawn(process.execPath, [bin, '--config', config], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.write(
      lines(
        { type: 'SCHEMA', stream: 'orders', key_properties: ['id'], schema: { properties: { id: { type: 'integer' } } } },
        { type: 'RECORD', stream: 'orders', record: { id: 1 } },
        { type: 'RECORD', stream: 'orders', record: { id: 2 } },
        { type: 'STATE', value: { bookmarks: { orders: { id: 2 } } } },
      ),
    );
    // stdin stays open, like a tap still running; wait until the records are staged, then stop the target.
    const deadline = Date.now() + 60_000;
    while (!/Progress: 2 record\(s\) read/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    assert.equal(code, 143, stderr);
    assert.match(stderr, /Stopping on signal/);
    assert.equal(stdout, '{"bookmarks":{"orders":{"id":2}}}\n');
    assert.deepEqual(await rows(schema, 'orders', 'ID'), [{ ID: 1 }, { ID: 2 }]);
  });

  it('a bad token (HTTP 401) fails at once with a clear message and no secret', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end('Unauthorized');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const config = await configFile({ port, password: 'tok-SECRET-1234', default_target_schema: 'never_created' });
      const started = Date.now();
      const run = await runTarget(['--config', config], lines({ type: 'SCHEMA', stream: 's', key_properties: ['a'], schema: { properties: { a: { type: 'string' } } } }));
      assert.equal(run.code, 1);
      assert.ok(Date.now() - started < 30_000, 'must not hang');
      assert.match(run.stderr, /refused the credentials \(HTTP 401\)\. Check 'user' and '(password|token)'/);
      assert.doesNotMatch(run.stderr, /tok-SECRET-1234/);
    } finally {
      server.close();
    }
  });

  it('an unreachable endpoint fails with the endpoint named', async () => {
    const config = await configFile({ port: 9, default_target_schema: 'never_created' });
    const run = await runTarget(['--config', config], lines({ type: 'SCHEMA', stream: 's', key_properties: ['a'], schema: { properties: { a: { type: 'string' } } } }));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Cannot reach the lakehouse at http:\/\/127\.0\.0\.1:9\/data-plane\/default\/lakehouse\/local/);
  });

  it('database is made current when a session opens (an unknown one is reported)', async () => {
    const config = await configFile({ database: 'no_such_database_x', default_target_schema: 'never_created' });
    const run = await runTarget(['--config', config], lines({ type: 'SCHEMA', stream: 's', key_properties: ['a'], schema: { properties: { a: { type: 'string' } } } }));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no_such_database_x/);
    assert.match(run.stderr, /SCHEMA_NOT_FOUND|not found/i);
  });

  it("tables created by the original target (upper-case columns, text metadata) keep loading without new columns", async () => {
    const schema = await freshSchema();
    schemas.push(schema);
    await query(`CREATE SCHEMA spark_catalog.${schema}`);
    await query(
      `CREATE TABLE spark_catalog.${schema}.\`TEST_TABLE_ONE\` (\`_SDC_BATCHED_AT\` timestamp, \`_SDC_DELETED_AT\` string, \`_SDC_EXTRACTED_AT\` timestamp, \`C_INT\` bigint, \`C_PK\` bigint, \`C_VARCHAR\` string) USING iceberg`,
    );
    const config = await configFile({ default_target_schema: schema, add_metadata_columns: true, process_activate_version_messages: false });
    const run = await runTarget(
      ['--config', config],
      lines(
        { type: 'SCHEMA', stream: 'tap_mysql_test-test_table_one', key_properties: ['c_pk'], schema: { properties: { c_pk: { type: ['null', 'integer'] }, c_varchar: { type: ['null', 'string'] }, c_int: { type: ['null', 'integer'] } } } },
        { type: 'RECORD', stream: 'tap_mysql_test-test_table_one', record: { c_pk: 1, c_varchar: '1', c_int: 1, _sdc_deleted_at: '2019-02-12T01:10:10.000000Z' } },
      ),
    );
    assert.equal(run.code, 0, run.stderr);
    // Only the version column is new; everything else maps onto the existing columns.
    assert.match(run.stderr, /Adding 1 column\(s\) to .*: _SDC_TABLE_VERSION/);
    assert.deepEqual(await rows(schema, 'test_table_one', 'C_PK, C_VARCHAR, _SDC_DELETED_AT'), [{ C_PK: 1, C_VARCHAR: '1', _SDC_DELETED_AT: '2019-02-12 01:10:10' }]);
  });

  it('column names with reserved words, spaces, backticks, dashes and unicode', async () => {
    const schema = await freshSchema();
    schemas.push(schema);
    const config = await configFile({ default_target_schema: schema });
    const names = ['select', 'my col', 'a`b', 'minus-column', 'ünïcødé', 'from'];
    const properties = Object.fromEntries(names.map((n) => [n, { type: ['null', 'string'] }]));
    const record = Object.fromEntries(names.map((n) => [n, `value of ${n}`]));
    const run = await runTarget(
      ['--config', config],
      lines(
        { type: 'SCHEMA', stream: 'weird-names', key_properties: ['select'], schema: { properties } },
        { type: 'RECORD', stream: 'weird-names', record },
      ),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((await describeTable(schema, 'names')).map(([n]) => n), names.map((n) => n.toUpperCase()));
    const [row] = await rows(schema, 'names');
    assert.deepEqual(row, Object.fromEntries(names.map((n) => [n.toUpperCase(), `value of ${n}`])));
  });
});
