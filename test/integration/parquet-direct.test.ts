import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { DeleteObjectsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { after, before, describe, it } from 'node:test';
import { configFile, dropSchema, ensureConfig, freshSchema, removeStagedObjects, rows, runTarget, stagedObjects, testS3Client } from './harness.js';
import { liveRun, stackFrames } from './live-run.js';

/** The local lakehouse's staging bucket, where the tests put a tap's files, and a client for it. */
async function stagingBucket(): Promise<{ s3: S3Client; bucket: string }> {
  const config = await ensureConfig();
  return { s3: testS3Client(config), bucket: String(config.s3_bucket) };
}

/** A tap's Parquet BATCH file on S3 is loaded by the lakehouse itself, without re-encoding. */
describe('Parquet BATCH files on S3', () => {
  const key = `parquet-direct-${randomBytes(4).toString('hex')}/part.parquet`;
  const schemas: string[] = [];
  let s3: S3Client;
  let bucket: string;

  before(async () => {
    ({ s3, bucket } = await stagingBucket());
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

/**
 * An append-only stream's Parquet files loaded directly are exactly-once appends: a run killed after
 * a file's commit and before a state line covering it, resumed from its last printed state with the
 * same input, leaves every row once (the resumed run undoes the uncovered commit, then loads the replay).
 */
describe('Parquet BATCH files of an append-only stream after a crash', () => {
  const folder = `parquet-direct-eo-${randomBytes(4).toString('hex')}`;
  const parts = [1, 2, 3];
  const keys = parts.map((n) => `${folder}/part-${n}.parquet`);
  let s3: S3Client;
  let bucket: string;
  let schema: string;
  let prefix: string;

  before(async () => {
    ({ s3, bucket } = await stagingBucket());
    schema = await freshSchema();
    // The run markers of this test's killed run are its own: no other run cleans them up meanwhile.
    prefix = `${schema}-staging/`;
    for (const n of parts) {
      const ids = [1, 2, 3, 4].map((i) => BigInt((n - 1) * 4 + i));
      const file = parquetWriteBuffer({
        columnData: [
          { name: 'id', data: ids },
          { name: 'name', data: ids.map((id) => `row ${id}`) },
        ],
        schema: [
          { name: 'root', num_children: 2 },
          { name: 'id', type: 'INT64', repetition_type: 'REQUIRED' },
          { name: 'name', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        ],
      });
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: keys[n - 1], Body: Buffer.from(file) }));
    }
  });
  after(async () => {
    await s3?.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    s3?.destroy();
    if (prefix) await removeStagedObjects(prefix);
    if (schema) await dropSchema(schema);
  });

  /** The tap's output after bookmark `from` (files done): each file's BATCH, then a STATE naming it done. */
  const input = (from: number) => [
    JSON.stringify({ type: 'SCHEMA', stream: 'events', key_properties: [], schema: { properties: { id: { type: 'integer' }, name: { type: ['null', 'string'] } } } }) + '\n',
    ...parts
      .filter((n) => n > from)
      .flatMap((n) => [
        JSON.stringify({ type: 'BATCH', stream: 'events', encoding: { format: 'parquet', compression: 'none' }, manifest: [`s3://${bucket}/${keys[n - 1]}`] }) + '\n',
        JSON.stringify({ type: 'STATE', value: { bookmarks: { events: { files: n } } } }) + '\n',
      ]),
  ];
  const LOADED_2 = /Loaded s3a:\/\/\S+\/part-2\.parquet of stream 'events' into .* directly \(insert/;

  it('undoes the commit no printed state covers and loads every row once', async () => {
    const config = await configFile({ default_target_schema: schema, s3_key_prefix: prefix, load_method: 'append-only', primary_key_required: false });
    // The tap goes quiet after part 2's STATE: part 2 is committed, and the state printed when it
    // committed is part 1's (part 2's STATE is read after that commit, and no later commit prints it).
    const killed = await liveRun(['--config', config], input(0), {
      feedLines: 5,
      stopWhen: (p) => (LOADED_2.test(p.stderr) && p.states.length > 0 ? 'kill' : undefined),
      timeoutMs: 120_000,
    });
    assert.ok(killed.killed, `the run ended before the crash point (exit ${killed.code}):\n${killed.stderr.slice(-2000)}`);
    assert.deepEqual(killed.states, [{ bookmarks: { events: { files: 1 } } }]);
    assert.equal((await rows(schema, 'events', 'count(*) AS n'))[0]?.n, 8, 'both files were committed before the kill');

    const resumed = await runTarget(['--config', config], input(1).join(''));
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(stackFrames(resumed.stderr), []);
    assert.match(resumed.stderr, /Undid 1 commit\(s\) of killed run [0-9a-f]{12} to `spark_catalog`\.`[^`]+`\.`events`/i);
    assert.deepEqual(resumed.states.at(-1), { bookmarks: { events: { files: 3 } } });
    assert.deepEqual(
      await rows(schema, 'events', 'ID, NAME, count(*) OVER (PARTITION BY ID) AS N', 'ID'),
      Array.from({ length: 12 }, (_, i) => ({ ID: i + 1, NAME: `row ${i + 1}`, N: 1 })),
    );
    assert.deepEqual((await stagedObjects(prefix)).filter((k) => k.includes('_runs/')), [], 'the killed run\'s marker is removed');
  });
});
