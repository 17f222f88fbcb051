import { strict as assert } from 'node:assert';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { forEachLine, lineChunks, lineText, type LineOptions } from '../../src/singer/lines.js';

/** `number:text` of every line, as the target reads them (lineChunks, forEachLine, lineText). */
async function collect(chunks: Buffer[], options: LineOptions = {}): Promise<string[]> {
  const lines: string[] = [];
  for await (const chunk of lineChunks(Readable.from(chunks))) {
    await forEachLine(chunk, (start, end, number) => {
      lines.push(`${number}:${lineText(chunk, start, end, number, options)}`);
    });
  }
  return lines;
}

describe('lineChunks', () => {
  it('splits at \\n across chunks, drops \\r before it, keeps multi-byte characters split between chunks', async () => {
    const e = Buffer.from('é');
    assert.deepEqual(await collect([Buffer.from('a\r\nb'), e.subarray(0, 1), e.subarray(1), Buffer.from('\n\nlast')]), ['1:a', '2:bé', '3:', '4:last']);
  });
  it('refuses invalid UTF-8 naming the line', async () => {
    await assert.rejects(collect([Buffer.from('ok\n'), Buffer.from([0x61, 0xc3, 0x28, 0x0a])]), /not valid UTF-8.*on_invalid_utf8.*\(line 2\)/);
  });
  it('replaces invalid UTF-8 with a warning when asked', async () => {
    const warnings: string[] = [];
    assert.deepEqual(await collect([Buffer.from([0x61, 0xff, 0x62])], { onInvalidUtf8: 'replace', warn: (w: string) => warnings.push(w) }), ['1:a\uFFFDb']);
    assert.match(warnings[0] ?? '', /Line 1: invalid UTF-8 bytes replaced/);
  });
  it('gives the lines of the whole input, numbered, however the reads split it', async () => {
    const text = fc.array(fc.oneof(fc.constantFrom('\n', '\r\n', 'é', '🚀', '{"a":1}', ''), fc.string({ unit: 'grapheme', maxLength: 6 })), { maxLength: 30 }).map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 8 }), async (input, cuts) => {
        const bytes = Buffer.from(input);
        const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort((a, b) => a - b);
        const reads = [0, ...points, bytes.length].flatMap((at, i, all) => (i === 0 ? [] : [bytes.subarray(all[i - 1]!, at)])).filter((b) => b.length > 0);
        const parts = input.split('\n');
        if (parts.at(-1) === '') parts.pop();
        assert.deepEqual(await collect(reads), parts.map((line, i) => `${i + 1}:${line.endsWith('\r') ? line.slice(0, -1) : line}`));
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 500) },
    );
  });
});
