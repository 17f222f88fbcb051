import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureLakehouse } from '../lakehouse/index.js';
import type { SqlExecutor } from '../src/spark/executor.js';

/**
 * Opens sessions on the local lakehouse (started when not running) with the built target's own
 * thrift client and the session setting the target uses, for the measuring scripts.
 */
export async function targetSessions(): Promise<() => SqlExecutor> {
  const dist = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'dist');
  const base = await ensureLakehouse();
  const { resolveConfig } = (await import(pathToFileURL(join(dist, 'config/config.js')).href)) as typeof import('../src/config/config.js');
  const { HiveServer2Executor } = (await import(pathToFileURL(join(dist, 'spark/hiveserver2-executor.js')).href)) as typeof import('../src/spark/hiveserver2-executor.js');
  const { config } = resolveConfig({ ...base });
  return () => new HiveServer2Executor({ ...config, password: config.token, sessionStatements: ['SET spark.sql.session.timeZone=UTC'] });
}
