import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Column } from '../../src/schema/columns.js';
import { METADATA_COLUMNS } from '../../src/schema/metadata.js';
import {
  addColumns,
  alterColumnType,
  createSchema,
  createTable,
  describeTable,
  describeFile,
  loadStatement,
  matchFileFields,
  renameColumn,
  retireOldVersions,
  countOldVersions,
  listedTables,
  showTables,
  checkedCast,
  keyLiteral,
  keyRangeCondition,
  type LoadPlan,
  type StagedBatch,
  createTableAs,
} from '../../src/sql/statements.js';

const table = { catalog: 'spark_catalog', schema: 'singer', table: 'TEST_TABLE_ONE' };
const columns: Column[] = [
  { property: 'c_pk', path: ['c_pk'], name: 'C_PK', type: 'BIGINT', kind: 'integer' },
  { property: 'c_varchar', path: ['c_varchar'], name: 'C_VARCHAR', type: 'STRING', kind: 'string' },
  { property: 'c_date', path: ['c_date'], name: 'C_DATE', type: 'TIMESTAMP', kind: 'timestamp' },
];
const batch: StagedBatch = {
  location: 's3a://staging/stage/x.parquet',
  format: 'staged',
  columns: columns.map((column) => ({ column, tableType: column.type })),
};
const plan = (overrides: Partial<LoadPlan>): LoadPlan => ({ table, batch, mode: 'merge', keyColumns: ['C_PK'], hardDelete: false, ...overrides });
const deletedAt = METADATA_COLUMNS.find((c) => c.name === '_SDC_DELETED_AT')!;
const withDeletes: StagedBatch = { ...batch, columns: [...batch.columns, { column: deletedAt, tableType: 'TIMESTAMP' }] };

