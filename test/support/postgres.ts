import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { appendFile, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ensureAptPackages } from '../../scripts/apt-packages.js';
import { runCommand } from '../../scripts/run-command.js';

/**
 * A throwaway Postgres server for the suites that read from a real database: Debian's `postgresql`
 * package (apt-installed when missing), a cluster made by initdb in a temp dir, listening on a free
 * loopback port only, with its unix socket in the same temp dir. initdb and the server refuse to
 * run as root, so as root they run as the package's `postgres` user (runuser). The server is
 * stopped and the dir removed by stop(), and also when the process exits without calling it.
 */

const run = promisify(execFile);

export interface Postgres {
  port: number;
  /** The superuser, allowed in without a password (trust), from loopback and the socket only. */
  user: string;
  /** Runs SQL through psql (ON_ERROR_STOP) in `database` and returns its unaligned, tuples-only output. */
  psql(sql: string, database?: string): Promise<string>;
  stop(): Promise<void>;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const SERVER_BINARIES = ['initdb', 'pg_ctl', 'postgres', 'psql'];

/** Debian and Ubuntu keep each major version's binaries off PATH, under /usr/lib/postgresql/<major>/bin. */
function findBinDir(): string | undefined {
  const lib = '/usr/lib/postgresql';
  const majors = existsSync(lib)
    ? readdirSync(lib)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const major of majors) {
    const dir = join(lib, major, 'bin');
    if (SERVER_BINARIES.every((b) => existsSync(join(dir, b)))) return dir;
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const initdb = join(dir, 'initdb');
    if (!dir || !existsSync(initdb)) continue;
    const real = dirname(realpathSync(initdb));
    if (SERVER_BINARIES.every((b) => existsSync(join(real, b)))) return real;
  }
  return undefined;
}

async function ensureBinDir(log: (line: string) => void): Promise<string> {
  const found = findBinDir();
  if (found) return found;
  await ensureAptPackages({ purpose: 'The tap-postgres test', packages: ['postgresql'] }, log);
  const installed = findBinDir();
  if (!installed) throw new Error('apt-get installed postgresql, but no initdb/pg_ctl/postgres/psql was found under /usr/lib/postgresql/*/bin');
  return installed;
}

/** A port nobody listens on right now (the server may still lose a race for it: start() retries). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

interface ServerUser {
  /** Prefix that runs a command as the server's user. */
  prefix: string[];
  uid?: number;
  gid?: number;
}

/** As root: the `postgres` user the Debian package creates; anyone else runs the server as themselves. */
async function serverUser(): Promise<ServerUser> {
  if (process.getuid?.() !== 0) return { prefix: [] };
  const ids = await run('id', ['-u', 'postgres']).then(
    async (u) => ({ uid: Number(u.stdout.trim()), gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()) }),
    () => undefined,
  );
  if (!ids) throw new Error('Postgres refuses to run as root and there is no `postgres` user to run it as (the postgresql package creates one)');
  return { prefix: ['runuser', '-u', 'postgres', '--'], ...ids };
}

/** Output of a command run as the server's user; a failure is an error carrying its output. */
async function asServerUser(user: ServerUser, command: string, args: readonly string[]): Promise<string> {
  const [cmd, ...rest] = [...user.prefix, command, ...args];
  const result = await runCommand(cmd as string, rest);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.code}): ${(result.stderr || result.stdout).trim()}`);
  return result.stdout;
}

/** Stops a server left running by a process that exits without stop(): SIGQUIT is the immediate shutdown. */
function killSync(dataDir: string, dir: string): void {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGQUIT');
  } catch {
    // not running
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Starts a fresh server. `timezone` is the server's time zone: a zone other than UTC makes sure
 * no reader of the data depends on the server's zone.
 */
export async function startPostgres(options: { timezone?: string; log?: (line: string) => void } = {}): Promise<Postgres> {
  const log = options.log ?? (() => undefined);
  const bin = await ensureBinDir(log);
  const user = await serverUser();
  const dir = await mkdtemp(join(tmpdir(), 'target-iomete-pg-'));
  const dataDir = join(dir, 'data');
  const socketDir = join(dir, 'socket');
  const onExit = () => killSync(dataDir, dir);
  // A signal ends the process without 'exit': clean up, then die of the same signal.
  const onSignal = (signal: NodeJS.Signals) => {
    forget();
    killSync(dataDir, dir);
    process.kill(process.pid, signal);
  };
  const forget = () => {
    process.removeListener('exit', onExit);
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
  process.once('exit', onExit);
  for (const signal of SIGNALS) process.once(signal, onSignal);
  try {
    await mkdir(socketDir);
    if (user.uid !== undefined && user.gid !== undefined) {
      await chown(dir, user.uid, user.gid);
      await chown(socketDir, user.uid, user.gid);
    }
    await asServerUser(user, join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync']);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      // A test server: durability off, reachable from this machine only.
      await appendFile(
        join(dataDir, 'postgresql.conf'),
        [
          '',
          "listen_addresses = '127.0.0.1'",
          `port = ${port}`,
          `unix_socket_directories = '${socketDir}'`,
          `timezone = '${options.timezone ?? 'UTC'}'`,
          'fsync = off',
          'synchronous_commit = off',
          'full_page_writes = off',
          '',
        ].join('\n'),
      );
      try {
        await asServerUser(user, join(bin, 'pg_ctl'), ['start', '-D', dataDir, '-w', '-t', '60', '-s', '-l', join(dir, 'server.log')]);
        break;
      } catch (e) {
        // Another process took the port between freePort() and the server's bind: take another.
        if (attempt >= 3) throw new Error(`${(e as Error).message}\n${readFileSync(join(dir, 'server.log'), 'utf8').trim().split('\n').slice(-5).join('\n')}`);
      }
    }
    const psql = async (sql: string, database = 'postgres') => {
      const result = await runCommand(join(bin, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', database], sql);
      if (result.code !== 0) throw new Error(`psql failed (exit ${result.code}): ${result.stderr.trim()}`);
      return result.stdout;
    };
    const stop = async () => {
      forget();
      try {
        await asServerUser(user, join(bin, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w', '-s']);
      } finally {
        killSync(dataDir, dir);
        await rm(dir, { recursive: true, force: true });
      }
    };
    log(`Postgres (${bin}) on 127.0.0.1:${port}, data in ${dataDir}`);
    return { port, user: 'postgres', psql, stop };
  } catch (e) {
    forget();
    killSync(dataDir, dir);
    throw e;
  }
}
