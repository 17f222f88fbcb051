import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureAptPackages } from '../../scripts/apt-packages.js';
import { runCommand } from '../../scripts/run-command.js';
import { asServerUser, cleanupOnExit, freePort } from './local-server.js';

/**
 * A throwaway MariaDB server for the suites that read from a real MySQL-family database: the server
 * and client binaries of Debian's MariaDB (`mariadb-server-core`, `mariadb-client-core`: what
 * `mariadb-server` is built on, without its service, which would start a system-wide server),
 * apt-installed when missing; a data dir made by mariadb-install-db in a temp dir, `mariadbd`
 * started with --no-defaults (no my.cnf of the machine is read, no system-wide server or its data
 * is touched) listening on a free loopback port, its socket in the same temp dir. stop() shuts it
 * down and removes the dir; so does the process exiting without calling it.
 */

export interface MariaDb {
  port: number;
  /** A user with a password, allowed from 127.0.0.1, that can read every database (what a tap gets). */
  user: string;
  password: string;
  /** The server's version string (`10.11.6-MariaDB-0+deb12u1`). */
  version: string;
  /** Runs SQL as root through the socket with the `mariadb` client (batch mode, no column names) and returns its output. */
  sql(statements: string, database?: string): Promise<string>;
  stop(): Promise<void>;
}

const SERVER = '/usr/sbin/mariadbd';
const INSTALL_DB = '/usr/bin/mariadb-install-db';
const CLIENT = '/usr/bin/mariadb';
const TAP_USER = 'tap';
const TAP_PASSWORD = 'tap-secret';

async function ensureInstalled(log: (line: string) => void): Promise<void> {
  if ([SERVER, INSTALL_DB, CLIENT].every((b) => existsSync(b))) return;
  await ensureAptPackages({ purpose: 'The tap-mysql test', packages: ['mariadb-server-core', 'mariadb-client-core'] }, log);
  const missing = [SERVER, INSTALL_DB, CLIENT].filter((b) => !existsSync(b));
  if (missing.length > 0) throw new Error(`apt-get installed mariadb-server-core and mariadb-client-core, but ${missing.join(', ')} is missing`);
}

/** Stops a server left running by a process that exits without stop(): SIGKILL, the data dir is thrown away anyway. */
function killSync(pidFile: string, dir: string): void {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (pid > 0) process.kill(pid, 'SIGKILL');
  } catch {
    // not running
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Waits until the server answers on its socket, or fails with the end of its log when it exited. */
async function waitReady(socket: string, exited: () => boolean, logFile: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ping = await runCommand(CLIENT, ['--no-defaults', `--socket=${socket}`, '-uroot', '-e', 'SELECT 1']);
    if (ping.code === 0) return;
    if (exited() || Date.now() > deadline) {
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
      throw new Error(`mariadbd did not start${exited() ? '' : ' within 120 s'}: ${ping.stderr.trim()}\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Starts a fresh server. `timezone` is the server's time zone (an offset such as `+05:00`, which
 * needs no zone tables): one other than UTC makes sure no reader depends on the server's zone.
 */
export async function startMariaDb(options: { timezone?: string; log?: (line: string) => void } = {}): Promise<MariaDb> {
  const log = options.log ?? (() => undefined);
  await ensureInstalled(log);
  const dir = await mkdtemp(join(tmpdir(), 'target-iomete-mariadb-'));
  const dataDir = join(dir, 'data');
  const socket = join(dir, 'mariadb.sock');
  const pidFile = join(dir, 'mariadbd.pid');
  const logFile = join(dir, 'server.log');
  const forget = cleanupOnExit(() => killSync(pidFile, dir));
  // mariadbd refuses root unless told so; the core packages create no `mysql` user to run it as.
  const asUser = process.getuid?.() === 0 ? ['--user=root'] : [];
  try {
    // root without a password, from the socket only (the server listens on loopback alone anyway).
    await asServerUser({ prefix: [] }, INSTALL_DB, ['--no-defaults', `--datadir=${dataDir}`, ...asUser, '--auth-root-authentication-method=normal', '--skip-test-db']);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const server = spawn(
        SERVER,
        [
          '--no-defaults',
          ...asUser,
          `--datadir=${dataDir}`,
          `--socket=${socket}`,
          `--pid-file=${pidFile}`,
          `--log-error=${logFile}`,
          '--bind-address=127.0.0.1',
          `--port=${port}`,
          `--default-time-zone=${options.timezone ?? '+00:00'}`,
          // What Debian's own my.cnf sets, so text is utf8mb4 as on a real install.
          '--character-set-server=utf8mb4',
          '--collation-server=utf8mb4_general_ci',
          // A test server: durability off.
          '--innodb-flush-log-at-trx-commit=0',
          '--skip-log-bin',
        ],
        { stdio: 'ignore' },
      );
      let exited = false;
      server.on('exit', () => (exited = true));
      try {
        await waitReady(socket, () => exited, logFile);
        break;
      } catch (e) {
        if (!exited) server.kill('SIGKILL');
        // Another process took the port between freePort() and the server's bind: take another.
        if (attempt >= 3) throw e;
      }
    }
    const sql = async (statements: string, database?: string) => {
      const result = await runCommand(CLIENT, ['--no-defaults', `--socket=${socket}`, '-uroot', '--default-character-set=utf8mb4', '--batch', '--skip-column-names', '--raw', ...(database ? [database] : [])], statements);
      if (result.code !== 0) throw new Error(`mariadb failed (exit ${result.code}): ${result.stderr.trim()}`);
      return result.stdout;
    };
    await sql(`CREATE USER '${TAP_USER}'@'127.0.0.1' IDENTIFIED BY '${TAP_PASSWORD}'; GRANT SELECT ON *.* TO '${TAP_USER}'@'127.0.0.1';`);
    const version = (await sql('SELECT VERSION()')).trim();
    const stop = async () => {
      forget();
      try {
        await sql('SHUTDOWN');
        // SHUTDOWN returns before the server has exited: its pid file goes last.
        for (let i = 0; i < 120 && existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 250));
      } finally {
        killSync(pidFile, dir);
        await rm(dir, { recursive: true, force: true });
      }
    };
    log(`MariaDB ${version} on 127.0.0.1:${port}, data in ${dataDir}`);
    return { port, user: TAP_USER, password: TAP_PASSWORD, version, sql, stop };
  } catch (e) {
    forget();
    killSync(pidFile, dir);
    throw e;
  }
}
