import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';

/** Reads and merges config files; later files win key by key. */
export async function readConfigFiles(paths: readonly string[]): Promise<Record<string, unknown>> {
  const merged: Record<string, unknown> = {};
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      throw new ConfigError(`Cannot read config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new ConfigError(`Config file ${path} is not valid JSON: ${(e as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError(`Config file ${path} must hold a JSON object`);
    }
    Object.assign(merged, parsed);
  }
  return merged;
}
