import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

/**
 * Debian packages the suites need (podman for the image test, postgresql for the tap-postgres
 * test, mariadb-server-core and mariadb-client-core for the tap-mysql test), installed with
 * apt-get when missing, so a fresh CI machine needs nothing done by hand. apt-get runs as root:
 * directly when this process is root, else through passwordless sudo (GitHub's runners); anyone
 * else gets a one-line error saying what to install.
 */

const run = promisify(execFile);

/** The command line that runs `command` as root from this process. */
export function asRoot(command: string, args: readonly string[]): [string, string[]] {
  if (process.getuid?.() === 0) return [command, [...args]];
  return ['sudo', ['-n', '--preserve-env=DEBIAN_FRONTEND', command, ...args]];
}

export function runAsRoot(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv } = {}) {
  const [cmd, argv] = asRoot(command, args);
  return run(cmd, argv, { env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 });
}

/** Throws the one-line reason when this process can neither act as root nor sudo without a password. */
export async function ensureRoot(why: string): Promise<void> {
  if (process.getuid?.() === 0) return;
  const sudo = await run('sudo', ['-n', 'true']).then(
    () => true,
    () => false,
  );
  if (!sudo) throw new Error(`${why}: run it as root or with passwordless sudo`);
}

async function isInstalled(pkg: string): Promise<boolean> {
  const status = await run('dpkg-query', ['-W', '-f=${Status}', pkg]).then(
    (r) => r.stdout,
    () => '',
  );
  return status.includes('install ok installed');
}

export interface AptRequest {
  /** Who needs them, for the error lines (e.g. "The container test"). */
  purpose: string;
  packages: readonly string[];
  /** A package that need not be installed because something else already provides it. */
  provided?: (pkg: string) => Promise<boolean>;
}

async function missingPackages(request: AptRequest): Promise<string[]> {
  const missing: string[] = [];
  for (const pkg of request.packages) {
    if (request.provided && (await request.provided(pkg))) continue;
    if (!(await isInstalled(pkg))) missing.push(pkg);
  }
  return missing;
}

/**
 * Installs the packages that are missing, if any. Test files run in parallel and may install at
 * the same time: apt waits for the other's dpkg lock instead of failing at once.
 */
export async function ensureAptPackages(request: AptRequest, log: (line: string) => void = () => undefined): Promise<void> {
  if (!existsSync('/usr/bin/dpkg-query')) throw new Error(`${request.purpose} needs a Debian-like machine with ${request.packages.join(', ')}; dpkg-query is missing`);
  const missing = await missingPackages(request);
  if (missing.length === 0) return;
  await ensureRoot(`${request.purpose} installs ${missing.join(', ')} with apt-get`);
  log(`Installing ${missing.join(', ')} with apt-get (first run only)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  await runAsRoot('apt-get', [...lock, 'update'], { env });
  await runAsRoot('apt-get', [...lock, 'install', '-y', '--no-install-recommends', ...missing], { env });
  const still = await missingPackages(request);
  if (still.length > 0) throw new Error(`apt-get install did not install ${still.join(', ')}`);
}
