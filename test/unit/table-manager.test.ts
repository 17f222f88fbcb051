import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SchemaEvolutionError } from '../../src/errors.js';
import { TableManager } from '../../src/loading/table-manager.js';
import { columnOf } from '../../src/schema/columns.js';
import { streamLayoutFor } from '../../src/schema/table-layout.js';
import { describeRows } from '../support/describe-rows.js';
import type { Row, SqlExecutor } from '../../src/spark/executor.js';

/** Records statements and answers SHOW TABLES / DESCRIBE from a fixed table shape. */
class RecordingExecutor implements SqlExecutor {
  readonly statements: string[] = [];
  constructor(private readonly table?: Array<[string, string]>) {}
  async query(sql: string): Promise<Row[]> {
    this.statements.push(sql);
    if (sql.startsWith('SHOW TABLES')) return this.table ? [{ namespace: 's', tableName: 't', isTemporary: false }] : [];
    if (sql.startsWith('DESCRIBE')) return [...(this.table ?? []).map(([col_name, data_type]) => ({ col_name, data_type, comment: null })), { col_name: '', data_type: '', comment: '' }, { col_name: '# Partitioning', data_type: '', comment: '' }];
    return [];
  }
  async close(): Promise<void> {}
}

const quietLog = { error() {}, warn() {}, info(_m: string) {}, debug() {} };
const silent = quietLog as never;
const ref = { catalog: 'spark_catalog', schema: 's', table: 'T' };
const id = columnOf(['id'], 'integer');
const name = columnOf(['name'], 'string');
const price = columnOf(['price'], 'number');

