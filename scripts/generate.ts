import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './generated-files.js';

/**
 * `npm run generate` rewrites the files derived from src/config/settings.ts; with `--check` it
 * only reports the ones that are out of date and exits 1 (CI and the sync test use that).
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const checkOnly = process.argv.includes('--check');

const stale = (await generatedFiles(root)).filter((f) => f.current !== f.expected);
if (checkOnly) {
  for (const f of stale) console.error(`${f.path} is out of date with src/config/settings.ts; run npm run generate`);
  process.exitCode = stale.length > 0 ? 1 : 0;
} else {
  for (const f of stale) {
    await writeFile(join(root, f.path), f.expected);
    console.error(`wrote ${f.path}`);
  }
  if (stale.length === 0) console.error('generated files are up to date');
}
