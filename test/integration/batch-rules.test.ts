import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DeleteObjectsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { after, before, describe, it } from 'node:test';
import { configFile, dropSchema, ensureConfig, freshSchema, committedRows, rows, runTarget, type RunResult, testS3Client } from './harness.js';

type Field = { name: string; type: 'INT64' | 'DOUBLE' | 'BYTE_ARRAY'; data: unknown[] };

/**
 * The BATCH fast path (a tap's Parquet file on S3 merged by the lakehouse itself) holds to the
 * record path's rules. Each rule runs on both paths: the file from S3 (fast path) and the same
 * file from a file:// URL (records read one by one).
 */
describe('BATCH fast path and record path hold the same rules', () => {
  const prefix = `batch-rules-${randomBytes(4).toString('hex')}`;
  const keys: string[] = [];
  const schemas: string[] = [];
  let s3: S3Client;
  let bucket: string;
  let dir: string;

  before(async () => {
    const config = await ensureConfig();
    bucket = String(config.s3_bucket);
    s3 = testS3Client(config);
    dir = await mkdtemp(join(tmpdir(), 'batch-rules-'));
  });
  after(async () => {
    if (keys.length > 0) await s3?.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    s3?.destroy();
    await rm(dir, { recursive: true, force: true });
    for (const schema of schemas) await dropSchema(schema);
  });

  /** Writes the Parquet file to S3 and to a local file; returns both URLs. */
  async function parquet(name: string, fields: Field[]): Promise<{ s3: string; file: string }> {
    const buffer = Buffer.from(
      parquetWriteBuffer({
        columnData: fields.map((f) => ({ name: f.name, data: f.data })),
        schema: [
          { name: 'root', num_children: fields.length },
          ...fields.map((f) => ({ name: f.name, type: f.type, repetition_type: 'OPTIONAL' as const, ...(f.type === 'BYTE_ARRAY' ? { converted_type: 'UTF8' as const } : {}) })),
        ],
        codec: 'GZIP',
        compressors: { GZIP: (input: Uint8Array) => gzipSync(input) },
      }),
    );
    const key = `${prefix}/${name}.parquet`;
    keys.push(key);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: buffer }));
    const path = join(dir, `${name}.parquet`);
    await writeFile(path, buffer);
    return { s3: `s3://${bucket}/${key}`, file: `file://${path}` };
  }

  async function load(properties: Record<string, unknown>, url: string, overrides: Record<string, unknown> = {}, extra: unknown[] = []): Promise<RunResult & { schema: string }> {
    const schema = await freshSchema();
    schemas.push(schema);
    const input =
      [
        { type: 'SCHEMA', stream: 'items', key_properties: ['id'], schema: { properties } },
        ...extra,
        { type: 'BATCH', stream: 'items', encoding: { format: 'parquet', compression: 'gzip' }, manifest: [url] },
        ...extra,
      ]
        .map((m) => JSON.stringify(m))
        .join('\n') + '\n';
    const run = await runTarget(['--config', await configFile({ default_target_schema: schema, ...overrides })], input);
    return { ...run, schema };
  }

  const paths = ['s3', 'file'] as const;
  const direct = /directly/;

  it('refuses a null key when primary_key_required is true, on both paths', async () => {
    const urls = await parquet('null-key', [
      { name: 'id', type: 'INT64', data: [1n, null] },
      { name: 'name', type: 'BYTE_ARRAY', data: ['a', 'b'] },
    ]);
    for (const path of paths) {
      const run = await load({ id: { type: ['null', 'integer'] }, name: { type: ['null', 'string'] } }, urls[path]);
      assert.notEqual(run.code, 0, path);
      assert.match(run.stderr, /key property 'id' is null/i, path);
      assert.doesNotMatch(run.stderr, /awaitResult/, path);
      assert.deepEqual(await committedRows(run.schema, 'ITEMS', 'ID'), [], path);
      const lenient = await load({ id: { type: ['null', 'integer'] }, name: { type: ['null', 'string'] } }, urls[path], { primary_key_required: false });
      assert.equal(lenient.code, 0, lenient.stderr);
      assert.deepEqual(await rows(lenient.schema, 'ITEMS', 'ID, NAME', 'NAME'), [{ ID: 1, NAME: 'a' }, { ID: null, NAME: 'b' }], path);
    }
  });

  it('fails a value the column cannot hold instead of truncating it or writing NULL, on both paths', async () => {
    const urls = await parquet('cast', [
      { name: 'id', type: 'INT64', data: [1n, 2n] },
      { name: 'qty', type: 'DOUBLE', data: [2, 1.5] },
    ]);
    for (const path of paths) {
      const run = await load({ id: { type: 'integer' }, qty: { type: ['null', 'integer'] } }, urls[path]);
      assert.notEqual(run.code, 0, path);
      assert.match(run.stderr, path === 's3' ? /Stream 'items', column QTY: value 1\.5 \(DOUBLE\) cannot be stored as BIGINT/ : /Column 'qty'.*expected an integer, got 1\.5/, path);
      assert.deepEqual(await committedRows(run.schema, 'ITEMS', 'ID'), [], path);
    }
    const decimals = await parquet('decimal', [
      { name: 'id', type: 'INT64', data: [1n, 2n] },
      { name: 'price', type: 'DOUBLE', data: [0.1, 1.005] },
    ]);
    for (const path of paths) {
      const run = await load({ id: { type: 'integer' }, price: { type: 'number', multipleOf: 0.01 } }, decimals[path]);
      assert.notEqual(run.code, 0, path);
      assert.match(run.stderr, /1\.005/, path);
    }
  });

  it('sets the metadata columns the same way on both paths, whatever the file holds under their names', async () => {
    const urls = await parquet('metadata', [
      { name: 'id', type: 'INT64', data: [1n, 2n] },
      { name: '_sdc_table_version', type: 'INT64', data: [99n, 99n] },
      { name: '_sdc_extracted_at', type: 'INT64', data: [5n, 5n] },
    ]);
    const results: unknown[] = [];
    for (const path of paths) {
      const run = await load({ id: { type: 'integer' } }, urls[path], { add_metadata_columns: true }, [{ type: 'ACTIVATE_VERSION', stream: 'items', version: 7 }]);
      assert.equal(run.code, 0, run.stderr);
      if (path === 's3') assert.match(run.stderr, direct);
      else assert.doesNotMatch(run.stderr, direct);
      results.push(await rows(run.schema, 'ITEMS', 'ID, _SDC_TABLE_VERSION AS V, _SDC_EXTRACTED_AT AS E, _SDC_BATCHED_AT IS NOT NULL AS B, _SDC_DELETED_AT AS D', 'ID'));
    }
    assert.deepEqual(results[0], [{ ID: 1, V: null, E: null, B: true, D: null }, { ID: 2, V: null, E: null, B: true, D: null }]);
    assert.deepEqual(results[0], results[1]);
  });

  it('reads text for typed columns by the record path rules (falls back), and loads fields starting with #', async () => {
    const urls = await parquet('text', [
      { name: 'id', type: 'INT64', data: [1n] },
      { name: 'at', type: 'BYTE_ARRAY', data: ['20200101T000000Z'] },
      { name: '# of items', type: 'INT64', data: [4n] },
    ]);
    const run = await load({ id: { type: 'integer' }, at: { type: 'string', format: 'date-time' }, '# of items': { type: 'integer' } }, urls.s3);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, direct);
    assert.deepEqual(await rows(run.schema, 'ITEMS', 'CAST(AT AS STRING) AS AT, `# OF ITEMS` AS N'), [{ AT: '2020-01-01 00:00:00', N: 4 }]);
    const hash = await parquet('hash', [
      { name: 'id', type: 'INT64', data: [1n] },
      { name: '# of items', type: 'INT64', data: [4n] },
    ]);
    const fast = await load({ id: { type: 'integer' }, '# of items': { type: 'integer' } }, hash.s3);
    assert.equal(fast.code, 0, fast.stderr);
    assert.match(fast.stderr, direct);
    assert.deepEqual(await rows(fast.schema, 'ITEMS', '`# OF ITEMS` AS N'), [{ N: 4 }]);
  });
});
