import type { Logger } from '../logging.js';
import type { SqlExecutor } from '../spark/executor.js';
import { markUnusable } from '../spark/executor-pool.js';
import type { CompiledLoad } from '../sql/compile-load.js';

/**
 * Sends a compiled load (sql/compile-load.ts) in `sql`'s session: the statements before it, the
 * load statement and those that follow its success, and those that put the session back, whatever
 * happened. An optional statement's failure is logged (`log`) and the load goes on; any other's
 * fails the load. Returns the milliseconds of the load statement and those that follow it.
 *
 * A statement that puts the session back and fails (e.g. `RESET spark.wap.id`) leaves the session
 * in an unknown state (still staging commits, say): the session is marked unusable, so its pool
 * closes it instead of handing it to another load. The error thrown is the load's own when it
 * failed (the reset's is logged), the reset's otherwise.
 */
export async function runCompiled(sql: SqlExecutor, load: CompiledLoad, log?: Pick<Logger, 'debug' | 'warn'>): Promise<number> {
  let failed = false;
  try {
    for (const { sql: statement, optional } of load.before) {
      if (optional) await sql.query(statement).catch((e: Error) => log?.debug(`Planning setting not applied: ${e.message}`));
      else await sql.query(statement);
    }
    const started = Date.now();
    await sql.query(load.statement);
    for (const statement of load.then) await sql.query(statement);
    return Date.now() - started;
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    for (const { sql: statement, optional } of load.after) {
      if (optional) await sql.query(statement).catch((e: Error) => log?.warn(`Cleanup failed to reset a planning setting: ${e.message}`));
      else {
        try {
          await sql.query(statement);
        } catch (e) {
          markUnusable(sql);
          if (!failed) throw e;
          log?.warn(`Could not put the session back after the failed load (the session is closed): ${(e as Error).message}`);
        }
      }
    }
  }
}
