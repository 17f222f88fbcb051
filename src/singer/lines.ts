import type { Readable } from 'node:stream';
import { InputError } from '../errors.js';

export interface LineOptions {
  /** `fail` (default): a line that is not valid UTF-8 stops the run; `replace`: bad bytes become U+FFFD, with a warning. */
  onInvalidUtf8?: 'fail' | 'replace';
  warn?: (message: string) => void;
}

const NEWLINE = 0x0a;
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

/**
 * Yields the input's lines (split at `\n`, a `\r` before it dropped) with their 1-based numbers.
 * Each line is decoded as UTF-8 on its own, so a bad byte is reported with its line instead of
 * silently turning into U+FFFD. Pulling lines through an async iterator gives backpressure for
 * free: the stream is not read further while a flush awaits. Aborting (SIGTERM) ends the lines;
 * the caller then loads what it has.
 */
export async function* numberedLines(input: Readable, signal?: AbortSignal, options: LineOptions = {}): AsyncGenerator<{ line: string; number: number }> {
  let number = 0;
  let pending: Buffer[] = [];
  const decode = (bytes: Buffer): string => {
    const raw = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, bytes.length - 1) : bytes;
    try {
      return strict.decode(raw);
    } catch {
      if (options.onInvalidUtf8 !== 'replace') {
        throw new InputError(
          `The input line is not valid UTF-8; Singer messages are UTF-8 JSON. Fix the tap's encoding, or set on_invalid_utf8 to replace to load such text with U+FFFD in place of the bad bytes`,
          { line: number },
        );
      }
      options.warn?.(`Line ${number}: invalid UTF-8 bytes replaced by U+FFFD (on_invalid_utf8 is replace)`);
      return lenient.decode(raw);
    }
  };
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  // On abort the pending read is abandoned and the input closed (nothing more is read from it);
  // an open stdin would otherwise keep the process alive.
  const aborted = new Promise<IteratorResult<Buffer | string>>((resolve) => {
    const stop = () => {
      resolve({ done: true, value: undefined });
      // Closed once the loop has taken the end above: the abandoned read then fails unseen.
      setImmediate(() => input.destroy());
    };
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
  });
  try {
    for (;;) {
      if (signal?.aborted) break;
      const read = iterator.next();
      // A read abandoned on abort fails when the input is closed; that failure is expected.
      if (signal) read.catch(() => undefined);
      const next = signal ? await Promise.race([aborted, read]) : await read;
      if (next.done) break;
      let chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE)) {
        pending.push(chunk.subarray(0, end));
        const bytes = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
        pending = [];
        number += 1;
        yield { line: decode(bytes), number };
        chunk = chunk.subarray(end + 1);
      }
      if (chunk.length > 0) pending.push(chunk);
    }
    if (!signal?.aborted && pending.length > 0) {
      number += 1;
      yield { line: decode(Buffer.concat(pending)), number };
    }
  } finally {
    if (!signal?.aborted) void iterator.return?.().catch(() => undefined);
  }
}
