import { open, type FileHandle } from 'node:fs/promises';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type Compressors, type ParquetParsers } from 'hyparquet';
import { compressors as jsCompressors } from 'hyparquet-compressors';
import { leafDecoders } from './parquet-leaves.js';
import { isoDate, isoTimestamp, jsonShaped } from './parquet-values.js';

/**
 * Reads the records of a local Parquet file (a Singer BATCH file) one row group at a time, with
 * hyparquet. Parquet cannot be read front to back (the schema and row-group offsets sit in the
 * footer), so this is the streaming unit: memory holds one decoded row group, never the file.
 * Taps write one row group per batch file unless the batch is very large (pyarrow's default
 * row group holds 1Mi rows).
 */
export async function* parquetFileRecords(path: string): AsyncGenerator<Record<string, unknown>> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const file = fileBuffer(handle, size);
    await checkMagic(file);
    const metadata = await parquetMetadataAsync(file, { parsers: PARSERS });
    const decoders = leafDecoders(metadata);
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows);
      const rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd, compressors: COMPRESSORS, parsers: PARSERS });
      for (const row of rows) yield toRecord(row, decoders);
      rowStart = rowEnd;
    }
  } finally {
    await handle.close();
  }
}

// Timestamps and dates as the ISO text a JSON tap sends (hyparquet's default is a JS Date, which
// drops microseconds).
const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (millis: bigint) => isoTimestamp(millis, 1_000n),
  timestampFromMicroseconds: (micros: bigint) => isoTimestamp(micros, 1_000_000n),
  timestampFromNanoseconds: (nanos: bigint) => isoTimestamp(nanos, 1_000_000_000n),
  dateFromDays: (days: number) => isoDate(days),
};

// Snappy (pyarrow's default codec) and the rarer codecs come from hyparquet-compressors; gzip (what
// the Meltano SDK writes for compression "gzip") and brotli use Node's native zlib, which is
// several times faster than the JavaScript inflaters.
const COMPRESSORS: Compressors = {
  ...jsCompressors,
  GZIP: (input: Uint8Array) => gunzipSync(input),
  BROTLI: (input: Uint8Array) => brotliDecompressSync(input),
};

function toRecord(row: Record<string, unknown>, decoders: ReadonlyMap<string, (value: unknown) => unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) record[name] = (decoders.get(name) ?? jsonShaped)(value);
  return record;
}

/** A clear error for files that are not Parquet, notably a gzip-wrapped one. */
async function checkMagic(file: AsyncBuffer): Promise<void> {
  if (file.byteLength < 12) throw new Error(`not a Parquet file (only ${file.byteLength} bytes)`);
  const head = new Uint8Array(await file.slice(0, 4));
  const tail = new Uint8Array(await file.slice(file.byteLength - 4));
  const isPar1 = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x41 && b[2] === 0x52 && b[3] === 0x31;
  if (isPar1(head) && isPar1(tail)) return;
  if (head[0] === 0x1f && head[1] === 0x8b) {
    throw new Error('not a Parquet file but gzip data; Parquet batch files are compressed inside (per column), never as a whole');
  }
  throw new Error(isPar1(head) ? 'truncated Parquet file (no PAR1 footer)' : 'not a Parquet file (no PAR1 magic at its start)');
}

/** hyparquet's random-access view of an open file: each slice is one positioned read. */
function fileBuffer(handle: FileHandle, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const out = new Uint8Array(Math.max(0, end - start));
      let done = 0;
      while (done < out.length) {
        const { bytesRead } = await handle.read(out, done, out.length - done, start + done);
        if (bytesRead === 0) throw new Error(`file ended at byte ${start + done} of ${size}; was it changed while being read?`);
        done += bytesRead;
      }
      return out.buffer;
    },
  };
}
