import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import {
  parseBatchMessage,
  readBatchRecords,
  readBatchRows,
  type BatchMessage,
  type OpenS3Object,
} from '../../src/batching/batch-messages.js';
import { ConfigError, InputError, TransientError } from '../../src/errors.js';
import { decimalText } from '../../src/singer/decimal-text.js';
import { decimalValue, isoDate, isoTime, isoTimestamp, jsonShaped } from '../../src/staging/parquet-values.js';
import { ExactNumber } from '../../src/singer/json.js';

const noS3: OpenS3Object = () => Promise.reject(new Error('no S3 in this test'));

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function batch(manifest: string[], encoding: Record<string, unknown> = { format: 'jsonl', compression: 'none' }, line = 5): BatchMessage {
  return parseBatchMessage({ type: 'BATCH', stream: 'orders', encoding, manifest }, line);
}

describe('parseBatchMessage', () => {
  it('parses the Meltano SDK shape with file:// and s3:// files', () => {
    const m = parseBatchMessage(
      {
        type: 'BATCH',
        stream: 'orders',
        encoding: { format: 'jsonl', compression: 'gzip' },
        manifest: ['file:///tmp/batches/part%201.jsonl.gz', 's3://my-bucket/tap/orders/part2.jsonl.gz'],
      },
      3,
    );
    assert.deepEqual(m, {
      type: 'BATCH',
      stream: 'orders',
      encoding: { format: 'jsonl', compression: 'gzip' },
      manifest: [
        { scheme: 'file', url: 'file:///tmp/batches/part%201.jsonl.gz', path: '/tmp/batches/part 1.jsonl.gz' },
        { scheme: 's3', url: 's3://my-bucket/tap/orders/part2.jsonl.gz', bucket: 'my-bucket', key: 'tap/orders/part2.jsonl.gz' },
      ],
    });
  });

  it('takes a missing or null compression as none, and formats in any case', () => {
    assert.deepEqual(batch([], { format: 'JSONL' }).encoding, { format: 'jsonl', compression: 'none' });
    assert.deepEqual(batch([], { format: 'jsonl', compression: null }).encoding, { format: 'jsonl', compression: 'none' });
    assert.deepEqual(batch([], { format: 'parquet', compression: 'SNAPPY' }).encoding, { format: 'parquet', compression: 'snappy' });
    assert.deepEqual(batch([], { format: 'parquet', compression: 'uncompressed' }).encoding, { format: 'parquet', compression: 'none' });
  });

  it('keeps S3 keys verbatim', () => {
    const [file] = batch(['s3://b/a%20b/c?d#e.jsonl']).manifest;
    assert.deepEqual(file, { scheme: 's3', url: 's3://b/a%20b/c?d#e.jsonl', bucket: 'b', key: 'a%20b/c?d#e.jsonl' });
  });

  const refuses = (name: string, message: unknown, pattern: RegExp) =>
    it(name, () => {
      assert.throws(
        () => parseBatchMessage(message, 9),
        (e: Error) => {
          assert.ok(e instanceof InputError, `${e.name}: ${e.message}`);
          assert.match(e.message, pattern);
          return true;
        },
      );
    });
  const msg = (over: Record<string, unknown>) => ({ type: 'BATCH', stream: 'orders', encoding: { format: 'jsonl' }, manifest: ['file:///x.jsonl'], ...over });

  refuses('refuses an unknown format, naming line and stream', msg({ encoding: { format: 'avro' } }), /format "avro" is not supported.*'jsonl' and 'parquet'.*\(line 9, stream 'orders'\)/);
  refuses('refuses an unknown jsonl compression', msg({ encoding: { format: 'jsonl', compression: 'zstd' } }), /compression "zstd" is not supported for jsonl; use one of gzip, none \(line 9/);
  refuses('refuses an unknown parquet codec', msg({ encoding: { format: 'parquet', compression: 'lzo' } }), /not a Parquet codec/);
  refuses('refuses a missing encoding', msg({ encoding: undefined }), /no 'encoding' object/);
  refuses('refuses a missing stream', msg({ stream: '' }), /BATCH message has no 'stream' \(line 9\)/);
  refuses('refuses a manifest that is not a list', msg({ manifest: 'file:///x.jsonl' }), /no 'manifest' list/);
  refuses('refuses a manifest entry that is not a string', msg({ manifest: ['file:///a', 42] }), /manifest entry 2 must be a file URL string, got 42/);
  refuses('refuses a relative file URL', msg({ manifest: ['file://batches/x.jsonl'] }), /entry 1 'file:\/\/batches\/x.jsonl' is not an absolute file URL.*file:\/\/\/absolute\/path/);
  refuses('refuses a bare path with the URL to write instead', msg({ manifest: ['/tmp/x.jsonl'] }), /bare path; write it as a URL: file:\/\/\/tmp\/x.jsonl/);
  refuses('refuses other schemes', msg({ manifest: ['gs://b/k.jsonl'] }), /unsupported scheme; the target reads file:\/\/ and s3:\/\//);
  refuses('refuses an S3 URL without a key', msg({ manifest: ['s3://bucket'] }), /expected s3:\/\/bucket\/key/);
  refuses('refuses a non-object message', ['BATCH'], /must be a JSON object/);
});

describe('readBatchRecords: JSON lines', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'batch-messages-test-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const file = async (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return pathToFileURL(path).href;
  };

  it('reads plain files in manifest order, skipping blank lines and CRLF endings', async () => {
    const a = await file('a.jsonl', '{"id":1,"name":"Zürich"}\r\n\n{"id":2,"name":"東京"}\n');
    const b = await file('b.jsonl', '{"id":3,"nested":{"x":[1,2]}}');
    const records = await collect(readBatchRecords(batch([a, b]), noS3));
    assert.deepEqual(records, [{ id: 1, name: 'Zürich' }, { id: 2, name: '東京' }, { id: 3, nested: { x: [1, 2] } }]);
  });

  it('gunzips gzip files, including multi-member ones', async () => {
    const gz = Buffer.concat([gzipSync('{"id":1}\n'), gzipSync('{"id":2}\n')]);
    const url = await file('c.jsonl.gz', gz);
    const records = await collect(readBatchRecords(batch([url], { format: 'jsonl', compression: 'gzip' }), noS3));
    assert.deepEqual(records, [{ id: 1 }, { id: 2 }]);
  });

  it('keeps integers beyond 2^53 exact', async () => {
    const url = await file('big.jsonl', '{"id":9007199254740993,"small":5,"neg":-12345678901234567890}\n');
    const [record] = await collect(readBatchRecords(batch([url]), noS3));
    assert.deepEqual(record, { id: 9007199254740993n, small: 5, neg: -12345678901234567890n });
  });

  it('reads s3:// files through the injected opener, decoding UTF-8 split across chunks', async () => {
    const text = Buffer.from('{"id":1,"name":"naïve 🚀"}\n{"id":2,"name":"Привет"}\n');
    // One byte per chunk: every multi-byte character is split across chunks.
    const chunks = [...text].map((byte) => Buffer.from([byte]));
    const opened: string[] = [];
    const open: OpenS3Object = async (bucket, key) => {
      opened.push(`${bucket}/${key}`);
      return Readable.from(chunks);
    };
    const rows = await collect(readBatchRows(batch(['s3://bkt/dir/part-1.jsonl']), open));
    assert.deepEqual(opened, ['bkt/dir/part-1.jsonl']);
    assert.deepEqual(rows, [
      { record: { id: 1, name: 'naïve 🚀' }, url: 's3://bkt/dir/part-1.jsonl', row: 1 },
      { record: { id: 2, name: 'Привет' }, url: 's3://bkt/dir/part-1.jsonl', row: 2 },
    ]);
  });

  it('gunzips s3:// files too', async () => {
    const open: OpenS3Object = async () => Readable.from([gzipSync('{"id":7}\n')]);
    const records = await collect(readBatchRecords(batch(['s3://b/k.jsonl.gz'], { format: 'jsonl', compression: 'gzip' }), open));
    assert.deepEqual(records, [{ id: 7 }]);
  });

  const rejects = async (promise: Promise<unknown>, type: new (...args: never[]) => Error, pattern: RegExp) => {
    await assert.rejects(promise, (e: Error) => {
      assert.ok(e instanceof type, `${e.name}: ${e.message}`);
      assert.match(e.message, pattern);
      return true;
    });
  };

  it('names the file, the line in it, the BATCH line and the stream for invalid JSON', async () => {
    const url = await file('bad.jsonl', '{"id":1}\n{"id": 2,,}\n');
    await rejects(
      collect(readBatchRecords(batch([url]), noS3, { line: 12 })),
      InputError,
      new RegExp(`Invalid JSON at line 2 of batch file ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, column 10: property name expected \\(line 12, stream 'orders'\\)$`),
    );
  });

  it('refuses lines that are not objects', async () => {
    const url = await file('array.jsonl', '[1,2]\n');
    await rejects(collect(readBatchRecords(batch([url]), noS3)), InputError, /Line 1 of batch file .* is not a JSON object/);
  });

  it('says so when a file declared gzip is not gzip', async () => {
    const url = await file('plain.jsonl.gz', '{"id":1}\n');
    await rejects(collect(readBatchRecords(batch([url], { format: 'jsonl', compression: 'gzip' }), noS3)), InputError, /is not valid gzip data, but the BATCH message says compression 'gzip'/);
  });

  it('hints at the compression when a gzip file is declared plain', async () => {
    const url = await file('zipped.jsonl', gzipSync('{"id":1}\n'));
    await rejects(collect(readBatchRecords(batch([url]), noS3)), InputError, /looks gzip-compressed but the BATCH message says compression 'none'/);
  });

  it('reports a truncated gzip file', async () => {
    const whole = gzipSync('{"id":1}\n'.repeat(1000));
    const url = await file('cut.jsonl.gz', whole.subarray(0, whole.length - 20));
    await rejects(collect(readBatchRecords(batch([url], { format: 'jsonl', compression: 'gzip' }), noS3)), InputError, /is truncated/);
  });

  it('reports a missing file', async () => {
    const url = pathToFileURL(join(dir, 'nope.jsonl')).href;
    await rejects(collect(readBatchRecords(batch([url]), noS3)), InputError, /nope\.jsonl does not exist \(ENOENT\); the tap must keep batch files/);
  });

  it('maps S3 failures: missing object, refused credentials, network', async () => {
    const failing = (error: object): OpenS3Object => () => Promise.reject(Object.assign(new Error('boom'), error));
    const m = batch(['s3://b/k.jsonl']);
    await rejects(collect(readBatchRecords(m, failing({ name: 'NoSuchKey' }))), InputError, /s3:\/\/b\/k.jsonl does not exist \(NoSuchKey\)/);
    await rejects(collect(readBatchRecords(m, failing({ name: 'AccessDenied' }))), ConfigError, /S3 refused to read batch file s3:\/\/b\/k.jsonl \(AccessDenied\)/);
    await rejects(collect(readBatchRecords(m, failing({ code: 'ECONNRESET' }))), TransientError, /failed while opening it \(ECONNRESET\)/);
  });

  it('reports a stream that fails midway with the line it reached', async () => {
    const open: OpenS3Object = async () =>
      Readable.from(
        (async function* () {
          yield Buffer.from('{"id":1}\n{"id":2}\n{"id"');
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        })(),
      );
    const seen: unknown[] = [];
    await rejects(
      (async () => {
        for await (const r of readBatchRecords(batch(['s3://b/k.jsonl']), open)) seen.push(r);
      })(),
      TransientError,
      /Reading batch file s3:\/\/b\/k.jsonl failed at line 3 \(ECONNRESET\)/,
    );
    assert.deepEqual(seen, [{ id: 1 }, { id: 2 }]);
  });

  it('stops reading (and closes the file) when the consumer stops early', async () => {
    let destroyed = false;
    const source = Readable.from(['{"id":1}\n', '{"id":2}\n', '{"id":3}\n']);
    source.once('close', () => (destroyed = true));
    for await (const record of readBatchRecords(batch(['s3://b/k.jsonl']), async () => source)) {
      assert.deepEqual(record, { id: 1 });
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(destroyed, true);
  });
});

describe('readBatchRecords: Parquet', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'batch-parquet-test-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // id, name, amount, active, updated_at (timestamp µs), day (date), price (decimal(18,1))
  const parquetFile = (options: { codec?: 'SNAPPY' | 'GZIP' | 'UNCOMPRESSED'; rowGroupSize?: number } = {}) =>
    Buffer.from(
      parquetWriteBuffer({
        columnData: [
          { name: 'id', data: [1n, 9007199254740993n, 3n] },
          { name: 'name', data: ['Zürich', null, '東京 🚀'] },
          { name: 'amount', data: [1.5, null, -2.25] },
          { name: 'active', data: [true, false, null] },
          { name: 'updated_at', data: [1_700_000_000_123_456n, -1n, null] },
          { name: 'day', data: [19_000, 0, null] },
          { name: 'price', data: [3n, 12345n, null] },
        ],
        schema: [
          { name: 'root', num_children: 7 },
          { name: 'id', type: 'INT64', repetition_type: 'REQUIRED' },
          { name: 'name', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
          { name: 'amount', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
          { name: 'active', type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
          { name: 'updated_at', type: 'INT64', converted_type: 'TIMESTAMP_MICROS', repetition_type: 'OPTIONAL' },
          { name: 'day', type: 'INT32', converted_type: 'DATE', repetition_type: 'OPTIONAL' },
          { name: 'price', type: 'INT64', converted_type: 'DECIMAL', scale: 1, precision: 18, repetition_type: 'OPTIONAL' },
        ],
        codec: options.codec ?? 'SNAPPY',
        compressors: { GZIP: (input: Uint8Array) => gzipSync(input) },
        ...(options.rowGroupSize ? { rowGroupSize: options.rowGroupSize } : {}),
      }),
    );

  const expected = [
    { id: 1, name: 'Zürich', amount: 1.5, active: true, updated_at: '2023-11-14T22:13:20.123456Z', day: '2022-01-08', price: 0.3 },
    { id: 9007199254740993n, name: null, amount: null, active: false, updated_at: '1969-12-31T23:59:59.999999Z', day: '1970-01-01', price: 1234.5 },
    { id: 3, name: '東京 🚀', amount: -2.25, active: null, updated_at: null, day: null, price: null },
  ];

  for (const codec of ['SNAPPY', 'GZIP', 'UNCOMPRESSED'] as const) {
    it(`reads a ${codec} file into JSON-shaped records`, async () => {
      const path = join(dir, `${codec}.parquet`);
      await writeFile(path, parquetFile({ codec }));
      const m = batch([pathToFileURL(path).href], { format: 'parquet', compression: codec === 'GZIP' ? 'gzip' : 'none' });
      assert.deepEqual(await collect(readBatchRecords(m, noS3)), expected);
    });
  }

  it('reads decimals of every width exactly (INT32, INT64, FIXED_LEN_BYTE_ARRAY) and times of day as text', async () => {
    const path = join(dir, 'decimals.parquet');
    await writeFile(
      path,
      new Uint8Array(parquetWriteBuffer({
        columnData: [
          { name: 'small', data: [125n, -3n, null] },
          { name: 'n18', data: [999999999999999999n, -1n, 0n] },
          { name: 'n38', data: [12345678901234567890123456780123456789n, -(10n ** 37n), null] },
          { name: 'at', data: [86_399_999_999n, 0n, null] },
        ],
        schema: [
          { name: 'root', num_children: 4 },
          { name: 'small', type: 'INT32', converted_type: 'DECIMAL', scale: 2, precision: 9, repetition_type: 'OPTIONAL' },
          { name: 'n18', type: 'INT64', converted_type: 'DECIMAL', scale: 4, precision: 18, repetition_type: 'REQUIRED' },
          { name: 'n38', type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, converted_type: 'DECIMAL', scale: 10, precision: 38, repetition_type: 'OPTIONAL' },
          { name: 'at', type: 'INT64', converted_type: 'TIME_MICROS', repetition_type: 'OPTIONAL' },
        ],
      })),
    );
    const records = await collect(readBatchRecords(batch([pathToFileURL(path).href], { format: 'parquet' }), noS3));
    assert.deepEqual(records, [
      { small: 1.25, n18: new ExactNumber('99999999999999.9999'), n38: new ExactNumber('1234567890123456789012345678.0123456789'), at: '23:59:59.999999' },
      { small: -0.03, n18: -0.0001, n38: -1e27, at: '00:00:00' },
      { small: null, n18: 0, n38: null, at: null },
    ]);
  });

  it('reads a file pyarrow wrote (test/fixtures/parquet/pyarrow-leaves.py): decimals exact and times as text, nested too', async () => {
    const path = fileURLToPath(new URL('../fixtures/parquet/pyarrow-leaves.parquet', import.meta.url));
    const records = await collect(readBatchRecords(batch([pathToFileURL(path).href], { format: 'parquet' }), noS3));
    assert.deepEqual(records, [
      {
        n18: new ExactNumber('99999999999999.9999'),
        wide: new ExactNumber('12345678901234567890.12345678901234567890'),
        list: [new ExactNumber('123456789012345678.9'), null, -0.1],
        struct: { x: new ExactNumber('-1234567890123456789.5'), at: '23:59:59.999999' },
        map: { k: new ExactNumber('12345678901234567890.25') },
        at: '12:34:56.500000',
      },
      { n18: -0.0001, wide: null, list: null, struct: null, map: null, at: null },
    ]);
  });

  it('reads every row group in order', async () => {
    const path = join(dir, 'groups.parquet');
    await writeFile(path, parquetFile({ rowGroupSize: 1 }));
    const rows = await collect(readBatchRows(batch([pathToFileURL(path).href], { format: 'parquet' }), noS3));
    assert.deepEqual(
      rows.map((r) => [r.row, r.record.id]),
      [
        [1, 1],
        [2, 9007199254740993n],
        [3, 3],
      ],
    );
  });

  it('spools s3:// Parquet files to the temp dir and removes them after', async () => {
    const spool = join(dir, 'spool');
    const open: OpenS3Object = async () => Readable.from([parquetFile()]);
    const records = await collect(readBatchRecords(batch(['s3://b/p.parquet'], { format: 'parquet' }), open, { tempDir: spool }));
    assert.deepEqual(records, expected);
    assert.deepEqual(await readdir(spool), []);
  });

  it('explains a gzip-wrapped or non-Parquet file', async () => {
    const wrapped = join(dir, 'wrapped.parquet.gz');
    await writeFile(wrapped, gzipSync(parquetFile()));
    await assert.rejects(
      collect(readBatchRecords(batch([pathToFileURL(wrapped).href], { format: 'parquet', compression: 'gzip' }), noS3, { line: 4 })),
      /Cannot read batch file file:.*wrapped\.parquet\.gz while opening it: not a Parquet file but gzip data; Parquet batch files are compressed inside.*\(line 4, stream 'orders'\)/,
    );
    const text = join(dir, 'text.parquet');
    await writeFile(text, '{"id":1}\n{"id":2}\n');
    await assert.rejects(collect(readBatchRecords(batch([pathToFileURL(text).href], { format: 'parquet' }), noS3)), /no PAR1 magic/);
  });
});

describe('Parquet values in JSON shape', () => {
  it('writes timestamps with microseconds, before and after 1970', () => {
    assert.equal(isoTimestamp(1_700_000_000_123_456n, 1_000_000n), '2023-11-14T22:13:20.123456Z');
    assert.equal(isoTimestamp(-1n, 1_000_000n), '1969-12-31T23:59:59.999999Z');
    assert.equal(isoTimestamp(1_500n, 1_000n), '1970-01-01T00:00:01.500000Z');
    assert.equal(isoTimestamp(1_000_000_001_999n, 1_000_000_000n), '1970-01-01T00:16:40.000001999Z', 'nanoseconds kept for the record path to cut and report');
  });
  it('leaves timestamps beyond Date unparseable rather than wrong', () => {
    assert.match(isoTimestamp(10n ** 30n, 1_000_000n), /^out-of-range timestamp/);
  });
  it('writes times of day as HH:MM:SS with the fraction when there is one', () => {
    assert.equal(isoTime(0n, 1_000_000n), '00:00:00');
    assert.equal(isoTime(86_399_999_999n, 1_000_000n), '23:59:59.999999');
    assert.equal(isoTime(45_296_500n, 1_000n), '12:34:56.500000');
    assert.equal(isoTime(1n, 1_000_000_000n), '00:00:00.000000001');
  });
  it('writes dates as YYYY-MM-DD', () => {
    assert.equal(isoDate(0), '1970-01-01');
    assert.equal(isoDate(-1), '1969-12-31');
    assert.equal(isoDate(19_000), '2022-01-08');
  });
  it('makes exact decimals of unscaled integers, as parseJson makes them of the same digits', () => {
    assert.equal(decimalText(-123400n, 4), '-12.3400');
    assert.equal(decimalText(5n, 3), '0.005');
    assert.equal(decimalText(0n, 2), '0.00');
    assert.equal(decimalText(7n, -2), '700');
    assert.equal(decimalValue(3, 1), 0.3, 'no floating-point error (3 * 0.1 is 0.30000000000000004)');
    assert.equal(decimalValue(-5n, 0), -5);
    assert.deepEqual(decimalValue(999999999999999999n, 4), new ExactNumber('99999999999999.9999'));
    assert.deepEqual(decimalValue(12345678901234567890n, 0), 12345678901234567890n);
    // Big-endian two's complement, as FIXED_LEN_BYTE_ARRAY holds it.
    assert.equal(decimalValue(new Uint8Array([0xff, 0xfe]), 1), -0.2);
    assert.equal(decimalValue(new Uint8Array([0x00, 0x80]), 2), 1.28);
    assert.deepEqual(decimalValue(new Uint8Array([0x80, 0, 0, 0, 0, 0, 0, 0, 0]), 2), new ExactNumber('-23611832414348226068.48'));
  });
  it('turns bigints, bytes and nested values into what JSON would give', () => {
    assert.deepEqual(jsonShaped({ a: 5n, b: 2n ** 60n, c: [1n, { d: new Uint8Array([104, 105]) }], e: undefined, f: new Date(0) }), {
      a: 5,
      b: 2n ** 60n,
      c: [1, { d: 'aGk=' }],
      e: null,
      f: '1970-01-01T00:00:00.000Z',
    });
    assert.deepEqual(jsonShaped(new BigInt64Array([1n, 2n])), [1, 2]);
  });
});
