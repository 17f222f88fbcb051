import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Column } from '../../src/schema/columns.js';
import { readProbeFile, selectOne, showSchemas } from '../../src/sql/check-statements.js';
import { compileLoad } from '../../src/sql/compile-load.js';
import { sessionSetup, useSchema } from '../../src/sql/session.js';
import { WIDE_MERGE_COLUMNS, type LoadPlan, type StagedBatch } from '../../src/sql/statements.js';

const table = { catalog: 'spark_catalog', schema: 'singer', table: 'ORDERS' };
const id: Column = { property: 'id', path: ['id'], name: 'ID', type: 'BIGINT', kind: 'integer' };
const batch = (width: number): StagedBatch => ({
  location: 's3a://staging/stage/run/1-orders.parquet',
  format: 'staged',
  columns: [id, ...Array.from({ length: width - 1 }, (_, i): Column => ({ property: `p${i}`, path: [`p${i}`], name: `P${i}`, type: 'STRING', kind: 'string' }))].map((column) => ({
    column,
    tableType: column.type,
  })),
});
const plan = (overrides: Partial<LoadPlan>): LoadPlan => ({ table, batch: batch(2), mode: 'merge', keyColumns: ['ID'], hardDelete: false, ...overrides });

/** The projection and source of a staged batch of `width` columns (fields c0..), deduplicated by key. */
const source = (width: number) =>
  `SELECT \`c0\` AS \`ID\`, ${Array.from({ length: width - 1 }, (_, i) => `\`c${i + 1}\` AS \`P${i}\``).join(', ')} FROM (` +
  'SELECT *, ROW_NUMBER() OVER (PARTITION BY `c0` ORDER BY _metadata.row_index DESC) AS `__rank` FROM parquet.`s3a://staging/stage/run/1-orders.parquet`) WHERE `__rank` = 1';

describe('compiled loads', () => {
  it('a merge is one statement', () =>
    assert.deepEqual(compileLoad(plan({})), {
      before: [],
      statement:
        'MERGE INTO `spark_catalog`.`singer`.`ORDERS` t USING (' +
        'SELECT `c0` AS `ID`, `c1` AS `P0` FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY `c0` ORDER BY _metadata.row_index DESC) AS `__rank` ' +
        'FROM parquet.`s3a://staging/stage/run/1-orders.parquet`) WHERE `__rank` = 1) s ON t.`ID` <=> s.`ID` ' +
        'WHEN MATCHED THEN UPDATE SET t.`ID` = s.`ID`, t.`P0` = s.`P0` WHEN NOT MATCHED THEN INSERT (`ID`, `P0`) VALUES (s.`ID`, s.`P0`)',
      then: [],
      after: [],
    }));

  it('an append is one statement', () =>
    assert.deepEqual(compileLoad(plan({ mode: 'insert', keyColumns: [] })), {
      before: [],
      statement: 'INSERT INTO `spark_catalog`.`singer`.`ORDERS` (`ID`, `P0`) SELECT `c0` AS `ID`, `c1` AS `P0` FROM parquet.`s3a://staging/stage/run/1-orders.parquet`',
      then: [],
      after: [],
    }));

  it('an exactly-once append sets the wap id, inserts, resets it whatever happened (a failure fails the load), then publishes', () =>
    assert.deepEqual(compileLoad(plan({ mode: 'insert', keyColumns: [] }), undefined, '0123456789ab-2-7'), {
      before: [{ sql: 'SET spark.wap.id=0123456789ab-2-7', optional: false }],
      statement: 'INSERT INTO `spark_catalog`.`singer`.`ORDERS` (`ID`, `P0`) SELECT `c0` AS `ID`, `c1` AS `P0` FROM parquet.`s3a://staging/stage/run/1-orders.parquet`',
      then: [],
      after: [{ sql: 'RESET spark.wap.id', optional: false }],
      publish: "CALL `spark_catalog`.`system`.`publish_changes`('`singer`.`ORDERS`', '0123456789ab-2-7')",
    }));

  it('a first load creates its table with its rows, with no session statements around it, even when wide', () =>
    assert.deepEqual(compileLoad(plan({ batch: batch(WIDE_MERGE_COLUMNS) }), { keyed: true }), {
      before: [],
      statement:
        "CREATE TABLE `spark_catalog`.`singer`.`ORDERS` USING iceberg TBLPROPERTIES ('format-version'='2', 'write.merge.mode'='merge-on-read') AS SELECT " +
        `CAST(\`ID\` AS BIGINT) AS \`ID\`, ${Array.from({ length: WIDE_MERGE_COLUMNS - 1 }, (_, i) => `CAST(\`P${i}\` AS STRING) AS \`P${i}\``).join(', ')} ` +
        `FROM (SELECT * FROM (${source(WIDE_MERGE_COLUMNS)}) s) b`,
      then: [],
      after: [],
    }));

  it('a first load with a layout creates its table partitioned and with its properties, then gives it its sort order', () =>
    assert.deepEqual(
      compileLoad(plan({}), {
        keyed: true,
        layout: {
          partition: [{ column: 'ID', transform: { kind: 'bucket', buckets: 16 } }],
          sort: [{ column: 'P0', direction: 'desc', nulls: 'last' }],
          properties: { 'format-version': '2', 'write.distribution-mode': 'hash' },
        },
      }),
      {
        before: [],
        statement:
          "CREATE TABLE `spark_catalog`.`singer`.`ORDERS` USING iceberg PARTITIONED BY (bucket(16, `ID`)) TBLPROPERTIES ('format-version'='2', 'write.distribution-mode'='hash') AS SELECT " +
          `CAST(\`ID\` AS BIGINT) AS \`ID\`, CAST(\`P0\` AS STRING) AS \`P0\` FROM (SELECT * FROM (${source(2)}) s) b`,
        then: [
          'ALTER TABLE `spark_catalog`.`singer`.`ORDERS` WRITE ORDERED BY `P0` DESC NULLS LAST',
          "ALTER TABLE `spark_catalog`.`singer`.`ORDERS` SET TBLPROPERTIES ('write.distribution-mode'='hash')",
        ],
        after: [],
      },
    ));

  it('a wide merge is planned without ColumnPruning (a setting the load may go without), and the session put back after', () => {
    const names = ['`ID`', ...Array.from({ length: WIDE_MERGE_COLUMNS - 1 }, (_, i) => `\`P${i}\``)];
    assert.deepEqual(compileLoad(plan({ batch: batch(WIDE_MERGE_COLUMNS) })), {
      before: [{ sql: 'SET spark.sql.optimizer.excludedRules=org.apache.spark.sql.catalyst.optimizer.ColumnPruning', optional: true }],
      statement:
        `MERGE INTO \`spark_catalog\`.\`singer\`.\`ORDERS\` t USING (${source(WIDE_MERGE_COLUMNS)}) s ON t.\`ID\` <=> s.\`ID\` ` +
        `WHEN MATCHED THEN UPDATE SET ${names.map((n) => `t.${n} = s.${n}`).join(', ')} ` +
        `WHEN NOT MATCHED THEN INSERT (${names.join(', ')}) VALUES (${names.map((n) => `s.${n}`).join(', ')})`,
      then: [],
      after: [{ sql: 'RESET spark.sql.optimizer.excludedRules', optional: true }],
    });
  });

  it('a wide merge of the whole table names no column, after refreshing the table (not optional)', () =>
    assert.deepEqual(compileLoad(plan({ batch: batch(WIDE_MERGE_COLUMNS), wholeTable: true })), {
      before: [
        { sql: 'SET spark.sql.optimizer.excludedRules=org.apache.spark.sql.catalyst.optimizer.ColumnPruning', optional: true },
        { sql: 'REFRESH TABLE `spark_catalog`.`singer`.`ORDERS`', optional: false },
      ],
      statement: `MERGE INTO \`spark_catalog\`.\`singer\`.\`ORDERS\` t USING (${source(WIDE_MERGE_COLUMNS)}) s ON t.\`ID\` <=> s.\`ID\` WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *`,
      then: [],
      after: [{ sql: 'RESET spark.sql.optimizer.excludedRules', optional: true }],
    }));
});

describe('session and --check statements', () => {
  it('a session is set up for UTC', () => assert.deepEqual(sessionSetup(), ['SET spark.sql.session.timeZone=UTC']));
  it('the current schema, in the catalog when one is named', () => {
    assert.equal(useSchema('raw`data', 'spark_catalog'), 'USE `spark_catalog`.`raw``data`');
    assert.equal(useSchema('default'), 'USE `default`');
  });
  it('--check asks for one row, the catalog\'s schemas and the staged probe by path', () => {
    assert.equal(selectOne(), 'SELECT 1 AS probe');
    assert.equal(showSchemas('spark_catalog'), 'SHOW NAMESPACES IN `spark_catalog`');
    assert.equal(readProbeFile("s3a://b/it's`.parquet", 'c0'), "SELECT `c0` FROM parquet.`s3a://b/it's``.parquet`");
  });
});
