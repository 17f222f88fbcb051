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

export interface NumberedLine {
  line: string;
  /** 1-based line number in the input. */
  number: number;
}

/**
 * Yields the input's lines (split at `\n`, a `\r` before it dropped) with their 1-based numbers,
 * a chunk of the input at a time: the caller handles a chunk's lines in one go, so there is no
 * promise per line. Each chunk is decoded as UTF-8 up to its last newline (a character split
 * between chunks waits for the next one); when a chunk is not valid UTF-8, its lines are decoded
 * one by one to report the bad one with its line number instead of silently turning it into
 * U+FFFD. Pulling chunks through an async iterator gives backpressure for free: the stream is not
 * read further while a flush awaits. Aborting (SIGTERM, or the caller's stop after a failure)
 * closes the input and ends the lines; the caller then decides what happens to what it has.
 */
export async function* lineChunks(input: Readable, signal?: AbortSignal, options: LineOptions = {}): AsyncGenerator<NumberedLine[]> {
  let number = 0;
  let pending: Buffer | undefined;
  const decodeLine = (bytes: Buffer, at: number): string => {
    const raw = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, bytes.length - 1) : bytes;
    try {
      return strict.decode(raw);
    } catch {
      if (options.onInvalidUtf8 !== 'replace') {
        throw new InputError(
          `The input line is not valid UTF-8; Singer messages are UTF-8 JSON. Fix the tap's encoding, or set on_invalid_utf8 to replace to load such text with U+FFFD in place of the bad bytes`,
          { line: at },
        );
      }
      options.warn?.(`Line ${at}: invalid UTF-8 bytes replaced by U+FFFD (on_invalid_utf8 is replace)`);
      return lenient.decode(raw);
    }
  };
  /** The lines of `bytes` (complete lines, each ending in \n but the last). */
  const linesOf = (bytes: Buffer, final: boolean): NumberedLine[] => {
    const out: NumberedLine[] = [];
    let text: string | undefined;
    try {
      text = strict.decode(bytes);
    } catch {
      text = undefined;
    }
    if (text !== undefined && !text.includes('\ufeff')) {
      const parts = text.split('\n');
      if (!final) parts.pop();
      for (const part of parts) out.push({ line: part.endsWith('\r') ? part.slice(0, -1) : part, number: ++number });
      return out;
    }
    // Slow path: bad bytes (or a byte order mark, which each line drops on its own) somewhere in
    // the chunk; line by line, so the error names the line.
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
      number += 1;
      out.push({ line: decodeLine(bytes.subarray(start, end), number), number });
      start = end + 1;
    }
    if (final) {
      number += 1;
      out.push({ line: decodeLine(bytes.subarray(start), number), number });
    }
    return out;
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
      const head = pending ? Buffer.concat([pending, chunk.subarray(0, last + 1)]) : chunk.subarray(0, last + 1);
      pending = last + 1 < chunk.length ? chunk.subarray(last + 1) : undefined;
      yield linesOf(head, false);
    }
  } catch (e) {
    if (!signal?.aborted) throw e;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  if (!signal?.aborted && pending && pending.length > 0) yield linesOf(pending, true);
}
