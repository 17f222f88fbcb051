import type { NewTableLayout } from '../schema/table-layout.js';
import { afterCreate } from './layout.js';
import { createTableAs, loadStatement, wideMergeSettings, type LoadPlan } from './statements.js';
import { publishChanges, resetWapId, setWapId } from './wap-statements.js';

/**
 * The compile step of a load: a plan in, every statement the load sends out, in order. Pure, so
 * each load's whole text is pinned by golden tests (test/unit/compile-load.test.ts) and the loader
 * (loading/batch-loader.ts) only runs what it is given.
 */

/** A statement sent in the load's session before or after the load statement. */
interface SessionStatement {
  sql: string;
  /**
   * Before: a planning setting, when the lakehouse refuses it the load goes on without it (it only
   * costs planning time). After: putting a planning setting back, whose failure is only warned about.
   * Otherwise its failure fails the load.
   */
  optional: boolean;
}

export interface CompiledLoad {
  /** In order, before `statement`. */
  before: readonly SessionStatement[];
  /** The statement that writes the rows (MERGE, INSERT, INSERT OVERWRITE or CREATE TABLE ... AS SELECT). */
  statement: string;
  /** In order, once `statement` succeeded (what a new table's CREATE cannot hold); a failure fails the load. */
  then: readonly string[];
  /** Puts the session back; sent after `statement` whether `before` and it succeeded or not. */
  after: readonly SessionStatement[];
  /**
   * An exactly-once append's publish (loading/append-commits.ts): sent last, only when everything
   * before it succeeded; makes the staged commit the table's current one.
   */
  publish?: string;
}

/**
 * Pure: the statements of one load. `createsTable`: the table does not exist yet, and the load
 * creates it with its rows (CREATE TABLE ... AS SELECT) and its layout (partition spec and
 * properties in the CREATE; without a layout, a keyed table gets the keyed properties), then the
 * sort order Spark's CREATE cannot hold.
 * `wapId`: an exactly-once append (an INSERT into an existing table with write-audit-publish on),
 * committed as a staged snapshot tagged `wapId`, then published: the session's wap id is set
 * before, and reset right after the INSERT whatever happened (no other statement is ever staged).
 */
export function compileLoad(plan: LoadPlan, createsTable?: { keyed: boolean; layout?: NewTableLayout }, wapId?: string): CompiledLoad {
  if (createsTable) {
    const { keyed, layout } = createsTable;
    return { before: [], statement: createTableAs(plan, keyed, layout), then: layout ? afterCreate(plan.table, layout) : [], after: [] };
  }
  if (wapId !== undefined) {
    return {
      before: [{ sql: setWapId(wapId), optional: false }],
      statement: loadStatement(plan),
      then: [],
      after: [{ sql: resetWapId(), optional: false }],
      publish: publishChanges(plan.table, wapId),
    };
  }
  const wide = wideMergeSettings(plan);
  if (!wide) return { before: [], statement: loadStatement(plan), then: [], after: [] };
  return {
    // The refresh is not optional: a MERGE naming no column must see the table's current columns.
    before: [{ sql: wide.before, optional: true }, ...(wide.refresh ? [{ sql: wide.refresh, optional: false }] : [])],
    statement: loadStatement(plan),
    then: [],
    after: [{ sql: wide.after, optional: true }],
  };
}
