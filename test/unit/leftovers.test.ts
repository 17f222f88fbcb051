import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Logger } from '../../src/logging.js';
import { RunMarkers } from '../../src/staging/leftovers.js';
import type { ObjectStore } from '../../src/storage/object-store.js';

const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined, error: () => undefined } as unknown as Logger;
const DEAD_PID = 2 ** 22 + 17; // above the kernel's default pid_max: never a live process
const HOST = encodeURIComponent(hostname());

function memoryStore(objects: Map<string, Date>, texts = new Map<string, string>()): ObjectStore {
  return {
    upload: async () => 'unused',
    putText: async (key, text) => {
      objects.set(key, new Date());
      texts.set(key, text);
    },
    getText: async (key) => (objects.has(key) ? texts.get(key) : undefined),
    list: async (prefix) => [...objects].filter(([k]) => k.startsWith(prefix)).map(([key, lastModified]) => ({ key, lastModified })),
    remove: async (keys) => keys.forEach((k) => objects.delete(k)),
  };
}

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('leftovers of killed runs', () => {
  it('removes files and staged objects of dead runs only (L1-L3)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'target-iomete-leftovers-'));
    dirs.push(dir);
    const hourAgo = new Date(Date.now() - 3_600_000);
    const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000);
    const write = (name: string, text = 'x') => writeFile(join(dir, name), text);
    // A run killed on this host: its pid is gone.
    await write('aaaaaaaaaaaa.run', JSON.stringify({ pid: DEAD_PID, host: hostname() }));
    await write('aaaaaaaaaaaa-orders-1.jsonl.gz');
    // A live run (this very process).
    await write('bbbbbbbbbbbb.run', JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() }));
    await write('bbbbbbbbbbbb-orders-1.jsonl.gz');
    // A batch file without a marker, older than any live run; and a Parquet spool file like it.
    await write('cccccccccccc-users-3.jsonl');
    await utimes(join(dir, 'cccccccccccc-users-3.jsonl'), twoDaysAgo, twoDaysAgo);
    await write('batch-0f8fad5b-d9cb-469f-a165-70867728950e.parquet');
    await utimes(join(dir, 'batch-0f8fad5b-d9cb-469f-a165-70867728950e.parquet'), twoDaysAgo, twoDaysAgo);
    // Without a marker and only an hour old: maybe a run of a version without markers; kept.
    await write('9999aaaa0000-legacy-1.jsonl.gz');
    await utimes(join(dir, '9999aaaa0000-legacy-1.jsonl.gz'), hourAgo, hourAgo);
    // A run on another host whose marker stopped being refreshed.
    await write('dddddddddddd.run', JSON.stringify({ pid: process.pid, host: 'elsewhere' }));
    await utimes(join(dir, 'dddddddddddd.run'), hourAgo, hourAgo);
    await write('dddddddddddd-x-1.jsonl.gz');
    await write('notes.txt');

    const objects = new Map<string, Date>([
      [`p/_runs/eeeeeeeeeeee-${DEAD_PID}-${HOST}.json`, new Date()],
      ['p/eeeeeeeeeeee/s/t/1-a.jsonl.gz', new Date()],
      ['p/eeeeeeeeeeee/s/t/2-b.jsonl.gz', new Date()],
      [`p/_runs/ffffffffffff-${process.pid}-${HOST}.json`, new Date()],
      ['p/ffffffffffff/s/t/1-a.jsonl.gz', new Date()],
      ['p/_runs/111111111111-1-elsewhere.json', hourAgo],
      ['p/111111111111/s/t/1-a.jsonl.gz', hourAgo],
      ['p/222222222222/s/t/1-unknown-run.jsonl.gz', hourAgo],
    ]);
    const markers = new RunMarkers({ runId: '0123456789ab', tempDir: dir, store: memoryStore(objects), prefix: 'p/', log: quiet });
    await markers.start();
    assert.deepEqual((await readdir(dir)).sort(), ['0123456789ab.run', '9999aaaa0000-legacy-1.jsonl.gz', 'bbbbbbbbbbbb-orders-1.jsonl.gz', 'bbbbbbbbbbbb.run', 'notes.txt']);
    assert.deepEqual([...objects.keys()].sort(), [
      'p/222222222222/s/t/1-unknown-run.jsonl.gz',
      `p/_runs/0123456789ab-${process.pid}-${HOST}.json`,
      `p/_runs/ffffffffffff-${process.pid}-${HOST}.json`,
      'p/ffffffffffff/s/t/1-a.jsonl.gz',
    ]);
    await markers.finish();
    assert.deepEqual((await readdir(dir)).sort(), ['9999aaaa0000-legacy-1.jsonl.gz', 'bbbbbbbbbbbb-orders-1.jsonl.gz', 'bbbbbbbbbbbb.run', 'notes.txt']);
    assert.ok(![...objects.keys()].some((k) => k.includes('0123456789ab')));
  });

  it('a run marker that could not be written is not deleted at the end (nothing is retried for an object never written)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'target-iomete-leftovers-'));
    dirs.push(dir);
    const removed: string[][] = [];
    const store: ObjectStore = {
      ...memoryStore(new Map()),
      putText: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9')),
      remove: async (keys) => void removed.push([...keys]),
    };
    const markers = new RunMarkers({ runId: 'aaaabbbbcccc', tempDir: dir, store, prefix: 'p/', log: quiet });
    await assert.rejects(markers.start(), /ECONNREFUSED/);
    await markers.finish();
    assert.deepEqual(removed, []);
    assert.deepEqual(await readdir(dir), [], 'the local marker is removed');
  });
});