describe('SQL builders', () => {
  it('createSchema', () => assert.equal(createSchema(table), 'CREATE SCHEMA IF NOT EXISTS `spark_catalog`.`singer`'));
  it('createTable', () =>
    assert.equal(
      createTable(table, columns),
      'CREATE TABLE IF NOT EXISTS `spark_catalog`.`singer`.`TEST_TABLE_ONE` (`C_PK` BIGINT, `C_VARCHAR` STRING, `C_DATE` TIMESTAMP) USING iceberg',
    ));
  it('createTable of a keyed stream makes a merge-on-read table', () =>
    assert.equal(
      createTable(table, columns, true),
      "CREATE TABLE IF NOT EXISTS `spark_catalog`.`singer`.`TEST_TABLE_ONE` (`C_PK` BIGINT, `C_VARCHAR` STRING, `C_DATE` TIMESTAMP) USING iceberg " +
        "TBLPROPERTIES ('format-version'='2', 'write.merge.mode'='merge-on-read')",
    ));
  it('addColumns adds all new columns in one statement', () =>
    assert.equal(
      addColumns(table, columns.slice(1)),
      'ALTER TABLE `spark_catalog`.`singer`.`TEST_TABLE_ONE` ADD COLUMNS (`C_VARCHAR` STRING, `C_DATE` TIMESTAMP)',
    ));
  it('describeTable', () => assert.equal(describeTable(table), 'DESCRIBE TABLE `spark_catalog`.`singer`.`TEST_TABLE_ONE`'));
  it('showTables lists the schema without a LIKE pattern (names are compared exactly)', () =>
    assert.equal(showTables({ catalog: 'spark_catalog', schema: 'sing`er' }), 'SHOW TABLES IN `spark_catalog`.`sing``er`'));

  it('listedTables reads its rows: table names in lower case, temporary views left out', () =>
    assert.deepEqual(
      [
        ...listedTables([
          { namespace: 's', tableName: 'orders', isTemporary: false },
          { namespace: '', tableName: 'Probe_View', isTemporary: true },
          { namespace: 's', tableName: 'Order Items', isTemporary: false },
        ]),
      ],
      ['orders', 'order items'],
    ));
  it('checkedCast fails the load instead of changing a value', () => {
    assert.equal(
      checkedCast('x', 'BIGINT', 'DECIMAL(10,2)', 'PRICE', "it's"),
      "CASE WHEN x IS NOT NULL AND (CAST(x AS DECIMAL(10,2)) IS NULL OR CAST(CAST(x AS DECIMAL(10,2)) AS BIGINT) <> x) " +
        "THEN raise_error(concat('Stream \\'it\\'s\\', column PRICE: value ', CAST(x AS STRING), ' (BIGINT) cannot be stored as DECIMAL(10,2) without changing it; fix the value in the tap, or alter the column to a type that holds it')) " +
        'ELSE CAST(x AS DECIMAL(10,2)) END',
    );
    // Text into a typed column: only a failed cast is refused (no round trip to compare).
    assert.equal(
      checkedCast('y', 'string', 'TIMESTAMP', 'T'),
      "CASE WHEN y IS NOT NULL AND (CAST(y AS TIMESTAMP) IS NULL) " +
        "THEN raise_error(concat('Column T: value ', CAST(y AS STRING), ' (STRING) cannot be stored as TIMESTAMP without changing it; fix the value in the tap, or alter the column to a type that holds it')) " +
        'ELSE CAST(y AS TIMESTAMP) END',
    );
    // An integer or a decimal into DOUBLE must come back unchanged.
    assert.equal(
      checkedCast('z', 'BIGINT', 'DOUBLE', 'D'),
      "CASE WHEN z IS NOT NULL AND (CAST(z AS DOUBLE) IS NULL OR CAST(CAST(z AS DOUBLE) AS BIGINT) <> z) " +
        "THEN raise_error(concat('Column D: value ', CAST(z AS STRING), ' (BIGINT) cannot be stored as DOUBLE without changing it; fix the value in the tap, or alter the column to a type that holds it')) " +
        'ELSE CAST(z AS DOUBLE) END',
    );
    assert.equal(
      checkedCast('z', 'DECIMAL(38,2)', 'DOUBLE', 'D'),
      "CASE WHEN z IS NOT NULL AND (CAST(z AS DOUBLE) IS NULL OR CAST(CAST(z AS DOUBLE) AS DECIMAL(38,2)) <> z) " +
        "THEN raise_error(concat('Column D: value ', CAST(z AS STRING), ' (DECIMAL(38,2)) cannot be stored as DOUBLE without changing it; fix the value in the tap, or alter the column to a type that holds it')) " +
        'ELSE CAST(z AS DOUBLE) END',
    );
    assert.equal(checkedCast('z', 'FLOAT', 'DOUBLE', 'D'), 'CAST(z AS DOUBLE)');
    assert.equal(checkedCast('z', 'BIGINT', 'STRING', 'D'), 'CAST(z AS STRING)');
  });
  it('alterColumnType', () =>
    assert.equal(alterColumnType(table, 'C_INT', 'BIGINT'), 'ALTER TABLE `spark_catalog`.`singer`.`TEST_TABLE_ONE` ALTER COLUMN `C_INT` TYPE BIGINT'));
  it('renameColumn', () =>
    assert.equal(
      renameColumn(table, 'PRICE', 'PRICE__BIGINT'),
      'ALTER TABLE `spark_catalog`.`singer`.`TEST_TABLE_ONE` RENAME COLUMN `PRICE` TO `PRICE__BIGINT`',
    ));
  it('describeFile reads the fields of a file by path', () =>
    assert.equal(describeFile("s3a://b/it's.parquet"), "DESCRIBE QUERY SELECT * FROM parquet.`s3a://b/it's.parquet`"));
  it('createTableAs creates the table with the rows a merge into it would leave, typed and (keyed) with properties as CREATE TABLE makes them', () => {
    const source =
      'SELECT `c0` AS `C_PK`, `c1` AS `C_VARCHAR`, `c2` AS `C_DATE` FROM (' +
      'SELECT *, ROW_NUMBER() OVER (PARTITION BY `c0` ORDER BY _metadata.row_index DESC) AS `__rank` FROM parquet.`s3a://staging/stage/x.parquet`) ' +
      'WHERE `__rank` = 1';
    assert.equal(
      createTableAs(plan({}), true),
      "CREATE TABLE `spark_catalog`.`singer`.`TEST_TABLE_ONE` USING iceberg TBLPROPERTIES ('format-version'='2', 'write.merge.mode'='merge-on-read') AS SELECT " +
        'CAST(`C_PK` AS BIGINT) AS `C_PK`, CAST(`C_VARCHAR` AS STRING) AS `C_VARCHAR`, CAST(`C_DATE` AS TIMESTAMP) AS `C_DATE` ' +
        `FROM (SELECT * FROM (${source}) s) b`,
    );
    // Appends keep every row; hard deletes are skipped as a merge into an empty table skips them.
    assert.equal(
      createTableAs(plan({ mode: 'insert' }), false),
      'CREATE TABLE `spark_catalog`.`singer`.`TEST_TABLE_ONE` USING iceberg AS SELECT ' +
        'CAST(`C_PK` AS BIGINT) AS `C_PK`, CAST(`C_VARCHAR` AS STRING) AS `C_VARCHAR`, CAST(`C_DATE` AS TIMESTAMP) AS `C_DATE` ' +
        'FROM (SELECT * FROM (SELECT `c0` AS `C_PK`, `c1` AS `C_VARCHAR`, `c2` AS `C_DATE` FROM parquet.`s3a://staging/stage/x.parquet`) s) b',
    );
    assert.equal(
      createTableAs(plan({ batch: withDeletes, hardDelete: true }), true),
      "CREATE TABLE `spark_catalog`.`singer`.`TEST_TABLE_ONE` USING iceberg TBLPROPERTIES ('format-version'='2', 'write.merge.mode'='merge-on-read') AS SELECT " +
        'CAST(`C_PK` AS BIGINT) AS `C_PK`, CAST(`C_VARCHAR` AS STRING) AS `C_VARCHAR`, CAST(`C_DATE` AS TIMESTAMP) AS `C_DATE`, CAST(`_SDC_DELETED_AT` AS TIMESTAMP) AS `_SDC_DELETED_AT` ' +
        'FROM (SELECT * FROM (SELECT `c0` AS `C_PK`, `c1` AS `C_VARCHAR`, `c2` AS `C_DATE`, `c3` AS `_SDC_DELETED_AT` FROM (' +
        'SELECT *, ROW_NUMBER() OVER (PARTITION BY `c0` ORDER BY _metadata.row_index DESC) AS `__rank` FROM parquet.`s3a://staging/stage/x.parquet`) ' +
        'WHERE `__rank` = 1) s WHERE s.`_SDC_DELETED_AT` IS NULL) b',
    );
  });
  it('merge keeps the last record per key and sets only the batch columns', () =>
    assert.equal(
      loadStatement(plan({})),
      'MERGE INTO `spark_catalog`.`singer`.`TEST_TABLE_ONE` t USING (' +
        'SELECT `c0` AS `C_PK`, `c1` AS `C_VARCHAR`, `c2` AS `C_DATE` FROM (' +
        'SELECT *, ROW_NUMBER() OVER (PARTITION BY `c0` ORDER BY _metadata.row_index DESC) AS `__rank` FROM parquet.`s3a://staging/stage/x.parquet`) ' +
        'WHERE `__rank` = 1) s ON t.`C_PK` <=> s.`C_PK` ' +
        'WHEN MATCHED THEN UPDATE SET t.`C_PK` = s.`C_PK`, t.`C_VARCHAR` = s.`C_VARCHAR`, t.`C_DATE` = s.`C_DATE` ' +
        'WHEN NOT MATCHED THEN INSERT (`C_PK`, `C_VARCHAR`, `C_DATE`) VALUES (s.`C_PK`, s.`C_VARCHAR`, s.`C_DATE`)',
    ));
  it('merge joins on every key column', () =>
    assert.equal(
      loadStatement(plan({ keyColumns: ['C_PK', 'C_VARCHAR'] })),
      'MERGE INTO `spark_catalog`.`singer`.`TEST_TABLE_ONE` t USING (' +
        'SELECT `c0` AS `C_PK`, `c1` AS `C_VARCHAR`, `c2` AS `C_DATE` FROM (' +
        'SELECT *, ROW_NUMBER() OVER (PARTITION BY `c0`, `c1` ORDER BY _metadata.row_index DESC) AS `__rank` FROM parquet.`s3a://staging/stage/x.parquet`) ' +
        'WHERE `__rank` = 1) s ON t.`C_PK` <=> s.`C_PK` AND t.`C_VARCHAR` <=> s.`C_VARCHAR` ' +
        'WHEN MATCHED THEN UPDATE SET t.`C_PK` = s.`C_PK`, t.`C_VARCHAR` = s.`C_VARCHAR`, t.`C_DATE` = s.`C_DATE` ' +
        'WHEN NOT MATCHED THEN INSERT (`C_PK`, `C_VARCHAR`, `C_DATE`) VALUES (s.`C_PK`, s.`C_VARCHAR`, s.`C_DATE`)',
    ));
  it('merge with key bounds matches only target rows within them, NULL keys null-safely', () =>
    assert.equal(
      loadStatement(plan({ keyBounds: [{ column: 'C_PK', type: 'BIGINT', min: -3, max: 9_007_199_254_740_993n, nulls: false }] })),
      'MERGE INTO `spark_catalog`.`singer`.`TEST_TABLE_ONE` t USING (' +
        'SELECT `c0` AS `C_PK`, `c1` AS `C_VARCHAR`, `c2` AS `C_DATE` FROM (' +
        'SELECT *, ROW_NUMBER() OVER (PARTITION BY `c0` ORDER BY _metadata.row_index DESC) AS `__rank` FROM parquet.`s3a://staging/stage/x.parquet`) ' +
        'WHERE `__rank` = 1) s ON t.`C_PK` = s.`C_PK` AND t.`C_PK` BETWEEN -3 AND 9007199254740993 ' +
        'WHEN MATCHED THEN UPDATE SET t.`C_PK` = s.`C_PK`, t.`C_VARCHAR` = s.`C_VARCHAR`, t.`C_DATE` = s.`C_DATE` ' +
        'WHEN NOT MATCHED THEN INSERT (`C_PK`, `C_VARCHAR`, `C_DATE`) VALUES (s.`C_PK`, s.`C_VARCHAR`, s.`C_DATE`)',
    ));
  it('merge with bounds of composite keys, text, timestamps and NULL keys', () =>
    assert.equal(
      loadStatement(
        plan({
          keyColumns: ['C_PK', 'C_VARCHAR', 'C_DATE'],
          hardDelete: true,
          batch: withDeletes,
          keyBounds: [
            { column: 'C_PK', type: 'BIGINT', nulls: true },
            { column: 'C_VARCHAR', type: 'STRING', min: "O'Brien\\", max: 'Zürich', nulls: true },
            { column: 'C_DATE', type: 'TIMESTAMP', min: -62135596800000000n, max: 1704067200000001, nulls: false },
          ],
        }),
      ),
      'MERGE INTO `spark_catalog`.`singer`.`TEST_TABLE_ONE` t USING (' +
        'SELECT `c0` AS `C_PK`, `c1` AS `C_VARCHAR`, `c2` AS `C_DATE`, `c3` AS `_SDC_DELETED_AT` FROM (' +
        'SELECT *, ROW_NUMBER() OVER (PARTITION BY `c0`, `c1`, `c2` ORDER BY _metadata.row_index DESC) AS `__rank` FROM parquet.`s3a://staging/stage/x.parquet`) ' +
        'WHERE `__rank` = 1) s ON t.`C_PK` <=> s.`C_PK` AND t.`C_VARCHAR` <=> s.`C_VARCHAR` AND t.`C_DATE` = s.`C_DATE` ' +
        "AND t.`C_PK` IS NULL AND (t.`C_VARCHAR` BETWEEN 'O\\'Brien\\\\' AND 'Zürich' OR t.`C_VARCHAR` IS NULL) " +
        'AND t.`C_DATE` BETWEEN TIMESTAMP_MICROS(-62135596800000000) AND TIMESTAMP_MICROS(1704067200000001) ' +
        'WHEN MATCHED AND s.`_SDC_DELETED_AT` IS NOT NULL THEN DELETE ' +
        'WHEN MATCHED THEN UPDATE SET t.`C_PK` = s.`C_PK`, t.`C_VARCHAR` = s.`C_VARCHAR`, t.`C_DATE` = s.`C_DATE`, t.`_SDC_DELETED_AT` = s.`_SDC_DELETED_AT` ' +
        'WHEN NOT MATCHED AND s.`_SDC_DELETED_AT` IS NULL THEN INSERT (`C_PK`, `C_VARCHAR`, `C_DATE`, `_SDC_DELETED_AT`) VALUES (s.`C_PK`, s.`C_VARCHAR`, s.`C_DATE`, s.`_SDC_DELETED_AT`)',
    ));
  it('key bounds give no condition where the table column has another type than the staged one', () => {
    const widened: StagedBatch = { ...batch, columns: batch.columns.map((c) => (c.column.name === 'C_PK' ? { ...c, tableType: 'STRING' } : c)) };
    const sql = loadStatement(plan({ batch: widened, keyBounds: [{ column: 'C_PK', type: 'BIGINT', min: 9, max: 10, nulls: false }] }));
    // No condition, but the batch has no NULL key: plain equality.
    assert.equal(
      sql,
      'MERGE INTO `spark_catalog`.`singer`.`TEST_TABLE_ONE` t USING (' +
        'SELECT CAST(`c0` AS STRING) AS `C_PK`, `c1` AS `C_VARCHAR`, `c2` AS `C_DATE` FROM (' +
        'SELECT *, ROW_NUMBER() OVER (PARTITION BY `c0` ORDER BY _metadata.row_index DESC) AS `__rank` FROM parquet.`s3a://staging/stage/x.parquet`) ' +
        'WHERE `__rank` = 1) s ON t.`C_PK` = s.`C_PK` ' +
        'WHEN MATCHED THEN UPDATE SET t.`C_PK` = s.`C_PK`, t.`C_VARCHAR` = s.`C_VARCHAR`, t.`C_DATE` = s.`C_DATE` ' +
        'WHEN NOT MATCHED THEN INSERT (`C_PK`, `C_VARCHAR`, `C_DATE`) VALUES (s.`C_PK`, s.`C_VARCHAR`, s.`C_DATE`)',
    );
    assert.equal(keyRangeCondition([{ column: 'C_PK', type: 'BIGINT', min: 9, max: 10, nulls: false }], new Map([['C_PK', 'bigint']])), 't.`C_PK` BETWEEN 9 AND 10');
    assert.equal(keyRangeCondition([{ column: 'X', type: 'BIGINT', min: 9, max: 10, nulls: false }], new Map([['C_PK', 'BIGINT']])), undefined);
  });
  it('key literals are typed in the column type', () => {
    assert.equal(keyLiteral('DATE', -719162), 'DATE_FROM_UNIX_DATE(-719162)');
    assert.equal(keyLiteral('DECIMAL(38,2)', -5n), "CAST('-0.05' AS DECIMAL(38,2))");
    assert.equal(keyLiteral('DECIMAL(38,2)', 12345n), "CAST('123.45' AS DECIMAL(38,2))");
    assert.equal(keyLiteral('DECIMAL(38,0)', 7n), "CAST('7' AS DECIMAL(38,0))");
    assert.equal(keyLiteral('STRING', "a'\\\nb"), "'a\\'\\\\\\nb'");
    assert.equal(keyLiteral('DOUBLE', 1.5), undefined);
    assert.throws(() => keyLiteral('BIGINT', 1.5), /^Error: Key bound 1\.5 of a BIGINT column is not an integer$/);
  });
  it('merge with hard delete deletes matched deleted rows and never inserts them', () =>
    assert.equal(
      loadStatement(plan({ batch: withDeletes, hardDelete: true })),
      'MERGE INTO `spark_catalog`.`singer`.`TEST_TABLE_ONE` t USING (' +
        'SELECT `c0` AS `C_PK`, `c1` AS `C_VARCHAR`, `c2` AS `C_DATE`, `c3` AS `_SDC_DELETED_AT` FROM (' +
        'SELECT *, ROW_NUMBER() OVER (PARTITION BY `c0` ORDER BY _metadata.row_index DESC) AS `__rank` FROM parquet.`s3a://staging/stage/x.parquet`) ' +
        'WHERE `__rank` = 1) s ON t.`C_PK` <=> s.`C_PK` ' +
        'WHEN MATCHED AND s.`_SDC_DELETED_AT` IS NOT NULL THEN DELETE ' +
        'WHEN MATCHED THEN UPDATE SET t.`C_PK` = s.`C_PK`, t.`C_VARCHAR` = s.`C_VARCHAR`, t.`C_DATE` = s.`C_DATE`, t.`_SDC_DELETED_AT` = s.`_SDC_DELETED_AT` ' +
        'WHEN NOT MATCHED AND s.`_SDC_DELETED_AT` IS NULL THEN INSERT (`C_PK`, `C_VARCHAR`, `C_DATE`, `_SDC_DELETED_AT`) VALUES (s.`C_PK`, s.`C_VARCHAR`, s.`C_DATE`, s.`_SDC_DELETED_AT`)',
    ));
  it('hard delete needs the deleted-at column in the batch', () => assert.throws(() => loadStatement(plan({ hardDelete: true })), /^Error: Column _SDC_DELETED_AT is not among the batch columns$/));
  it('merge refuses a key that is not a batch column', () => assert.throws(() => loadStatement(plan({ keyColumns: ['NOPE'] })), /^Error: Column NOPE is not among the batch columns$/));
  it('insert appends every staged row', () =>
    assert.equal(
      loadStatement(plan({ mode: 'insert', keyColumns: [] })),
      'INSERT INTO `spark_catalog`.`singer`.`TEST_TABLE_ONE` (`C_PK`, `C_VARCHAR`, `C_DATE`) ' +
        'SELECT `c0` AS `C_PK`, `c1` AS `C_VARCHAR`, `c2` AS `C_DATE` FROM parquet.`s3a://staging/stage/x.parquet`',
    ));
  it('insert with hard delete skips deleted rows', () =>
    assert.equal(
      loadStatement(plan({ mode: 'insert', keyColumns: [], batch: withDeletes, hardDelete: true })),
      'INSERT INTO `spark_catalog`.`singer`.`TEST_TABLE_ONE` (`C_PK`, `C_VARCHAR`, `C_DATE`, `_SDC_DELETED_AT`) ' +
        'SELECT * FROM (SELECT `c0` AS `C_PK`, `c1` AS `C_VARCHAR`, `c2` AS `C_DATE`, ' +
        '`c3` AS `_SDC_DELETED_AT` FROM parquet.`s3a://staging/stage/x.parquet`) s WHERE s.`_SDC_DELETED_AT` IS NULL',
    ));
  it('overwrite replaces the rows with the deduplicated batch', () =>
    assert.equal(
      loadStatement(plan({ mode: 'overwrite' })),
      'INSERT OVERWRITE `spark_catalog`.`singer`.`TEST_TABLE_ONE` (`C_PK`, `C_VARCHAR`, `C_DATE`) ' +
        'SELECT `c0` AS `C_PK`, `c1` AS `C_VARCHAR`, `c2` AS `C_DATE` FROM (' +
        'SELECT *, ROW_NUMBER() OVER (PARTITION BY `c0` ORDER BY _metadata.row_index DESC) AS `__rank` FROM parquet.`s3a://staging/stage/x.parquet`) ' +
        'WHERE `__rank` = 1',
    ));
  it('casts values into a wider table type', () => {
    const cast: StagedBatch = { ...batch, columns: [{ column: columns[0]!, tableType: 'string' }] };
    assert.equal(
      loadStatement(plan({ mode: 'insert', keyColumns: [], batch: cast })),
      'INSERT INTO `spark_catalog`.`singer`.`TEST_TABLE_ONE` (`C_PK`) SELECT CAST(`c0` AS string) AS `C_PK` FROM parquet.`s3a://staging/stage/x.parquet`',
    );
  });
  it('retires older versions: delete with hard delete, else mark', () => {
    assert.equal(
      retireOldVersions(table, 3, true, '2026-01-01 00:00:00.000Z'),
      'DELETE FROM `spark_catalog`.`singer`.`TEST_TABLE_ONE` WHERE `_SDC_TABLE_VERSION` < 3',
    );
    assert.equal(
      retireOldVersions(table, 3, false, '2026-01-01 00:00:00.000Z'),
      "UPDATE `spark_catalog`.`singer`.`TEST_TABLE_ONE` SET `_SDC_DELETED_AT` = CAST('2026-01-01 00:00:00.000Z' AS TIMESTAMP) " +
        'WHERE `_SDC_TABLE_VERSION` < 3 AND `_SDC_DELETED_AT` IS NULL',
    );
    assert.throws(() => retireOldVersions(table, 1.5, true, 'x'), /^Error: Table version 1\.5 is not an integer$/);
  });
  it('counts the rows a retirement will touch, with the same condition', () => {
    assert.equal(countOldVersions(table, 3, true), 'SELECT COUNT(*) AS n FROM `spark_catalog`.`singer`.`TEST_TABLE_ONE` WHERE `_SDC_TABLE_VERSION` < 3');
    assert.equal(
      countOldVersions(table, 3, false),
      'SELECT COUNT(*) AS n FROM `spark_catalog`.`singer`.`TEST_TABLE_ONE` WHERE `_SDC_TABLE_VERSION` < 3 AND `_SDC_DELETED_AT` IS NULL',
    );
  });

  it('loads a tap Parquet file by property name, nested fields as JSON, ordered by file row', () => {
    const json = { property: 'tags', path: ['tags'], name: 'TAGS', type: 'STRING', kind: 'json' } as const;
    const parquet: StagedBatch = {
      location: 's3a://bkt/part.parquet',
      format: 'parquet',
      columns: [...columns, json].map((column) => ({ column, tableType: column.type })),
      fileFields: [{ name: 'c_pk', type: 'bigint' }, { name: 'C_VARCHAR', type: 'string' }, undefined, { name: 'tags', type: 'array<string>' }],
    };
    assert.equal(
      loadStatement(plan({ batch: parquet })),
      'MERGE INTO `spark_catalog`.`singer`.`TEST_TABLE_ONE` t USING (' +
        'SELECT `c_pk` AS `C_PK`, `C_VARCHAR` AS `C_VARCHAR`, CAST(NULL AS TIMESTAMP) AS `C_DATE`, to_json(`tags`) AS `TAGS` FROM (' +
        'SELECT *, ROW_NUMBER() OVER (PARTITION BY `c_pk` ORDER BY _metadata.row_index DESC) AS `__rank` FROM parquet.`s3a://bkt/part.parquet`) ' +
        'WHERE `__rank` = 1) s ON t.`C_PK` <=> s.`C_PK` ' +
        'WHEN MATCHED THEN UPDATE SET t.`C_PK` = s.`C_PK`, t.`C_VARCHAR` = s.`C_VARCHAR`, t.`C_DATE` = s.`C_DATE`, t.`TAGS` = s.`TAGS` ' +
        'WHEN NOT MATCHED THEN INSERT (`C_PK`, `C_VARCHAR`, `C_DATE`, `TAGS`) VALUES (s.`C_PK`, s.`C_VARCHAR`, s.`C_DATE`, s.`TAGS`)',
    );
  });
  it('matches file fields case-insensitively and refuses files that do not fit', () => {
    const fields = [{ name: 'C_PK', type: 'int' }, { name: 'c_varchar', type: 'struct<a:int>' }];
    assert.equal(matchFileFields(columns, fields, ['C_PK']), undefined, 'nested data for a text column');
    assert.equal(matchFileFields(columns, [{ name: 'c_varchar', type: 'string' }], ['C_PK']), undefined, 'key missing');
    assert.deepEqual(matchFileFields(columns, [{ name: 'C_PK', type: 'int' }], ['C_PK']), [{ name: 'C_PK', type: 'int' }, undefined, undefined]);
  });
});

