import { existsSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { appendFile, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureAptPackages } from '../../scripts/apt-packages.js';
import { runCommand } from '../../scripts/run-command.js';
import { asServerUser, cleanupOnExit, freePort, serverUser } from './local-server.js';

/**
 * A throwaway Postgres server for the suites that read from a real database: Debian's `postgresql`
 * package (apt-installed when missing), a cluster made by initdb in a temp dir, listening on a free
 * loopback port only, with its unix socket in the same temp dir. initdb and the server refuse to
 * run as root, so as root they run as the package's `postgres` user (runuser). The server is
 * stopped and the dir removed by stop(), and also when the process exits without calling it.
 */

export interface Postgres {
  port: number;
  /** The superuser, allowed in without a password (trust), from loopback and the socket only. */
  user: string;
  /** Runs SQL through psql (ON_ERROR_STOP) in `database` and returns its unaligned, tuples-only output. */
  psql(sql: string, database?: string): Promise<string>;
  stop(): Promise<void>;
}

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
  const user = await serverUser('postgres', 'Postgres', 'postgresql');
  const dir = await mkdtemp(join(tmpdir(), 'target-iomete-pg-'));
  const dataDir = join(dir, 'data');
  const socketDir = join(dir, 'socket');
  const forget = cleanupOnExit(() => killSync(dataDir, dir));
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