describe('TableManager', () => {
  it('creates an append-only table with Iceberg defaults', async () => {
    const sql = new RecordingExecutor();
    const tables = new TableManager(sql, 'fail', silent);
    await tables.ensure({ stream: 's-t', table: ref, columns: [id, name], keyColumns: [] });
    await tables.materialize(ref);
    assert.equal(sql.statements.at(-1), 'CREATE TABLE IF NOT EXISTS `spark_catalog`.`s`.`T` (`ID` BIGINT, `NAME` STRING) USING iceberg');
  });

  it('creates schema and table once, then sends no DDL', async () => {
    const sql = new RecordingExecutor();
    const tables = new TableManager(sql, 'fail', silent);
    await tables.ensure({ stream: 's-t', table: ref, columns: [id, name], keyColumns: ['ID'] });
    await tables.materialize(ref);
    await tables.ensure({ stream: 's-t', table: ref, columns: [id, name], keyColumns: ['ID'] });
    await tables.materialize(ref);
    assert.deepEqual(sql.statements, [
      'CREATE SCHEMA IF NOT EXISTS `spark_catalog`.`s`',
      'SHOW TABLES IN `spark_catalog`.`s`',
      "CREATE TABLE IF NOT EXISTS `spark_catalog`.`s`.`T` (`ID` BIGINT, `NAME` STRING) USING iceberg TBLPROPERTIES ('format-version'='2', 'write.merge.mode'='merge-on-read')",
    ]);
  });

  it('columns added before the table is needed go into its one CREATE, with the reason logged', async () => {
    const sql = new RecordingExecutor();
    const lines: string[] = [];
    const log = { ...quietLog, info: (m: string) => lines.push(m) } as never;
    const tables = new TableManager(sql, 'fail', log);
    await tables.ensure({ stream: 's-t', table: ref, columns: [id, name], keyColumns: ['ID'] });
    const fit = await tables.ensure({ stream: 's-t', table: ref, columns: [id, name, price], keyColumns: ['ID'], reason: 'table versions (ACTIVATE_VERSION at line 3)' });
    assert.equal(fit.wholeTable, true);
    await tables.materialize(ref);
    assert.deepEqual(sql.statements.slice(2), ["CREATE TABLE IF NOT EXISTS `spark_catalog`.`s`.`T` (`ID` BIGINT, `NAME` STRING, `PRICE` DOUBLE) USING iceberg TBLPROPERTIES ('format-version'='2', 'write.merge.mode'='merge-on-read')"]);
    assert.deepEqual(lines, ['Creating table `spark_catalog`.`s`.`T` with PRICE for table versions (ACTIVATE_VERSION at line 3)']);
  });

  it('a column of an existing table added for a reason says so', async () => {
    const lines: string[] = [];
    const tables = new TableManager(new RecordingExecutor([['ID', 'bigint'], ['NAME', 'string']]), 'fail', { ...quietLog, info: (m: string) => lines.push(m) } as never);
    await tables.ensure({ stream: 's-t', table: ref, columns: [id, name, price], keyColumns: ['ID'], reason: 'table versions (ACTIVATE_VERSION at line 3)' });
    assert.deepEqual(lines, ['Adding 1 column(s) to `spark_catalog`.`s`.`T` for table versions (ACTIVATE_VERSION at line 3): PRICE']);
  });

  it('a table not created yet whose columns change other than by additions is created first, then altered', async () => {
    const sql = new RecordingExecutor();
    const tables = new TableManager(sql, 'fail', silent);
    await tables.ensure({ stream: 's-t', table: ref, columns: [id, columnOf(['qty'], 'integer'), name], keyColumns: ['ID'] });
    await tables.ensure({ stream: 's-t', table: ref, columns: [id, price], keyColumns: ['ID'] });
    await tables.materialize(ref);
    assert.deepEqual(sql.statements.slice(2), [
      "CREATE TABLE IF NOT EXISTS `spark_catalog`.`s`.`T` (`ID` BIGINT, `QTY` BIGINT, `NAME` STRING) USING iceberg TBLPROPERTIES ('format-version'='2', 'write.merge.mode'='merge-on-read')",
      'ALTER TABLE `spark_catalog`.`s`.`T` ADD COLUMNS (`PRICE` DOUBLE)',
    ]);
  });

  it('defers a new table to its first load, or creates it when something else needs it first', async () => {
    const sql = new RecordingExecutor();
    const tables = new TableManager(sql, 'fail', silent);
    const other = { ...ref, table: 'U' };
    await tables.ensure({ stream: 's-t', table: ref, columns: [id, name], keyColumns: ['ID'] });
    await tables.ensure({ stream: 's-u', table: other, columns: [id], keyColumns: ['ID'] });
    // One listing of the schema for both tables, no CREATE yet.
    assert.deepEqual(sql.statements, ['CREATE SCHEMA IF NOT EXISTS `spark_catalog`.`s`', 'SHOW TABLES IN `spark_catalog`.`s`']);
    assert.deepEqual(tables.takeDeferred(ref), { ref, columns: [id, name], keyed: true, layout: { partition: [], sort: [], properties: { 'format-version': '2', 'write.merge.mode': 'merge-on-read' } }, reasons: [] });
    assert.equal(tables.takeDeferred(ref), undefined);
    // A new layout of U before its first batch that drops a column: U is created, then altered.
    await tables.ensure({ stream: 's-u', table: other, columns: [name], keyColumns: ['ID'] });
    await tables.materializeAll();
    assert.deepEqual(sql.statements.slice(2), [
      "CREATE TABLE IF NOT EXISTS `spark_catalog`.`s`.`U` (`ID` BIGINT) USING iceberg TBLPROPERTIES ('format-version'='2', 'write.merge.mode'='merge-on-read')",
      'ALTER TABLE `spark_catalog`.`s`.`U` ADD COLUMNS (`NAME` STRING)',
    ]);
  });

  it('columns added before the first load go into the deferred columns its CREATE TABLE ... AS SELECT creates, with the reason logged', async () => {
    const sql = new RecordingExecutor();
    const lines: string[] = [];
    const tables = new TableManager(sql, 'fail', { ...quietLog, info: (m: string) => lines.push(m) } as never);
    await tables.ensure({ stream: 's-t', table: ref, columns: [id, name], keyColumns: [] });
    await tables.ensure({ stream: 's-t', table: ref, columns: [id, name, price], keyColumns: [], reason: 'table versions (ACTIVATE_VERSION at line 3)' });
    assert.deepEqual(tables.takeDeferred(ref), { ref, columns: [id, name, price], keyed: false, layout: { partition: [], sort: [], properties: {} }, reasons: ['PRICE for table versions (ACTIVATE_VERSION at line 3)'] });
    assert.equal(sql.statements.length, 2);
    assert.deepEqual(lines, ['Creating table `spark_catalog`.`s`.`T` with PRICE for table versions (ACTIVATE_VERSION at line 3)']);
  });

  it('adds all new columns in one statement and widens int columns', async () => {
    const sql = new RecordingExecutor([['id', 'int'], ['NAME', 'string']]);
    const tables = new TableManager(sql, 'fail', silent);
    const loaded = await tables.ensure({ stream: 's-t', table: ref, columns: [id, name, price, columnOf(['qty'], 'integer')], keyColumns: ['ID'] });
    assert.deepEqual(sql.statements.slice(3), [
      'ALTER TABLE `spark_catalog`.`s`.`T` ALTER COLUMN `ID` TYPE BIGINT',
      'ALTER TABLE `spark_catalog`.`s`.`T` ADD COLUMNS (`PRICE` DOUBLE, `QTY` BIGINT)',
    ]);
    assert.deepEqual(loaded.columns.map((c) => c.tableType), ['BIGINT', 'string', 'DOUBLE', 'BIGINT']);
    assert.equal(loaded.wholeTable, true);
  });

  it('says whether the table has exactly the requested columns', async () => {
    const tables = new TableManager(new RecordingExecutor([['ID', 'bigint'], ['NAME', 'string'], ['OLD', 'string']]), 'fail', silent);
    assert.equal((await tables.ensure({ stream: 's-t', table: ref, columns: [id, name], keyColumns: ['ID'] })).wholeTable, false);
    const created = new TableManager(new RecordingExecutor(), 'fail', silent);
    assert.equal((await created.ensure({ stream: 's-t', table: ref, columns: [id, name], keyColumns: ['ID'] })).wholeTable, true);
    // A renamed column stays in the table beside its new namesake.
    const renamed = new TableManager(new RecordingExecutor([['ID', 'bigint'], ['PRICE', 'bigint']]), 'rename', silent);
    assert.equal((await renamed.ensure({ stream: 's-t', table: ref, columns: [id, price], keyColumns: ['ID'] })).wholeTable, false);
  });

  it('casts into a text column instead of changing it', async () => {
    const sql = new RecordingExecutor([['ID', 'bigint'], ['PRICE', 'string']]);
    const loaded = await new TableManager(sql, 'fail', silent).ensure({ stream: 's-t', table: ref, columns: [id, price], keyColumns: ['ID'] });
    assert.equal(sql.statements.length, 3);
    assert.equal(loaded.columns[1]?.tableType, 'string');
  });

  it('fails on a type change it cannot apply, naming stream, column and types', async () => {
    const sql = new RecordingExecutor([['ID', 'bigint'], ['PRICE', 'bigint']]);
    await assert.rejects(
      new TableManager(sql, 'fail', silent).ensure({ stream: 'shop-t', table: ref, columns: [id, price], keyColumns: ['ID'] }),
      (e: Error) => e instanceof SchemaEvolutionError && /Stream 'shop-t': column PRICE of `spark_catalog`.`s`.`T` is BIGINT but the schema now makes it DOUBLE/.test(e.message),
    );
  });

  it("with 'rename', moves the old column aside and adds the new one; never a key column", async () => {
    const sql = new RecordingExecutor([['ID', 'bigint'], ['PRICE', 'bigint']]);
    await new TableManager(sql, 'rename', silent).ensure({ stream: 's-t', table: ref, columns: [id, price], keyColumns: ['ID'] });
    assert.deepEqual(sql.statements.slice(3), [
      'ALTER TABLE `spark_catalog`.`s`.`T` RENAME COLUMN `PRICE` TO `PRICE__BIGINT`',
      'ALTER TABLE `spark_catalog`.`s`.`T` ADD COLUMNS (`PRICE` DOUBLE)',
    ]);
    const idAsNumber = columnOf(['id'], 'number');
    await assert.rejects(
      new TableManager(new RecordingExecutor([['ID', 'bigint']]), 'rename', silent).ensure({ stream: 's-t', table: ref, columns: [idAsNumber], keyColumns: ['ID'] }),
      /key column, so it is never renamed/,
    );
  });
});

