import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { expireSnapshots, removeOrphanFiles, rewriteDataFiles, rewriteManifests, tableStats, timestampLiteral } from '../../src/sql/maintenance.js';

const table = { catalog: 'spark_catalog', schema: 'singer', table: 'orders' };
const odd = { catalog: 'spark_catalog', schema: 'singer', table: "it's `odd`" };
const at = new Date('2026-12-07T10:00:00.000Z');

describe('maintenance statements', () => {
  it('compacts data files with Iceberg options, optionally restricted by a predicate', () => {
    assert.equal(
      rewriteDataFiles(table, { minInputFiles: 5 }),
      "CALL `spark_catalog`.system.rewrite_data_files(table => '`singer`.`orders`', options => map('min-input-files', '5'))",
    );
    assert.equal(
      rewriteDataFiles(table, { minInputFiles: 2, where: "day = '2026-12-07'" }),
      "CALL `spark_catalog`.system.rewrite_data_files(table => '`singer`.`orders`', where => 'day = \\'2026-12-07\\'', options => map('min-input-files', '2'))",
    );
  });

  it('expires snapshots older than an instant given in UTC, keeping the newest ones', () => {
    assert.equal(
      expireSnapshots(table, at, 5),
      "CALL `spark_catalog`.system.expire_snapshots(table => '`singer`.`orders`', older_than => TIMESTAMP '2026-12-07T10:00:00.000Z', retain_last => 5)",
    );
    assert.throws(() => expireSnapshots(table, at, 0), /retain_last must be a positive integer/);
  });

  it('rewrites manifests and removes orphan files', () => {
    assert.equal(rewriteManifests(table), "CALL `spark_catalog`.system.rewrite_manifests(table => '`singer`.`orders`')");
    assert.equal(
      removeOrphanFiles(table, at),
      "CALL `spark_catalog`.system.remove_orphan_files(table => '`singer`.`orders`', older_than => TIMESTAMP '2026-12-07T10:00:00.000Z')",
    );
  });

  it('quotes table names inside the procedure argument', () => {
    assert.equal(rewriteManifests(odd), "CALL `spark_catalog`.system.rewrite_manifests(table => '`singer`.`it\\'s ``odd```')");
    assert.equal(timestampLiteral(at), "TIMESTAMP '2026-12-07T10:00:00.000Z'");
  });

  it('reads stats from the snapshot log alone, with what the run added, manifests only when asked', () => {
    const totals =
      "SELECT count(*) AS snapshots, coalesce(max_by(CAST(summary['total-data-files'] AS BIGINT), committed_at), 0) AS data_files, " +
      "coalesce(max_by(CAST(summary['total-delete-files'] AS BIGINT), committed_at), 0) AS delete_files";
    const log = 'FROM `spark_catalog`.`singer`.`orders`.`snapshots`';
    const run =
      "CROSS JOIN (SELECT count(*) AS run_snapshots, coalesce(sum(CAST(summary['added-data-files'] AS BIGINT)), 0) AS run_data_files, " +
      "coalesce(sum(CAST(summary['added-delete-files'] AS BIGINT)), 0) AS run_delete_files " +
      `FROM (SELECT summary ${log} WHERE operation <> 'replace' ORDER BY committed_at DESC LIMIT 3))`;
    assert.equal(tableStats(table, 3), `SELECT * FROM (${totals} ${log}) ${run}`);
    assert.equal(
      tableStats(table, 3, { manifests: true }),
      `SELECT * FROM (${totals}, (SELECT count(*) FROM \`spark_catalog\`.\`singer\`.\`orders\`.\`manifests\`) AS manifests ${log}) ${run}`,
    );
  });
});
