import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parquetMetadataAsync, parquetReadObjects, asyncBufferFromFile } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { normaliseDate, normaliseTimestamp } from '../../src/schema/datetime.js';
import { BatchFile, StagingError } from '../../src/staging/batch-file.js';
import { daysFromCivil } from '../../src/schema/calendar.js';
import { dateDays, parquetSchema, timestampMicros, unscaledDecimal } from '../../src/staging/parquet-layout.js';

describe('Parquet staging layout', () => {
  it('types every column as the table does', () => {
    const schema = parquetSchema([{ kind: 'integer' }, { kind: 'number' }, { kind: 'boolean' }, { kind: 'string' }, { kind: 'json' }, { kind: 'timestamp' }, { kind: 'date' }, { kind: 'decimal', scale: 4 }]);
    assert.deepEqual(schema, [
      { name: 'root', num_children: 8 },
      { name: 'c0', repetition_type: 'OPTIONAL', type: 'INT64' },
      { name: 'c1', repetition_type: 'OPTIONAL', type: 'DOUBLE' },
      { name: 'c2', repetition_type: 'OPTIONAL', type: 'BOOLEAN' },
      { name: 'c3', repetition_type: 'OPTIONAL', type: 'BYTE_ARRAY', converted_type: 'UTF8' },
      { name: 'c4', repetition_type: 'OPTIONAL', type: 'BYTE_ARRAY', converted_type: 'UTF8' },
      { name: 'c5', repetition_type: 'OPTIONAL', type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } },
      { name: 'c6', repetition_type: 'OPTIONAL', type: 'INT32', converted_type: 'DATE' },
      { name: 'c7', repetition_type: 'OPTIONAL', type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, converted_type: 'DECIMAL', precision: 38, scale: 4 },
    ]);
  });

  it('counts days like the proleptic Gregorian calendar of Date, for any year', () =>
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (date) => {
        const days = daysFromCivil(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
        assert.equal(days, Math.floor(date.getTime() / 86_400_000));
      }),
      { numRuns: 2000 },
    ));

  it('timestamps become exact microseconds, dates days, at the calendar ends too', () => {
    assert.equal(timestampMicros('1970-01-01 00:00:00.000001Z'), 1n);
    assert.equal(timestampMicros('1969-12-31 23:59:59.999999Z'), -1n);
    assert.equal(timestampMicros('9999-12-31 23:59:59.999999Z'), 253402300799999999n);
    assert.equal(timestampMicros('0001-01-01 00:00:00.000000Z'), -62135596800000000n);
    assert.equal(timestampMicros('10000-01-01 00:00:00.000000Z'), 253402300800000000n);
    assert.equal(dateDays('0001-01-01'), -719162);
    assert.equal(dateDays('2024-02-29'), 19782);
    assert.throws(() => timestampMicros('2024-01-01T00:00:00Z'), /staging form/);
  });

  it('every normalised timestamp maps to the instant it names', () =>
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }), (date, extra) => {
        const text = date.toISOString().replace('Z', `${String(extra).padStart(3, '0')}Z`);
        const staged = normaliseTimestamp(text);
        assert.ok(staged.ok);
        assert.equal(timestampMicros(staged.value), BigInt(date.getTime()) * 1000n + BigInt(extra));
        const day = normaliseDate(text.slice(0, 10));
        assert.ok(day.ok);
        assert.equal(dateDays(day.value), Math.floor(date.getTime() / 86_400_000));
      }),
      { numRuns: 2000 },
    ));

  it('decimals become their unscaled integer at the column scale', () => {
    assert.equal(unscaledDecimal('-12.5', 2), -1250n);
    assert.equal(unscaledDecimal('0.001', 3), 1n);
    assert.equal(unscaledDecimal('12345678901234567890123456789012345678', 0), 12345678901234567890123456789012345678n);
    assert.equal(unscaledDecimal('0', 38), 0n);
    assert.throws(() => unscaledDecimal('1.234', 2), /scale 2/);
  });

  it('a batch file reads back with its values, NULL distinct from empty text, in record order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'batch-file-'));
    try {
      const file = BatchFile.create(dir, 'b', [{ kind: 'integer' }, { kind: 'string' }, { kind: 'timestamp' }, { kind: 'decimal', scale: 2 }, { kind: 'boolean' }], true);
      const rows = 30_001; // more than two row groups
      for (let i = 0; i < rows; i += 1) {
        file.append([i === 7 ? '9223372036854775807' : i, i % 3 === 0 ? null : i % 3 === 1 ? '' : `tëxt ${i} 🚀`, i % 2 === 0 ? '2024-05-01 12:30:00.123456Z' : null, i % 5 === 0 ? '-1.25' : null, i % 2 === 1]);
      }
      assert.equal(file.rowCount, rows);
      await file.finish();
      const buffer = await asyncBufferFromFile(file.path);
      const metadata = await parquetMetadataAsync(buffer);
      assert.ok(metadata.row_groups.length >= 3);
      assert.equal(metadata.key_value_metadata?.find((kv) => kv.key === 'org.apache.spark.version')?.value, '3.5.0');
      const read = await parquetReadObjects({ file: buffer, rowStart: 0, rowEnd: 10, compressors });
      assert.deepEqual(read[0], { c0: 0n, c1: null, c2: new Date('2024-05-01T12:30:00.123Z'), c3: -1.25, c4: false });
      assert.deepEqual(read[1], { c0: 1n, c1: '', c2: null, c3: null, c4: true });
      assert.equal(read[2]?.c1, 'tëxt 2 🚀');
      assert.equal(read[7]?.c0, 9223372036854775807n);
      const last = await parquetReadObjects({ file: buffer, rowStart: rows - 1, rowEnd: rows, compressors });
      assert.equal(last[0]?.c0, BigInt(rows - 1));
      await file.discard();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the encoder thread', () => {
  it('keeps the process alive while a finish waits for it, and not after (E3)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'batch-file-'));
    try {
      // Nothing but the pending finish keeps this process alive: were the thread unreferenced
      // then, the process would end before "finished" (exit code 13); were it referenced after,
      // the process would never end.
      const script = `
        import { BatchFile } from ${JSON.stringify(new URL('../../src/staging/batch-file.ts', import.meta.url).href)};
        const file = BatchFile.create(${JSON.stringify(dir)}, 'b', [{ kind: 'integer' }, { kind: 'string' }], true);
        for (let i = 0; i < 30000; i += 1) file.append([i, 'row ' + i]);
        file.finish().then(() => console.log('finished'));
      `;
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(child.signal, null, 'the process ended by itself');
      assert.equal(child.status, 0, child.stderr);
      assert.equal(child.stdout.trim(), 'finished');
      const read = await parquetReadObjects({ file: await asyncBufferFromFile(join(dir, 'b.parquet')), rowStart: 29_999, rowEnd: 30_000, compressors });
      assert.deepEqual(read, [{ c0: 29_999n, c1: 'row 29999' }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a file it cannot write (disk full) as a StagingError naming temp_dir, at the append that completes a row group or at finish, and removes it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'batch-file-'));
    try {
      // Writes to /dev/full fail with ENOSPC, as on a full disk.
      await symlink('/dev/full', join(dir, 'full.parquet'));
      const file = BatchFile.create(dir, 'full', [{ kind: 'integer' }, { kind: 'string' }], true);
      let failure: unknown;
      try {
        for (let i = 0; i < 200_000 && failure === undefined; i += 1) file.append([i, `row ${i}`]);
        // Appends may all be taken before the thread reports; finish reports it then.
        await file.finish();
      } catch (e) {
        failure = e;
      }
      assert.ok(failure instanceof StagingError, String(failure));
      assert.match((failure as Error).message, /Cannot write batch file .*full\.parquet: ENOSPC; check 'temp_dir'/);
      await file.discard();
      // A file that failed reports once, and others on the same thread are unaffected.
      const ok = BatchFile.create(dir, 'ok', [{ kind: 'integer' }], false);
      for (let i = 0; i < 25_000; i += 1) ok.append([i]);
      await ok.finish();
      const read = await parquetReadObjects({ file: await asyncBufferFromFile(ok.path), rowStart: 24_999, rowEnd: 25_000 });
      assert.deepEqual(read, [{ c0: 24_999n }]);
      await ok.discard();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('fast paths of the record path', () => {
  it('the fast timestamp path gives what the full rules give, and declines what it does not know', async () => {
    const { fastUtcTimestamp } = await import('../../src/schema/datetime.js');
    const digit = fc.integer({ min: 0, max: 9 }).map(String);
    const field = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
    const nearly = fc
      .tuple(field(4), field(2), field(2), fc.constantFrom('T', 't', ' '), field(2), field(2), field(2), fc.option(fc.array(digit, { minLength: 0, maxLength: 10 }).map((d) => `.${d.join('')}`), { nil: '' }), fc.constantFrom('Z', 'z', '+00:00', ''))
      .map(([y, mo, d, t, h, mi, s, f, z]) => `${y}-${mo}-${d}${t}${h}:${mi}:${s}${f}${z}`);
    fc.assert(
      fc.property(fc.oneof(nearly, fc.date({ noInvalidDate: true, min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z') }).map((d) => d.toISOString())), (text) => {
        const fast = fastUtcTimestamp(text);
        if (fast === undefined) return;
        assert.deepEqual({ ok: true, value: fast }, normaliseTimestampSlow(text));
      }),
      { numRuns: 5000 },
    );
    assert.equal(fastUtcTimestamp('2024-05-01T12:30:00Z'), '2024-05-01 12:30:00.000000Z');
    assert.equal(fastUtcTimestamp('2024-05-01T12:30:00.1234560Z'), '2024-05-01 12:30:00.123456Z');
    // Digits beyond the microsecond are cut by the full rules, which also report it.
    for (const declined of ['2024-05-01T12:30:00.1234567Z', '2024-02-30T00:00:00Z', '2024-05-01T24:00:00Z', '2024-05-01T12:30:60Z', '2024-05-01T12:30:00.Z', '0000-01-01T00:00:00Z', '2024-05-01T12:30:00+01:00', ' 2024-05-01T12:30:00Z']) {
      assert.equal(fastUtcTimestamp(declined), undefined, declined);
    }
  });
});

/** normaliseTimestamp with its fast path stepped around (a leading space is trimmed by the full rules only). */
function normaliseTimestampSlow(text: string) {
  return normaliseTimestamp(` ${text}`);
}
