import { qualifiedName, quoteIdentifier } from './quote.js';

/**
 * Statements that set up a lakehouse session, for loads and `--check` alike (the check opens its
 * session as a load does).
 */

/** Timestamps are written and read as UTC whatever the lakehouse's default zone. */
export function sessionSetup(): string[] {
  return ['SET spark.sql.session.timeZone=UTC'];
}

/** The session's current schema (`database` setting), in `catalog` when one is named. */
export function useSchema(database: string, catalog?: string): string {
  return `USE ${catalog ? qualifiedName(catalog, database) : quoteIdentifier(database)}`;
}
