import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { runCommand } from '../../scripts/run-command.js';

/**
 * What the throwaway database servers of the suites (test/support/postgres.ts, mariadb.ts) share:
 * a free loopback port, the OS user a server refuses root for, and cleanup when the test process
 * ends without stopping its server.
 */

const run = promisify(execFile);
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** A port nobody listens on right now (the server may still lose a race for it: callers retry). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ServerUser {
  /** Prefix that runs a command as the server's user. */
  prefix: string[];
  uid?: number;
  gid?: number;
}

/** As root: `account`, which the server's Debian package creates; anyone else runs the server as themselves. */
export async function serverUser(account: string, server: string, pkg: string): Promise<ServerUser> {
  if (process.getuid?.() !== 0) return { prefix: [] };
  const ids = await run('id', ['-u', account]).then(
    async (u) => ({ uid: Number(u.stdout.trim()), gid: Number((await run('id', ['-g', account])).stdout.trim()) }),
    () => undefined,
  );
  if (!ids) throw new Error(`${server} refuses to run as root and there is no \`${account}\` user to run it as (the ${pkg} package creates one)`);
  return { prefix: ['runuser', '-u', account, '--'], ...ids };
}

/** Output of a command run as the server's user; a failure is an error carrying its output. */
export async function asServerUser(user: ServerUser, command: string, args: readonly string[]): Promise<string> {
  const [cmd, ...rest] = [...user.prefix, command, ...args];
  const result = await runCommand(cmd as string, rest);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.code}): ${(result.stderr || result.stdout).trim()}`);
  return result.stdout;
}

/**
 * Runs `cleanup` (synchronous: an exiting process runs no more callbacks) when the process exits or
 * is ended by a signal before the server is stopped; returns the function that forgets it.
 */
export function cleanupOnExit(cleanup: () => void): () => void {
  // A signal ends the process without 'exit': clean up, then die of the same signal.
  const onSignal = (signal: NodeJS.Signals) => {
    forget();
    cleanup();
    process.kill(process.pid, signal);
  };
  const forget = () => {
    process.removeListener('exit', cleanup);
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
  process.once('exit', cleanup);
  for (const signal of SIGNALS) process.once(signal, onSignal);
  return forget;
}
