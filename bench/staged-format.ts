import { open } from 'node:fs/promises';

export type StagedFormat = 'parquet' | 'json-gzip' | 'json' | 'unknown';

/** Pure: a staged file's format from its first bytes (Parquet's PAR1 magic, gzip's 1f 8b, JSON's brace). */
export function formatOfBytes(head: Buffer): StagedFormat {
  if (head.length >= 4 && head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'json-gzip';
  if (head.length >= 1 && head[0] === 0x7b) return 'json';
  return 'unknown';
}

export async function stagedFormat(path: string): Promise<StagedFormat> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await file.read(head, 0, 4, 0);
    return formatOfBytes(head.subarray(0, bytesRead));
  } finally {
    await file.close();
  }
}

export function describeFormat(format: StagedFormat): string {
  return { parquet: 'Parquet', 'json-gzip': 'gzip JSON lines', json: 'JSON lines', unknown: 'unknown format' }[format];
}
