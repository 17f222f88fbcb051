import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DeleteObjectsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { ensureLakehouse } from '../../lakehouse/index.js';
import { parseBatchMessage, readBatchRecords, s3ObjectOpener } from '../../src/batching/batch-messages.js';
import { InputError } from '../../src/errors.js';
import { configFile, dropSchema, freshSchema, query, runTarget, type RunResult, testS3Client } from './harness.js';

const ORDERS_SCHEMA = {
  type: 'SCHEMA',
  stream: 'orders',
  key_properties: ['id'],
  schema: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      name: { type: ['null', 'string'] },
      updated_at: { type: ['null', 'string'], format: 'date-time' },
    },
  },
};

function ordersParquet(ids: bigint[]): Buffer {
  return Buffer.from(
    parquetWriteBuffer({
      columnData: [
        { name: 'id', data: ids },
        { name: 'name', data: ids.map((id) => `parquet ${id}`) },
        { name: 'updated_at', data: ids.map(() => 1_700_000_000_000_001n) },
      ],
      schema: [
        { name: 'root', num_children: 3 },
        { name: 'id', type: 'INT64', repetition_type: 'REQUIRED' },
        { name: 'name', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'updated_at', type: 'INT64', converted_type: 'TIMESTAMP_MICROS', repetition_type: 'OPTIONAL' },
      ],
      codec: 'GZIP',
      compressors: { GZIP: (input: Uint8Array) => gzipSync(input) },
    }),
  );
}

/** Batch files on local disk and in the lakehouse's S3 server, removed after the suite. */
describe('BATCH files from file:// and the local S3 server', () => {
  let dir: string;
  let s3: S3Client;
  let bucket: string;
  const prefix = `batch-it-${randomBytes(4).toString('hex')}/`;
  const keys: string[] = [];

  before(async () => {
    const lakehouse = await ensureLakehouse();
    bucket = lakehouse.s3_bucket;
    s3 = testS3Client(lakehouse);
    dir = await mkdtemp(join(tmpdir(), 'batch-it-'));
    const put = async (name: string, body: Buffer | string) => {
      keys.push(`${prefix}${name}`);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${name}`, Body: body }));
    };
    await writeFile(join(dir, 'part1.jsonl.gz'), gzipSync('{"id":1,"name":"Zürich","updated_at":"2024-01-01T00:00:00Z"}\n{"id":2,"name":"東京"}\n'));
    await put('part2.jsonl.gz', gzipSync('{"id":3,"name":"s3 gzip"}\n{"id":1,"name":"Zürich updated"}\n'));
    await put('part3.jsonl', '{"id":9007199254740993,"name":"big key"}\n');
    await put('part4.parquet', ordersParquet([4n, 5n]));
  });
  after(async () => {
    if (keys.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    s3?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads gzip and plain JSON lines from S3 with the default opener', async () => {
    const lakehouse = await ensureLakehouse();
    const opener = s3ObjectOpener(lakehouse);
    try {
      const message = parseBatchMessage(
        {
          type: 'BATCH',
          stream: 'orders',
          encoding: { format: 'jsonl', compression: 'gzip' },
          manifest: [pathToFileURL(join(dir, 'part1.jsonl.gz')).href, `s3://${bucket}/${prefix}part2.jsonl.gz`],
        },
        2,
      );
      const ids: unknown[] = [];
      for await (const record of readBatchRecords(message, opener.open)) ids.push(record.id);
      assert.deepEqual(ids, [1, 2, 3, 1]);

      const plain = parseBatchMessage({ type: 'BATCH', stream: 'orders', encoding: { format: 'jsonl' }, manifest: [`s3://${bucket}/${prefix}part3.jsonl`] }, 3);
      const [big] = await collect(readBatchRecords(plain, opener.open));
      assert.deepEqual(big, { id: 9007199254740993n, name: 'big key' });
    } finally {
      opener.close();
    }
  });

  it('reads Parquet from S3 (spooled to disk first)', async () => {
    const lakehouse = await ensureLakehouse();
    const opener = s3ObjectOpener(lakehouse);
    try {
      const message = parseBatchMessage({ type: 'BATCH', stream: 'orders', encoding: { format: 'parquet', compression: 'gzip' }, manifest: [`s3://${bucket}/${prefix}part4.parquet`] }, 4);
      assert.deepEqual(await collect(readBatchRecords(message, opener.open, { tempDir: dir })), [
        { id: 4, name: 'parquet 4', updated_at: '2023-11-14T22:13:20.000001Z' },
        { id: 5, name: 'parquet 5', updated_at: '2023-11-14T22:13:20.000001Z' },
      ]);
    } finally {
      opener.close();
    }
  });

  it('names a missing S3 object', async () => {
    const lakehouse = await ensureLakehouse();
    const opener = s3ObjectOpener(lakehouse);
    try {
      const message = parseBatchMessage({ type: 'BATCH', stream: 'orders', encoding: { format: 'jsonl' }, manifest: [`s3://${bucket}/${prefix}missing.jsonl`] }, 8);
      await assert.rejects(collect(readBatchRecords(message, opener.open, { line: 8 })), (e: Error) => {
        assert.ok(e instanceof InputError, `${e.name}: ${e.message}`);
        assert.match(e.message, /missing\.jsonl does not exist \(NoSuchKey\).*\(line 8, stream 'orders'\)/);
        return true;
      });
    } finally {
      opener.close();
    }
  });

  // End to end: the built CLI loads BATCH records as it loads RECORD messages. Each case runs the
  // CLI into a schema of its own.
  const loads = (name: string, batches: () => object[], expected: Array<{ id: string; NAME: string }>) =>
    describe(`loaded by the CLI: ${name}`, () => {
      let schema: string;
      let result: RunResult;
      before(async () => {
        schema = await freshSchema('batch');
        const config = await configFile({ default_target_schema: schema });
        const lines = [ORDERS_SCHEMA, ...batches(), { type: 'STATE', value: { bookmarks: { orders: { done: true } } } }];
        result = await runTarget(['--config', config], `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
      });
      after(async () => {
        if (schema) await dropSchema(schema);
      });

      it('exits 0 and emits the state after the batches', () => {
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(result.states.at(-1), { bookmarks: { orders: { done: true } } });
      });

      it('merges the records of every manifest file, in order', async () => {
        const rows = await query(`SELECT CAST(ID AS STRING) id, NAME FROM spark_catalog.${schema}.orders ORDER BY ID`);
        assert.deepEqual(rows, expected);
      });
    });

  loads(
    'JSON lines from file:// and s3://, gzip and plain',
    () => [
      {
        type: 'BATCH',
        stream: 'orders',
        encoding: { format: 'jsonl', compression: 'gzip' },
        manifest: [pathToFileURL(join(dir, 'part1.jsonl.gz')).href, `s3://${bucket}/${prefix}part2.jsonl.gz`],
      },
      { type: 'BATCH', stream: 'orders', encoding: { format: 'jsonl', compression: 'none' }, manifest: [`s3://${bucket}/${prefix}part3.jsonl`] },
    ],
    [
      { id: '1', NAME: 'Zürich updated' },
      { id: '2', NAME: '東京' },
      { id: '3', NAME: 's3 gzip' },
      { id: '9007199254740993', NAME: 'big key' },
    ],
  );

  loads(
    'Parquet from s3://',
    () => [{ type: 'BATCH', stream: 'orders', encoding: { format: 'parquet', compression: 'gzip' }, manifest: [`s3://${bucket}/${prefix}part4.parquet`] }],
    [
      { id: '4', NAME: 'parquet 4' },
      { id: '5', NAME: 'parquet 5' },
    ],
  );
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
