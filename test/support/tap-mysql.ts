import { tapWithConfig, type Tap } from './tap-postgres.js';

/**
 * The config of pipelinewise-tap-mysql for a server on loopback; discovery, stream selection and
 * the pipe into the target are the same as for any Singer tap (test/support/tap-postgres.ts).
 */
export function mysqlTapFor(executable: string, connection: { port: number; user: string; password: string; databases: string[] }, settings: Record<string, unknown> = {}): Promise<Tap> {
  return tapWithConfig(executable, {
    host: '127.0.0.1',
    port: connection.port,
    user: connection.user,
    password: connection.password,
    // A comma-separated list: only these databases are discovered.
    filter_dbs: connection.databases.join(','),
    ...settings,
  });
}
