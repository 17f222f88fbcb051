import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { runAdditions, runAdditionsOf } from '../../src/sql/run-additions.js';

const orders = { catalog: 'spark_catalog', schema: 'singer', table: 'orders' };
const odd = { catalog: 'my cat', schema: 'it`s', table: "o'k" };
const columns =
  "count(*) AS run_snapshots, coalesce(sum(CAST(summary['added-data-files'] AS BIGINT)), 0) AS run_data_files, " +
  "coalesce(sum(CAST(summary['added-delete-files'] AS BIGINT)), 0) AS run_delete_files";
const newest = (count: number, table: string) => `(SELECT summary FROM ${table}.\`snapshots\` WHERE operation <> 'replace' ORDER BY committed_at DESC LIMIT ${count})`;

describe('the read of what a run added to its tables', () => {
  it("sums a table's newest load snapshots, as many as the run committed, maintenance's left out", () => {
    assert.equal(runAdditionsOf(orders, 4), `SELECT ${columns} FROM ${newest(4, '`spark_catalog`.`singer`.`orders`')}`);
    assert.throws(() => runAdditionsOf(orders, 1.5), /a run's snapshot count must be a non-negative integer, not 1\.5/);
    assert.throws(() => runAdditionsOf(orders, -1), /not -1/);
  });

  it('reads many tables in one statement, a row per table by position, every identifier quoted', () => {
    assert.equal(
      runAdditions([
        { ref: orders, snapshots: 2 },
        { ref: odd, snapshots: 1 },
      ]),
      `SELECT 0 AS i, ${columns} FROM ${newest(2, '`spark_catalog`.`singer`.`orders`')} UNION ALL ` +
        `SELECT 1 AS i, ${columns} FROM ${newest(1, "`my cat`.`it``s`.`o'k`")}`,
    );
    assert.throws(() => runAdditions([]), /no table to read/);
  });
});