describe('wide merges', () => {
  it('plan without ColumnPruning from 500 columns on, and put the session back after', async () => {
    const { wideMergeSettings, WIDE_MERGE_COLUMNS } = await import('../../src/sql/statements.js');
    const many = (n: number) => ({ ...batch, columns: Array.from({ length: n }, (_, i) => ({ column: { ...columns[0]!, name: `C${i}` }, tableType: 'BIGINT' })) });
    assert.equal(wideMergeSettings({ table, mode: 'merge', batch: many(WIDE_MERGE_COLUMNS - 1) }), undefined);
    assert.equal(wideMergeSettings({ table, mode: 'insert', batch: many(WIDE_MERGE_COLUMNS), wholeTable: true }), undefined);
    assert.deepEqual(wideMergeSettings({ table, mode: 'merge', batch: many(WIDE_MERGE_COLUMNS) }), {
      before: 'SET spark.sql.optimizer.excludedRules=org.apache.spark.sql.catalyst.optimizer.ColumnPruning',
      after: 'RESET spark.sql.optimizer.excludedRules',
    });
    // A MERGE naming no column reads the table's columns from Spark's view of it: refreshed first.
    assert.deepEqual(wideMergeSettings({ table, mode: 'merge', batch: many(WIDE_MERGE_COLUMNS), wholeTable: true }), {
      before: 'SET spark.sql.optimizer.excludedRules=org.apache.spark.sql.catalyst.optimizer.ColumnPruning',
      refresh: 'REFRESH TABLE `spark_catalog`.`singer`.`TEST_TABLE_ONE`',
      after: 'RESET spark.sql.optimizer.excludedRules',
    });
  });

  it('name no column when a wide batch has exactly the table\'s columns, and every one otherwise', async () => {
    const { WIDE_MERGE_COLUMNS } = await import('../../src/sql/statements.js');
    const wide = (n: number): StagedBatch => ({
      ...batch,
      columns: [batch.columns[0]!, ...Array.from({ length: n - 2 }, (_, i) => ({ column: { ...columns[1]!, name: `C${i}` }, tableType: 'STRING' })), { column: deletedAt, tableType: 'TIMESTAMP' }],
    });
    const source = (n: number) =>
      `SELECT \`c0\` AS \`C_PK\`, ${Array.from({ length: n - 2 }, (_, i) => `\`c${i + 1}\` AS \`C${i}\``).join(', ')}, \`c${n - 1}\` AS \`_SDC_DELETED_AT\` ` +
      'FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY `c0` ORDER BY _metadata.row_index DESC) AS `__rank` FROM parquet.`s3a://staging/stage/x.parquet`) WHERE `__rank` = 1';
    const n = WIDE_MERGE_COLUMNS;
    assert.equal(
      loadStatement(plan({ batch: wide(n), wholeTable: true, hardDelete: true })),
      `MERGE INTO \`spark_catalog\`.\`singer\`.\`TEST_TABLE_ONE\` t USING (${source(n)}) s ON t.\`C_PK\` <=> s.\`C_PK\` ` +
        'WHEN MATCHED AND s.`_SDC_DELETED_AT` IS NOT NULL THEN DELETE WHEN MATCHED THEN UPDATE SET * ' +
        'WHEN NOT MATCHED AND s.`_SDC_DELETED_AT` IS NULL THEN INSERT *',
    );
    // The table has a column the batch lacks: a star would write it or fail, so every column is named.
    const names = wide(n).columns.map((c) => `\`${c.column.name}\``);
    assert.equal(
      loadStatement(plan({ batch: wide(n), wholeTable: false })),
      `MERGE INTO \`spark_catalog\`.\`singer\`.\`TEST_TABLE_ONE\` t USING (${source(n)}) s ON t.\`C_PK\` <=> s.\`C_PK\` ` +
        `WHEN MATCHED THEN UPDATE SET ${names.map((c) => `t.${c} = s.${c}`).join(', ')} ` +
        `WHEN NOT MATCHED THEN INSERT (${names.join(', ')}) VALUES (${names.map((c) => `s.${c}`).join(', ')})`,
    );
    // Below the width the explicit lists stay, whole table or not; inserts never change.
    const narrower = wide(n - 1).columns.map((c) => `\`${c.column.name}\``);
    assert.equal(
      loadStatement(plan({ batch: wide(n - 1), wholeTable: true })),
      `MERGE INTO \`spark_catalog\`.\`singer\`.\`TEST_TABLE_ONE\` t USING (${source(n - 1)}) s ON t.\`C_PK\` <=> s.\`C_PK\` ` +
        `WHEN MATCHED THEN UPDATE SET ${narrower.map((c) => `t.${c} = s.${c}`).join(', ')} ` +
        `WHEN NOT MATCHED THEN INSERT (${narrower.join(', ')}) VALUES (${narrower.map((c) => `s.${c}`).join(', ')})`,
    );
    assert.equal(
      loadStatement(plan({ batch: wide(n), wholeTable: true, mode: 'insert', keyColumns: [] })),
      `INSERT INTO \`spark_catalog\`.\`singer\`.\`TEST_TABLE_ONE\` (${names.join(', ')}) ` +
        `SELECT \`c0\` AS \`C_PK\`, ${Array.from({ length: n - 2 }, (_, i) => `\`c${i + 1}\` AS \`C${i}\``).join(', ')}, \`c${n - 1}\` AS \`_SDC_DELETED_AT\` ` +
        'FROM parquet.`s3a://staging/stage/x.parquet`',
    );
  });
});
