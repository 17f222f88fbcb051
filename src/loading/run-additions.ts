import { firstLine } from '../errors.js';
import type { Logger } from '../logging.js';
import type { SqlExecutor } from '../spark/executor.js';
import { runAdditions, type RunAdditions, type RunCommits } from '../sql/run-additions.js';
import { tableName } from '../sql/statements.js';

/**
 * The most tables one statement reads. The lakehouse's work grows with the tables read (it loads
 * each table and scans its log), whatever their grouping, but each statement costs round trips
 * (several per statement over thrift, many milliseconds each to a remote lakehouse): 200 tables
 * read one per statement cost what 8 statements of 25 did on the local lakehouse (40 s), four
 * at a time about half of that (docs/benchmarks.md); on a busy server, 40 tables in one
 * statement cost a quarter of 40 statements.
 */
const TABLES_PER_STATEMENT = 50;

/**
 * Reads what the run's loads added to `tables` (sql/run-additions.ts), a chunk of tables per
 * statement, at most `parallel` statements at once (the tables spread over them evenly). It runs
 * after every load finished, so no statement reads a table while its load runs and the run's own
 * work is not slowed. Each table's additions go to `report` by its logged name. A failure is one
 * WARN and the tables not read keep no counts: the data is committed, the run succeeds.
 */
export async function readRunAdditions(
  sql: SqlExecutor,
  tables: readonly RunCommits[],
  log: Logger,
  report: (table: string, additions: RunAdditions) => void,
  parallel = 1,
  most = TABLES_PER_STATEMENT,
): Promise<void> {
  const started = performance.now();
  const perStatement = Math.max(1, Math.min(most, Math.ceil(tables.length / parallel)));
  const chunks: RunCommits[][] = [];
  for (let from = 0; from < tables.length; from += perStatement) chunks.push(tables.slice(from, from + perStatement));
  let next = 0;
  let failure: unknown;
  let unread = 0;
  const worker = async (): Promise<void> => {
    for (let chunk = chunks[next++]; chunk; chunk = chunks[next++]) {
      if (failure !== undefined) {
        unread += chunk.length;
        continue;
      }
      try {
        const rows = await sql.query(runAdditions(chunk));
        for (const row of rows) {
          const table = chunk[Number(row.i)];
          if (table) report(tableName(table.ref), { snapshots: Number(row.run_snapshots ?? 0), dataFiles: Number(row.run_data_files ?? 0), deleteFiles: Number(row.run_delete_files ?? 0) });
        }
      } catch (e) {
        failure ??= e;
        unread += chunk.length;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, chunks.length)) }, worker));
  if (tables.length > 0) log.debug(`Read what the run added to ${tables.length} table(s) in ${chunks.length} statement(s), ${((performance.now() - started) / 1000).toFixed(2)} s`);
  if (failure !== undefined) {
    log.warn(`Could not read from their snapshot logs the data files the run added to ${unread} table(s); the summary leaves them out (the loaded data is committed): ${firstLine(failure)}`);
  }
}
