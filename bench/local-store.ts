import { copyFile, link, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ObjectStore } from '../src/storage/object-store.js';

/**
 * An object store in a local directory, for runs without S3 (--stage-only). Uploads are hard
 * links where possible (the cost left in the measurement is the engine's, not a copy's). Removed
 * objects disappear from listings but stay on disk, so the staged batches of a run can be
 * inspected afterwards and fed to the hand-written MERGE of --bare-merge.
 */
export class LocalDirStore implements ObjectStore {
  /** Every key uploaded, in order. */
  readonly uploads: string[] = [];
  private readonly objects = new Map<string, Date>();

  constructor(readonly dir: string) {}

  pathOf(key: string): string {
    return join(this.dir, key);
  }

  async upload(localPath: string, key: string): Promise<string> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    await link(localPath, target).catch(() => copyFile(localPath, target));
    this.uploads.push(key);
    this.objects.set(key, new Date());
    return `s3a://bench-local/${key}`;
  }

  async putText(key: string, text: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
    this.objects.set(key, new Date());
  }

  async getText(key: string): Promise<string | undefined> {
    return this.objects.has(key) ? readFile(this.pathOf(key), 'utf8') : undefined;
  }

  async list(prefix: string): Promise<Array<{ key: string; lastModified: Date }>> {
    return [...this.objects].filter(([key]) => key.startsWith(prefix)).map(([key, lastModified]) => ({ key, lastModified }));
  }

  async remove(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.objects.delete(key);
  }
}
