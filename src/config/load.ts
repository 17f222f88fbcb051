import { accessSync, constants, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ConfigError, UsageError } from '../errors.js';
import { jsonSyntaxError } from '../json-syntax.js';

/** Reads and merges config files; later files win key by key. */
export async function readConfigFiles(paths: readonly string[]): Promise<Record<string, unknown>> {
  const merged: Record<string, unknown> = {};
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      throw new UsageError(`Cannot read config file ${path}: ${fileErrorReason(e)}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Only the position: the parser's own message quotes the text, which may hold secrets.
      throw new ConfigError(`Config file ${path} is not valid JSON at ${jsonSyntaxError(text)}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError(`Config file ${path} must hold a JSON object`);
    }
    Object.assign(merged, parsed);
  }
  return merged;
}

/**
 * Why a file named on the command line (`--config`, `--input`) cannot be read, in plain words,
 * checked before anything starts; undefined when it can be read.
 */
export function unreadableFile(path: string): string | undefined {
  try {
    if (statSync(path).isDirectory()) return 'it is a directory';
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (e) {
    return fileErrorReason(e);
  }
}

/** Pure: a file system error in plain words (Node's codes are jargon to most readers). */
export function fileErrorReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return code ?? (e as Error).message;
  }
}
