import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { chunked, singerLines, type ExpectedOutcome, type InputSpec } from './generator.js';

/** Writes the generated input to a file once, so every run of every side reads the same bytes. */
export async function writeInputFile(spec: InputSpec, path: string): Promise<{ expected: ExpectedOutcome; bytes: number }> {
  const expected: ExpectedOutcome = { rowsPerStream: new Map(), statesSent: 0, lastState: undefined };
  await pipeline(Readable.from(chunked(singerLines(spec, expected))), createWriteStream(path));
  return { expected, bytes: (await stat(path)).size };
}
