import type { Column } from '../schema/columns.js';
import type { TableRef } from '../schema/naming.js';
import type { NewTableLayout } from '../schema/table-layout.js';
import type { SqlExecutor } from '../spark/executor.js';
import { compileLoad } from '../sql/compile-load.js';
import { afterCreate } from '../sql/layout.js';
import { tableName, type LoadPlan } from '../sql/statements.js';
import { createAppendTable, enableWap, showWapProperty } from '../sql/wap-statements.js';
import { runCompiled } from './run-compiled.js';

/**
 * Whether a stream's batches are exactly-once appends: every INSERT-loaded stream, except with
 * load_method overwrite (whose states are printed only at the end of a successful run anyway).
 */
export function appendsExactlyOnce(loadMethod: string, keyed: boolean): boolean {
  return loadMethod === 'append-only' || (loadMethod === 'upsert' && !keyed);
}

/** One table's line in the run marker: the last commit of this run a printed state covers. */
export interface AppendMarkerEntry {
  catalog: string;
  schema: string;
  table: string;
  /** The wap id of the last published commit the last printed state covers; null: none. */
  covered: string | null;
}

interface Published {
  wapId: string;
  /** The batch's streams and the input position of its first record of each. */
  positions: ReadonlyArray<readonly [string, number]>;
}

interface TableAppends {
  ref: TableRef;
  no: number;
  seq: number;
  /** The table is in the run marker (written before its first commit of this run). */
  registered?: Promise<void>;
  /** The table has write.wap.enabled (checked or set once per run). */
  wapReady: boolean;
  /** Published commits no printed state covers yet, in commit order. */
  uncovered: Published[];
  covered: string | null;
}

/**
 * The one owner of exactly-once appends (append-only streams; not overwrite). Every batch of such
 * a stream, and every tap Parquet file loaded directly into its table, is committed as
 * write-audit-publish: `SET spark.wap.id` + the INSERT (a staged, invisible snapshot tagged
 * `<run id>-<table no>-<seq>`) + `RESET spark.wap.id` + `publish_changes`, all in the load job's
 * one session, so the rows are visible when the job commits, as before, and the table's history
 * says which run and which batch each commit came from.
 *
 *  A1  A table is named in the run's S3 marker before its first commit of the run (`persist`), so a
 *      resumed run knows every table a killed run may have committed to.
 *  A2  Before each state line is printed, `cover` records in the marker, per table, the last
 *      commit that state covers (batches are wholly covered or not: StateTracker S5); the state is
 *      printed only after that write returned. The one window left, between that write and the
 *      stdout write, errs towards "covered": duplicates possible, never a loss.
 *  A3  No other statement is ever staged: the wap id is reset in the same session right after
 *      the INSERT, before the session serves anything else (a version retirement, DDL).
 *  A4  A publish refused because the id is already published (a repeated call) counts as done.
 *
 * A resumed run undoes a killed run's uncovered commits before it loads anything
 * (loading/dead-run-appends.ts).
 */
export class AppendCommits {
  private readonly tables = new Map<string, TableAppends>();
  /** Writes the run marker with `markerEntries()` (set once the run's markers exist). */
  persist: () => Promise<void> = async () => undefined;
  /** Told once per table, before the run's first commit to it. */
  firstAppend: (table: TableRef) => void = () => undefined;

  constructor(private readonly runId: string) {}

  /**
   * Loads `plan` (an INSERT) as a staged commit and publishes it; `creates` when the table does not
   * exist yet (created here, with write-audit-publish on and its layout, instead of CREATE TABLE ...
   * AS SELECT, whose commit cannot be tagged). Returns the milliseconds of the INSERT.
   */
  async load(sql: SqlExecutor, plan: LoadPlan, positions: ReadonlyArray<readonly [string, number]>, creates?: { columns?: readonly Pick<Column, 'name' | 'type'>[]; layout?: NewTableLayout }): Promise<number> {
    const entry = this.entry(plan.table);
    entry.registered ??= this.persist();
    await entry.registered.catch((e: unknown) => {
      entry.registered = undefined;
      throw e;
    });
    if (creates) {
      const columns = creates.columns ?? plan.batch.columns.map((c) => c.column);
      await sql.query(createAppendTable(plan.table, columns, creates.layout));
      // The sort order the CREATE cannot hold, before the session stages anything.
      for (const statement of creates.layout ? afterCreate(plan.table, creates.layout) : []) await sql.query(statement);
      entry.wapReady = true;
    } else if (!entry.wapReady) {
      const [property] = await sql.query(showWapProperty(plan.table));
      if (String(property?.value ?? '').toLowerCase() !== 'true') await sql.query(enableWap(plan.table));
      entry.wapReady = true;
    }
    entry.seq += 1;
    const wapId = `${this.runId}-${entry.no}-${entry.seq}`;
    // SET spark.wap.id + INSERT + RESET spark.wap.id (A3: a failed reset fails the load), then the publish.
    const compiled = compileLoad(plan, undefined, wapId);
    const ms = await runCompiled(sql, compiled);
    // Counted before the publish is sent: a publish whose answer is lost may have landed, so a run
    // failing on it keeps its marker, and the next run undoes the commit if it is there (D1) or
    // expires the staged snapshot if it is not (D2).
    entry.uncovered.push({ wapId, positions });
    try {
      await sql.query(compiled.publish!);
    } catch (e) {
      if (!/DuplicateWAPCommitException|published already/.test(String((e as Error)?.message))) throw e;
    }
    return ms;
  }

  /**
   * A2: called with the coverage of the state about to be printed (StateTracker.coveredUpTo);
   * writes the marker when that moves any table's covered commit.
   */
  async cover(coveredUpTo: (stream: string) => number): Promise<void> {
    let moved = false;
    for (const entry of this.tables.values()) {
      while (entry.uncovered.length > 0 && entry.uncovered[0]!.positions.every(([stream, position]) => position < coveredUpTo(stream))) {
        entry.covered = entry.uncovered.shift()!.wapId;
        moved = true;
      }
    }
    if (moved) await this.persist();
  }

  /** Published commits no printed state covers (a failed run keeps its marker for the next run then). */
  get uncoveredCommits(): number {
    let n = 0;
    for (const entry of this.tables.values()) n += entry.uncovered.length;
    return n;
  }

  markerEntries(): AppendMarkerEntry[] {
    return [...this.tables.values()].map(({ ref, covered }) => ({ catalog: ref.catalog, schema: ref.schema, table: ref.table, covered }));
  }

  private entry(ref: TableRef): TableAppends {
    const key = tableName(ref);
    let entry = this.tables.get(key);
    if (!entry) {
      entry = { ref, no: this.tables.size + 1, seq: 0, wapReady: false, uncovered: [], covered: null };
      this.tables.set(key, entry);
      this.firstAppend(ref);
    }
    return entry;
  }
}
