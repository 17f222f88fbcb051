import { strict as assert } from 'node:assert';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { chunkLines, lineChunks } from '../../src/singer/lines.js';

async function collect(chunks: Buffer[], options = {}): Promise<string[]> {
  const lines: string[] = [];
  for await (const chunk of lineChunks(Readable.from(chunks))) for (const { line, number } of chunkLines(chunk, options)) lines.push(`${number}:${line}`);
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
});
