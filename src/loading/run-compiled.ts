import type { Logger } from '../logging.js';
import type { SqlExecutor } from '../spark/executor.js';
import type { CompiledLoad } from '../sql/compile-load.js';

/**
 * Sends a compiled load (sql/compile-load.ts) in `sql`'s session: the statements before it, the
 * load statement and those that follow its success, and those that put the session back, whatever
 * happened. An optional statement's failure is logged (`log`) and the load goes on; any other's
 * fails the load. Returns the milliseconds of the load statement and those that follow it.
 */
export async function runCompiled(sql: SqlExecutor, load: CompiledLoad, log?: Pick<Logger, 'debug' | 'warn'>): Promise<number> {
  try {
    for (const { sql: statement, optional } of load.before) {
      if (optional) await sql.query(statement).catch((e: Error) => log?.debug(`Planning setting not applied: ${e.message}`));
      else await sql.query(statement);
    }
    const started = Date.now();
    await sql.query(load.statement);
    for (const statement of load.then) await sql.query(statement);
    return Date.now() - started;
  } finally {
    for (const { sql: statement, optional } of load.after) {
      if (optional) await sql.query(statement).catch((e: Error) => log?.warn(`Cleanup failed to reset a planning setting: ${e.message}`));
      // Not caught: a session left in an unknown state (e.g. still staging commits) must not serve another statement.
      else await sql.query(statement);
    }
  }
}
