import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Why the built target in `root`/dist cannot be measured, or undefined when it can: missing, or
 * older than a source file (the numbers would belong to other code than the checkout's).
 */
export function builtTargetProblem(root: string): string | undefined {
  const built = join(root, 'dist/target.js');
  if (!existsSync(built) || !existsSync(join(root, 'dist/command.js'))) return 'no built target in dist/; run `npm run build` first';
  const builtAt = statSync(built).mtimeMs;
  const newer = newestFile(join(root, 'src'));
  if (newer && newer.mtimeMs > builtAt) return `dist/ is older than ${newer.path}; run \`npm run build\` first`;
  return undefined;
}

function newestFile(dir: string): { path: string; mtimeMs: number } | undefined {
  let newest: { path: string; mtimeMs: number } | undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const candidate = entry.isDirectory() ? newestFile(path) : { path, mtimeMs: statSync(path).mtimeMs };
    if (candidate && (!newest || candidate.mtimeMs > newest.mtimeMs)) newest = candidate;
  }
  return newest;
}
