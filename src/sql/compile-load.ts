import { createTableAs, loadStatement, wideMergeSettings, type LoadPlan } from './statements.js';

/**
 * The compile step of a load: a plan in, every statement the load sends out, in order. Pure, so
 * each load's whole text is pinned by golden tests (test/unit/compile-load.test.ts) and the loader
 * (loading/batch-loader.ts) only runs what it is given.
 */

/** A statement sent in the load's session before the load statement. */
interface SessionStatement {
  sql: string;
  /**
   * A planning setting: when the lakehouse refuses it the load goes on without it (it only costs
   * planning time). Otherwise its failure fails the load.
   */
  optional: boolean;
}

export interface CompiledLoad {
  /** In order, before `statement`. */
  before: readonly SessionStatement[];
  /** The statement that writes the rows (MERGE, INSERT, INSERT OVERWRITE or CREATE TABLE ... AS SELECT). */
  statement: string;
  /** Puts the session back; sent after `statement` whether `before` and it succeeded or not. */
  after: readonly string[];
}

/**
 * Pure: the statements of one load. `createsTable`: the table does not exist yet, and the load
 * creates it with its rows (CREATE TABLE ... AS SELECT; a keyed one with the keyed properties).
 */
export function compileLoad(plan: LoadPlan, createsTable?: { keyed: boolean }): CompiledLoad {
  if (createsTable) return { before: [], statement: createTableAs(plan, createsTable.keyed), after: [] };
  const wide = wideMergeSettings(plan);
  if (!wide) return { before: [], statement: loadStatement(plan), after: [] };
  return {
    // The refresh is not optional: a MERGE naming no column must see the table's current columns.
    before: [{ sql: wide.before, optional: true }, ...(wide.refresh ? [{ sql: wide.refresh, optional: false }] : [])],
    statement: loadStatement(plan),
    after: [wide.after],
  };
}
