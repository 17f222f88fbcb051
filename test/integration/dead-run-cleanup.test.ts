import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import { ensureLakehouse } from '../../lakehouse/index.js';
import { undoDeadRunAppends } from '../../src/loading/dead-run-appends.js';
import type { Logger } from '../../src/logging.js';
import { HiveServer2Executor } from '../../src/spark/hiveserver2-executor.js';
import { tableName } from '../../src/sql/statements.js';
import { createAppendTable, publishChanges, resetWapId, setWapId } from '../../src/sql/wap-statements.js';
import { dropSchema, freshSchema, query } from './harness.js';

/**
 * The clean-up of a killed run's uncovered appends (D1, D2) against the real lakehouse, with the
 * error messages Spark really gives. A run names a table in its marker before it creates it, so a
 * kill in between leaves a marker naming a table (or a schema) that does not exist: the resumed run
 * must pass over it, not stop. (Spark answers a read of `db`.`missing`.`snapshots` with
 * REQUIRES_SINGLE_PART_NAMESPACE, not with "table not found".)
 */
describe('undoing a killed run\'s appends on the local lakehouse', () => {
  const schemas: string[] = [];
  after(async () => {
    for (const s of schemas) await dropSchema(s);
  });

  it('rolls back an uncovered commit and passes over a marker\'s table or schema that was never created', async () => {
    const schema = await freshSchema('deadrun');
    schemas.push(schema);
    const lakehouse = await ensureLakehouse();
    const sql = new HiveServer2Executor({ ...lakehouse, tls_verify: false });
    const infos: string[] = [];
    const log = { info: (m: string) => infos.push(m), warn: () => log, debug: () => log, error: () => log } as unknown as Logger;
    const dead = 'deadbeef0042';
    const events = { catalog: 'spark_catalog', schema, table: 'events' };
    try {
      await sql.query(`CREATE SCHEMA IF NOT EXISTS \`spark_catalog\`.\`${schema}\``);
      await sql.query(createAppendTable(events, [{ name: 'id', type: 'BIGINT' }]));
      // Two published commits of the dead run; its last printed state covered the first.
      for (const [seq, ids] of [[1, '1, 2'], [2, '3, 4']] as const) {
        await sql.query(setWapId(`${dead}-1-${seq}`));
        await sql.query(`INSERT INTO ${tableName(events)} VALUES ${ids.split(', ').map((v) => `(${v})`).join(', ')}`);
        await sql.query(resetWapId());
        await sql.query(publishChanges(events, `${dead}-1-${seq}`));
      }
      assert.equal((await query(`SELECT count(*) AS n FROM spark_catalog.\`${schema}\`.events`))[0]!.n, 4);

      await undoDeadRunAppends(
        sql,
        dead,
        [
          { catalog: 'spark_catalog', schema, table: 'never_created', covered: null },
          { catalog: 'spark_catalog', schema: `${schema}_never`, table: 'events', covered: null },
          { ...events, covered: `${dead}-1-1` },
        ],
        log,
      );
      const left = await query(`SELECT id FROM spark_catalog.\`${schema}\`.events ORDER BY id`);
      assert.deepEqual(left.map((r) => Number(r.id)), [1, 2]);
      assert.equal(infos.filter((m) => /Undid 1 commit\(s\) of killed run deadbeef0042/.test(m)).length, 1, infos.join('\n'));
    } finally {
      await sql.close();
    }
  });
});
