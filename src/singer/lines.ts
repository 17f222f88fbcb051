import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/**
 * Yields the input's lines with their 1-based numbers. Pulling lines through an async iterator
 * gives backpressure for free: the stream is not read further while a flush awaits.
 */
export async function* numberedLines(input: Readable, signal?: AbortSignal): AsyncGenerator<{ line: string; number: number }> {
  // Aborting (SIGTERM) closes the reader, which ends the loop; the caller then loads what it has.
  const reader = createInterface({ input, crlfDelay: Infinity, ...(signal ? { signal } : {}) });
  let number = 0;
  for await (const line of reader) {
    number += 1;
    yield { line, number };
  }
}
