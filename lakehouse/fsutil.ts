import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Writes through a temp file so a crash never leaves half a JSON file behind. */
export function writeJson(file: string, value: unknown): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(temp, file);
}

export function removeAll(target: string): void {
  fs.rmSync(target, { recursive: true, force: true });
}

export function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export function listJars(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.endsWith('.jar')).sort();
}

export function totalSize(dir: string, names: string[]): number {
  return names.reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);
}

/** Hard links avoid storing the ~300 MB of Maven jars twice; copies cover cross-device caches. */
export function linkOrCopy(source: string, target: string): void {
  try {
    fs.linkSync(source, target);
  } catch {
    fs.copyFileSync(source, target);
  }
}

export function tailLines(file: string, count: number): string {
  try {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-count).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}
