import { createReadStream } from 'node:fs';

export interface BareReadResult {
  lines: number;
  /** Until the last line was parsed (the read stream has ended by then). */
  consumeMs: number;
}

const NEWLINE = 0x0a;

/**
 * The floor of any target: the input file through a read stream, split at newlines, each line
 * decoded and given to JSON.parse, nothing else. The target reads its input the same way
 * (src/singer/lines.ts), so the difference to it is what the record path itself costs.
 */
export async function bareRead(path: string): Promise<BareReadResult> {
  const started = performance.now();
  let lines = 0;
  let pending: Buffer[] = [];
  const parse = (bytes: Buffer) => {
    if (bytes.length === 0) return;
    JSON.parse(bytes.toString('utf8'));
    lines += 1;
  };
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, end);
      if (pending.length === 0) parse(piece);
      else {
        pending.push(piece);
        parse(Buffer.concat(pending));
        pending = [];
      }
      start = end + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0) parse(Buffer.concat(pending));
  return { lines, consumeMs: performance.now() - started };
}