describe('TableManager with table layout settings', () => {
  const settings = {
    partition_by: { 's-t': [{ column: 'ts', transform: 'day' }, { column: 'id', transform: 'bucket[16]' }] },
    sort_by: { 's-t': [{ column: 'id', direction: 'desc' }] },
    table_properties: { '*': { 'write.target-file-size-bytes': 1048576 } },
  };
  const ts = columnOf(['ts'], 'timestamp');

  it('creates a new table with its partition spec and properties, then its sort order, and says so', async () => {
    const sql = new RecordingExecutor();
    const lines: string[] = [];
    const tables = new TableManager(sql, 'fail', { ...quietLog, info: (m: string) => lines.push(m) } as never, (stream) => streamLayoutFor(stream, settings));
    await tables.ensure({ stream: 's-t', table: ref, columns: [id, ts], keyColumns: ['ID'] });
    await tables.materialize(ref);
    assert.deepEqual(sql.statements.slice(2), [
      "CREATE TABLE IF NOT EXISTS `spark_catalog`.`s`.`T` (`ID` BIGINT, `TS` TIMESTAMP) USING iceberg PARTITIONED BY (days(`TS`), bucket(16, `ID`)) " +
        "TBLPROPERTIES ('format-version'='2', 'write.merge.mode'='merge-on-read', 'write.target-file-size-bytes'='1048576')",
      'ALTER TABLE `spark_catalog`.`s`.`T` WRITE ORDERED BY `ID` DESC NULLS LAST',
    ]);
    assert.deepEqual(lines, ['Creating table `spark_catalog`.`s`.`T` partitioned by days(`TS`), bucket(16, `ID`), sorted by ID DESC NULLS LAST']);
  });

  it('evolves an existing table to the settings: partition fields, sort order, properties, one INFO line each', async () => {
    const statements: string[] = [];
    const sql: SqlExecutor = {
      async query(text: string): Promise<Row[]> {
        statements.push(text);
        if (text.startsWith('SHOW TABLES')) return [{ tableName: 't', isTemporary: false }];
        if (text.startsWith('DESCRIBE'))
          return describeRows(
            [
              ['ID', 'bigint'],
              ['TS', 'timestamp'],
            ],
            ['hours(TS)', 'bucket(16, ID)'],
          );
        if (text.startsWith('SHOW TBLPROPERTIES')) return [{ key: 'format-version', value: '2' }, { key: 'write.target-file-size-bytes', value: '536870912' }];
        return [];
      },
      async close() {},
    };
    const lines: string[] = [];
    const tables = new TableManager(sql, 'fail', { ...quietLog, info: (m: string) => lines.push(m) } as never, (stream) => streamLayoutFor(stream, settings));
    await tables.ensure({ stream: 's-t', table: ref, columns: [id, ts], keyColumns: ['ID'] });
    assert.deepEqual(statements.slice(4), [
      'ALTER TABLE `spark_catalog`.`s`.`T` DROP PARTITION FIELD hours(`TS`)',
      'ALTER TABLE `spark_catalog`.`s`.`T` ADD PARTITION FIELD days(`TS`)',
      'ALTER TABLE `spark_catalog`.`s`.`T` WRITE ORDERED BY `ID` DESC NULLS LAST',
      "ALTER TABLE `spark_catalog`.`s`.`T` SET TBLPROPERTIES ('write.target-file-size-bytes'='1048576')",
    ]);
    assert.deepEqual(lines, [
      "Stream 's-t': dropped partition field hours(`TS`) of `spark_catalog`.`s`.`T` (partition_by)",
      "Stream 's-t': added partition field days(`TS`) to `spark_catalog`.`s`.`T` (partition_by)",
      "Stream 's-t': sort order of `spark_catalog`.`s`.`T` set to ID DESC NULLS LAST (was none) (sort_by)",
      "Stream 's-t': set table properties of `spark_catalog`.`s`.`T`: write.target-file-size-bytes=1048576 (was 536870912) (table_properties)",
    ]);
    // The table is read once per run: a second SCHEMA changes nothing.
    await tables.ensure({ stream: 's-t', table: ref, columns: [id, ts], keyColumns: ['ID'] });
    assert.equal(statements.length, 8);
  });

  it('leaves an existing table alone when no layout setting selects its stream', async () => {
    const sql = new RecordingExecutor([['ID', 'bigint']]);
    await new TableManager(sql, 'fail', silent, (stream) => streamLayoutFor(stream, { partition_by: { other: [] } })).ensure({ stream: 's-t', table: ref, columns: [id], keyColumns: ['ID'] });
    assert.deepEqual(sql.statements.slice(2), ['DESCRIBE TABLE `spark_catalog`.`s`.`T`']);
  });
});
