import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { DeleteObjectsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { after, before, describe, it } from 'node:test';
import { configFile, dropSchema, ensureConfig, freshSchema, rows, runTarget, testS3Client } from './harness.js';

/** A tap's Parquet BATCH file on S3 is loaded by the lakehouse itself, without re-encoding. */
describe('Parquet BATCH files on S3', () => {
  const key = `parquet-direct-${randomBytes(4).toString('hex')}/part.parquet`;
  const schemas: string[] = [];
  let s3: S3Client;
  let bucket: string;

  before(async () => {
    const config = await ensureConfig();
    bucket = String(config.s3_bucket);
    s3 = testS3Client(config);
    // Key 2 appears twice: the later row (in file order) must win.
    const ids = [1n, 2n, 3n, 2n];
    const file = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: ids },
        { name: 'name', data: ['one', 'two', 'three', 'two again'] },
        { name: 'score', data: [1.5, 2.5, 3.5, 4.5] },
      ],
      schema: [
        { name: 'root', num_children: 3 },
        { name: 'id', type: 'INT64', repetition_type: 'REQUIRED' },
        { name: 'name', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'score', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
      ],
      codec: 'GZIP',
      compressors: { GZIP: (input: Uint8Array) => gzipSync(input) },
    });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(file) }));
  });
  after(async () => {
    await s3?.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: key }] } }));
    s3?.destroy();
    for (const schema of schemas) await dropSchema(schema);
  });

  const input = () =>
    [
      { type: 'SCHEMA', stream: 'scores', key_properties: ['id'], schema: { properties: { id: { type: 'integer' }, name: { type: ['null', 'string'] }, score: { type: ['null', 'number'] }, extra: { type: ['null', 'string'] } } } },
      { type: 'BATCH', stream: 'scores', encoding: { format: 'parquet', compression: 'gzip' }, manifest: [`s3://${bucket}/${key}`] },
      { type: 'STATE', value: { bookmarks: { scores: { done: true } } } },
    ]
      .map((m) => JSON.stringify(m))
      .join('\n') + '\n';

  it('merges the file straight from S3, last row per key winning', async () => {
    const schema = await freshSchema();
    schemas.push(schema);
    const run = await runTarget(['--config', await configFile({ default_target_schema: schema })], input());
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Loaded s3a:\/\/.*part\.parquet of stream 'scores' into .* directly \(merge/);
    assert.deepEqual(await rows(schema, 'scores', 'ID, NAME, SCORE, EXTRA', 'ID'), [
      { ID: 1, NAME: 'one', SCORE: 1.5, EXTRA: null },
      { ID: 2, NAME: 'two again', SCORE: 4.5, EXTRA: null },
      { ID: 3, NAME: 'three', SCORE: 3.5, EXTRA: null },
    ]);
    assert.deepEqual(run.states, [{ bookmarks: { scores: { done: true } } }]);
  });

  it('falls back to reading the records when the file cannot be loaded as it is (validate_records)', async () => {
    const schema = await freshSchema();
    schemas.push(schema);
    const run = await runTarget(['--config', await configFile({ default_target_schema: schema, validate_records: true })], input());
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /directly/);
    assert.match(run.stderr, /4 record\(s\) staged/);
    assert.deepEqual(await rows(schema, 'scores', 'ID, NAME', 'ID'), [
      { ID: 1, NAME: 'one' },
      { ID: 2, NAME: 'two again' },
      { ID: 3, NAME: 'three' },
    ]);
  });
});
