import { isUtf8 } from 'node:buffer';
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
 * Complete lines of the input: `bytes` ends with a newline, except for the input's last line when
 * it has none (`final`). The lines are read from it where needed (lineText), so a line the record
 * path stages straight from its bytes is never decoded into a string.
 */
export interface InputChunk {
  bytes: Buffer;
  /** 1-based number of the chunk's first line. */
  first: number;
  final: boolean;
  /** Valid UTF-8 without a byte order mark: every line is its UTF-8 text as is. */
  clean: boolean;
  /** Its number of lines, once forEachLine has gone through all of them (the next chunk's numbers follow). */
  lines?: number;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Yields the input a chunk of complete lines at a time (split at `\n`): the caller handles a
 * chunk's lines in one go, so there is no promise per line. A character split between reads
 * waits for the next one with the rest of its line. Each chunk is checked for valid UTF-8 once
 * (natively); lines of a chunk that is not (or holds a byte order mark, which each line drops on
 * its own) are decoded one by one by lineText, to report the bad one with its line number
 * instead of silently turning it into U+FFFD. Pulling chunks through an async iterator gives
 * backpressure for free: the stream is not read further while a flush awaits. Aborting (SIGTERM,
 * or the caller's stop after a failure) closes the input and ends the chunks; the caller then
 * decides what happens to what it has.
 */
export async function* lineChunks(input: Readable, signal?: AbortSignal): AsyncGenerator<InputChunk> {
  let first = 1;
  let pending: Buffer | undefined;
  let previous: InputChunk | undefined;
  const chunkOf = (bytes: Buffer, final: boolean): InputChunk => {
    // The caller has handled the previous chunk by now (it asks for the next one after that), so
    // its lines are counted already, on the way through them.
    if (previous) first += previous.lines ?? countLines(previous.bytes, previous.final);
    previous = { bytes, first, final, clean: isUtf8(bytes) && bytes.indexOf(BOM) === -1 };
    return previous;
  };
  // On abort the input is closed: nothing more is read from it, and an open stdin would
  // otherwise keep the process alive. The read it abandons ends or fails; either way the lines end.
  const stop = () => input.destroy();
  if (signal?.aborted) return;
  signal?.addEventListener('abort', stop, { once: true });
  try {
    for await (const next of input) {
      if (signal?.aborted) break;
      const chunk = typeof next === 'string' ? Buffer.from(next) : (next as Buffer);
      const last = chunk.lastIndexOf(NEWLINE);
      if (last === -1) {
        pending = pending ? Buffer.concat([pending, chunk]) : chunk;
        continue;
      }
      let from = 0;
      if (pending) {
        // Only the line split between reads is copied together; the rest of the read stays a view.
        from = chunk.indexOf(NEWLINE) + 1;
        const joined = Buffer.concat([pending, chunk.subarray(0, from)]);
        pending = undefined;
        yield chunkOf(joined, false);
        if (signal?.aborted) break;
      }
      const rest = last + 1 < chunk.length ? chunk.subarray(last + 1) : undefined;
      if (from < last + 1) yield chunkOf(chunk.subarray(from, last + 1), false);
      pending = rest;
    }
  } catch (e) {
    if (!signal?.aborted) throw e;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  if (!signal?.aborted && pending && pending.length > 0) yield chunkOf(pending, true);
}

/** Lines in a chunk: one per newline, and the unterminated rest of the input's end. */
function countLines(bytes: Buffer, final: boolean): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) count += 1;
  return final && bytes[bytes.length - 1] !== NEWLINE ? count + 1 : count;
}

/**
 * Calls `each(start, end, number)` for every line of the chunk (`end` excludes the newline),
 * stopping at the first call that returns a promise: the rest is then handled once it settles.
 */
export function forEachLine(chunk: InputChunk, each: (start: number, end: number, number: number) => Promise<void> | void): Promise<void> | void {
  const { bytes } = chunk;
  const from = (start: number, number: number): Promise<void> | void => {
    while (start < bytes.length) {
      const newline = bytes.indexOf(NEWLINE, start);
      const end = newline === -1 ? bytes.length : newline;
      const pending = each(start, end, number);
      start = end + 1;
      number += 1;
      if (pending) {
        const nextStart = start;
        const nextNumber = number;
        return pending.then(() => from(nextStart, nextNumber));
      }
    }
    chunk.lines = number - chunk.first;
  };
  return from(0, chunk.first);
}

/**
 * The text of one line (a `\r` before its newline dropped). A line of a chunk that is not clean
 * is decoded on its own: invalid UTF-8 stops the run naming the line (or, with
 * on_invalid_utf8 = replace, becomes U+FFFD with a warning), and a byte order mark is dropped.
 */
export function lineText(chunk: InputChunk, start: number, end: number, number: number, options: LineOptions = {}): string {
  const { bytes } = chunk;
  const stop = end > start && bytes[end - 1] === 0x0d ? end - 1 : end;
  if (chunk.clean) return bytes.toString('utf8', start, stop);
  const raw = bytes.subarray(start, stop);
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
}
