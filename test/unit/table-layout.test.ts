import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/config.js';
import { SchemaEvolutionError } from '../../src/errors.js';
import { planLayoutChanges, readPartitionSpec } from '../../src/loading/layout-changes.js';
import { columnOf } from '../../src/schema/columns.js';
import { METADATA_COLUMNS } from '../../src/schema/metadata.js';
import { layoutColumnProblem, newTableLayout, parseTransform, partitionFieldsFor, streamLayoutFor, withTableNames } from '../../src/schema/table-layout.js';
import {
  addPartitionField,
  afterCreate,
  createClauses,
  describedPartitioning,
  dropPartitionField,
  parsePartitionExpression,
  partitionExpression,
  setTableProperties,
  sortOrderText,
  writeOrderedBy,
} from '../../src/sql/layout.js';
import { createTable } from '../../src/sql/statements.js';
import { describeRows } from '../support/describe-rows.js';

const minimal = { host: 'h', lakehouse: 'lh', user: 'me', token: 'token-123456', s3_bucket: 'bkt', default_target_schema: 'singer' };
const ref = { catalog: 'spark_catalog', schema: 's', table: 'ORDERS' };

function problemsOf(settings: Record<string, unknown>): string {
  try {
    resolveConfig({ ...minimal, ...settings });
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('layout settings read from the configuration', () => {
  it('reads transforms as Iceberg spells them, any case, Spark plurals too', () => {
    assert.deepEqual(parseTransform('day'), { kind: 'day' });
    assert.deepEqual(parseTransform('HOURS'), { kind: 'hour' });
    assert.deepEqual(parseTransform('bucket[16]'), { kind: 'bucket', buckets: 16 });
    assert.deepEqual(parseTransform('truncate[4]'), { kind: 'truncate', width: 4 });
  });

  it('refuses a bad spec when the configuration is read, one line naming setting, stream and entry', () => {
    assert.equal(
      problemsOf({ partition_by: { orders: [{ column: 'id', transform: 'bucket[0]' }] } }),
      "Invalid configuration: 'partition_by.orders[0].transform' 'bucket[0]' needs a bucket count from 1 to 2147483647",
    );
    assert.equal(
      problemsOf({ partition_by: { orders: [{ column: 'id', transform: 'week' }] } }),
      "Invalid configuration: 'partition_by.orders[0].transform' 'week' is not a partition transform; use identity, year, month, day, hour, bucket[N] or truncate[W] (N, W whole numbers from 1 to 2147483647)",
    );
    assert.equal(
      problemsOf({ partition_by: { orders: [{ column: 'name', transform: 'truncate[1.5]' }] } }),
      "Invalid configuration: 'partition_by.orders[0].transform' 'truncate[1.5]' is not a partition transform; use identity, year, month, day, hour, bucket[N] or truncate[W] (N, W whole numbers from 1 to 2147483647)",
    );
    assert.equal(problemsOf({ partition_by: { orders: 'id' } }), `Invalid configuration: 'partition_by.orders' must be a list of columns, e.g. [{"column": "_sdc_extracted_at", "transform": "day"}]`);
    assert.equal(
      problemsOf({ partition_by: { orders: [{ column: 'ts', transform: 'day' }, { column: 'ts', transform: 'hour' }] } }),
      "Invalid configuration: 'partition_by.orders' partitions column 'ts' twice by the same kind of transform; Iceberg allows one",
    );
    assert.equal(problemsOf({ sort_by: { '*': [{ column: 'id', direction: 'down' }] } }), `Invalid configuration: 'sort_by.*[0].direction' must be "asc" or "desc", got "down"`);
    assert.equal(problemsOf({ sort_by: { '*': [{ col: 'id' }] } }).split('\n')[0], 'Invalid configuration (2 problems):');
    assert.equal(problemsOf({ table_properties: { '*': { 'sort-order': 'id' } } }), "Invalid configuration: 'table_properties.*.sort-order' is kept by Spark or Iceberg and cannot be set; use sort_by");
    assert.equal(problemsOf({ table_properties: { '*': { 'write.x': [1] } } }), "Invalid configuration: 'table_properties.*.write.x' must be text, a number or a boolean, got [1]");
    assert.equal(problemsOf({ partition_by: { orders: ['id', { column: '_sdc_extracted_at', transform: 'day' }] }, sort_by: { '*': ['id'] }, table_properties: { '*': { a: 1 } } }), '');
  });

  it('selects streams as stream maps do: the exact name wins, later patterns over earlier ones; properties merge', () => {
    const config = {
      partition_by: { 'public-*': ['a'], 'public-o*': ['b'], 'public-orders': [{ column: 'c', transform: 'month' }] },
      sort_by: { '*': ['k'] },
      table_properties: { 'public-orders': { x: '2' }, '*': { x: '1', y: true } },
    };
    assert.deepEqual(streamLayoutFor('public-orders', config), {
      partition: [{ column: 'c', transform: { kind: 'month' } }],
      sort: [{ column: 'k', direction: 'asc', nulls: 'first' }],
      properties: { x: '2', y: 'true' },
    });
    assert.deepEqual(partitionFieldsFor('public-other', config), [{ column: 'b', transform: { kind: 'identity' } }]);
    assert.deepEqual(streamLayoutFor('crm-x', { partition_by: { 'public-*': ['a'] } }), { properties: {} });
  });

  it('a new table gets the target defaults under the settings (keyed: format 2, merge-on-read; no sort unless chosen)', () => {
    assert.deepEqual(newTableLayout({ properties: {} }, ['ID']), { partition: [], sort: [], properties: { 'format-version': '2', 'write.merge.mode': 'merge-on-read' } });
    assert.deepEqual(newTableLayout({ properties: { 'write.merge.mode': 'copy-on-write' } }, ['ID']).properties, { 'format-version': '2', 'write.merge.mode': 'copy-on-write' });
    assert.deepEqual(newTableLayout({ properties: {} }, []).properties, {});
  });

  it('checks columns and transform types against the SCHEMA, one line naming stream and setting', () => {
    const columns = [columnOf(['id'], 'integer'), columnOf(['name'], 'string'), columnOf(['amount'], 'number')];
    const layout = (settings: Record<string, unknown>) => streamLayoutFor('orders', settings);
    assert.equal(
      layoutColumnProblem('orders', layout({ partition_by: { orders: [{ column: '_sdc_extracted_at', transform: 'day' }] } }), columns),
      "Stream 'orders': 'partition_by' names column '_sdc_extracted_at', which the stream's schema does not give (columns: ID, NAME, AMOUNT); " +
        "metadata columns exist only with 'add_metadata_columns' (or 'hard_delete') true; fix the setting or the tap's schema",
    );
    assert.equal(layoutColumnProblem('orders', layout({ partition_by: { orders: [{ column: '_sdc_extracted_at', transform: 'day' }] } }), [...columns, ...METADATA_COLUMNS]), undefined);
    assert.equal(
      layoutColumnProblem('orders', layout({ partition_by: { orders: [{ column: 'name', transform: 'day' }] } }), columns),
      "Stream 'orders': 'partition_by' transform day of column 'NAME' needs a TIMESTAMP or DATE column, and the column is STRING; choose another transform or column",
    );
    assert.equal(
      layoutColumnProblem('orders', layout({ partition_by: { orders: [{ column: 'amount', transform: 'bucket[4]' }] } }), columns),
      "Stream 'orders': 'partition_by' transform bucket[4] of column 'AMOUNT' cannot hash a DOUBLE or BOOLEAN column, and the column is DOUBLE; choose another transform or column",
    );
    assert.equal(
      layoutColumnProblem('orders', layout({ sort_by: { '*': ['missing'] } }), columns),
      "Stream 'orders': 'sort_by' names column 'missing', which the stream's schema does not give (columns: ID, NAME, AMOUNT); fix the setting or the tap's schema",
    );
    assert.equal(layoutColumnProblem('orders', layout({ partition_by: { orders: [{ column: 'Name', transform: 'truncate[2]' }] }, sort_by: { '*': ['iD'] } }), columns), undefined);
  });
});

describe('layout SQL builders (exact text)', () => {
  const fields = withTableNames(
    streamLayoutFor('o', {
      partition_by: { o: [{ column: '_sdc_extracted_at', transform: 'day' }, { column: 'id', transform: 'bucket[16]' }, { column: 'name', transform: 'truncate[4]' }, 'odd`col', { column: 'ts', transform: 'year' }] },
      sort_by: { o: ['id', { column: 'ts', direction: 'desc' }, { column: 'name', nulls: 'last' }] },
    }),
    ['_SDC_EXTRACTED_AT', 'ID', 'NAME', 'ODD`COL', 'TS'],
  );

  it('partition fields, PARTITIONED BY and TBLPROPERTIES clauses, identifiers quoted', () => {
    assert.deepEqual(fields.partition!.map(partitionExpression), ['days(`_SDC_EXTRACTED_AT`)', 'bucket(16, `ID`)', 'truncate(4, `NAME`)', '`ODD``COL`', 'years(`TS`)']);
    assert.equal(
      createClauses({ partition: fields.partition!.slice(0, 2), properties: { 'format-version': '2', "it's": 'a\\b' } }),
      " PARTITIONED BY (days(`_SDC_EXTRACTED_AT`), bucket(16, `ID`)) TBLPROPERTIES ('format-version'='2', 'it\\'s'='a\\\\b')",
    );
    assert.equal(createClauses({ partition: [], properties: {} }), '');
    assert.equal(
      createTable(ref, [{ name: 'ID', type: 'BIGINT' }], true, { partition: [fields.partition![1]!], sort: [], properties: {} }),
      'CREATE TABLE IF NOT EXISTS `spark_catalog`.`s`.`ORDERS` (`ID` BIGINT) USING iceberg PARTITIONED BY (bucket(16, `ID`))',
    );
  });

  it('transform arguments must be whole numbers', () => {
    assert.throws(() => partitionExpression({ column: 'ID', transform: { kind: 'bucket', buckets: 0 } }), /whole number from 1/);
    assert.throws(() => partitionExpression({ column: 'ID', transform: { kind: 'truncate', width: 2.5 } }), /whole number from 1/);
  });

  it('ALTER TABLE statements for partition fields, sort order and properties', () => {
    assert.equal(addPartitionField(ref, fields.partition![1]!), 'ALTER TABLE `spark_catalog`.`s`.`ORDERS` ADD PARTITION FIELD bucket(16, `ID`)');
    assert.equal(dropPartitionField(ref, fields.partition![0]!), 'ALTER TABLE `spark_catalog`.`s`.`ORDERS` DROP PARTITION FIELD days(`_SDC_EXTRACTED_AT`)');
    assert.equal(writeOrderedBy(ref, fields.sort!), 'ALTER TABLE `spark_catalog`.`s`.`ORDERS` WRITE ORDERED BY `ID` ASC NULLS FIRST, `TS` DESC NULLS LAST, `NAME` ASC NULLS LAST');
    assert.equal(writeOrderedBy(ref, []), 'ALTER TABLE `spark_catalog`.`s`.`ORDERS` WRITE UNORDERED');
    assert.equal(setTableProperties(ref, { 'write.target-file-size-bytes': '1' }), "ALTER TABLE `spark_catalog`.`s`.`ORDERS` SET TBLPROPERTIES ('write.target-file-size-bytes'='1')");
    assert.equal(sortOrderText(fields.sort!), 'ID ASC NULLS FIRST, TS DESC NULLS LAST, NAME ASC NULLS LAST');
  });

  it('reads partition fields back as Spark describes them', () => {
    assert.deepEqual(
      describedPartitioning(describeRows([['ID', 'bigint']], ['days(`Odd col`)', 'truncate(4, `a``b`)', 'bucket(8, ID)', 'void(X)', 'C'])),
      [
        { column: 'Odd col', transform: { kind: 'day' } },
        { column: 'a`b', transform: { kind: 'truncate', width: 4 } },
        { column: 'ID', transform: { kind: 'bucket', buckets: 8 } },
        { column: 'C', transform: { kind: 'identity' } },
      ],
    );
    assert.deepEqual(parsePartitionExpression('`days(x)`'), { column: 'days(x)', transform: { kind: 'identity' } });
  });

  it('reads identity-only partition fields from the section Spark prints for them', () => {
    // Spark 3.5 describes a spec of identity fields only Hive-style (read back from the local lakehouse).
    const rows = [
      { col_name: 'ID', data_type: 'bigint', comment: null },
      { col_name: 'KIND', data_type: 'string', comment: null },
      { col_name: '# Partition Information', data_type: '', comment: '' },
      { col_name: '# col_name', data_type: 'data_type', comment: 'comment' },
      { col_name: 'KIND', data_type: 'string', comment: null },
      { col_name: '# of items', data_type: 'bigint', comment: null },
      { col_name: '', data_type: '', comment: '' },
      { col_name: '# Metadata Columns', data_type: '', comment: '' },
      { col_name: '_spec_id', data_type: 'int', comment: '' },
    ];
    assert.deepEqual(describedPartitioning(rows), [
      { column: 'KIND', transform: { kind: 'identity' } },
      { column: '# of items', transform: { kind: 'identity' } },
    ]);
  });

  it("reads a table's partition spec with one DESCRIBE TABLE", async () => {
    const sent: string[] = [];
    const sql = { query: async (text: string) => (sent.push(text), describeRows([['ID', 'bigint']], ['bucket(8, ID)'])), close: async () => undefined };
    assert.deepEqual(await readPartitionSpec(sql, ref), [{ column: 'ID', transform: { kind: 'bucket', buckets: 8 } }]);
    assert.deepEqual(sent, ['DESCRIBE TABLE `spark_catalog`.`s`.`ORDERS`']);
  });
});

describe('layout changes of an existing table', () => {
  const wanted = withTableNames(streamLayoutFor('o', { partition_by: { o: [{ column: 'ts', transform: 'day' }, 'region'] }, table_properties: { o: { 'format-version': 2 } } }), ['TS', 'REGION']);

  it('nothing to do when the table already has the layout', () => {
    const current = { partition: [{ column: 'TS', transform: { kind: 'day' as const } }, { column: 'REGION', transform: { kind: 'identity' as const } }], properties: new Map([['format-version', '2']]) };
    assert.deepEqual(planLayoutChanges(ref, 'o', wanted, current), { changes: [], warnings: [] });
  });

  it('partition fields in another order are kept, with one warning', () => {
    const current = { partition: [{ column: 'REGION', transform: { kind: 'identity' as const } }, { column: 'ts', transform: { kind: 'day' as const } }], properties: new Map([['format-version', '2']]) };
    assert.deepEqual(planLayoutChanges(ref, 'o', wanted, current), {
      changes: [],
      warnings: [
        "Stream 'o': the partition fields of `spark_catalog`.`s`.`ORDERS` are in another order than 'partition_by' lists them; Iceberg cannot reorder partition fields in place, so their order is kept",
      ],
    });
  });

  it('refuses to lower the format version, in one line', () => {
    assert.throws(
      () => planLayoutChanges(ref, 'o', { properties: { 'format-version': '1' } }, { partition: [], properties: new Map([['format-version', '2']]) }),
      (e: Error) =>
        e instanceof SchemaEvolutionError &&
        e.message ===
          "Stream 'o': 'table_properties' sets format-version 1, but `spark_catalog`.`s`.`ORDERS` is at format version 2 and Iceberg cannot lower it; remove the property or set it to 2 or higher",
    );
  });

  it('a new sort order resets the distribution mode Iceberg sets with it; a chosen one is set again', () => {
    const plan = planLayoutChanges(
      ref,
      'o',
      { sort: [], properties: { 'write.distribution-mode': 'hash' } },
      { partition: [], properties: new Map([['sort-order', 'ID ASC NULLS FIRST'], ['write.distribution-mode', 'hash']]) },
    );
    assert.deepEqual(
      plan.changes.map((c) => c.statement),
      ['ALTER TABLE `spark_catalog`.`s`.`ORDERS` WRITE UNORDERED', "ALTER TABLE `spark_catalog`.`s`.`ORDERS` SET TBLPROPERTIES ('write.distribution-mode'='hash')"],
    );
    assert.deepEqual(afterCreate(ref, { partition: [], sort: [{ column: 'ID', direction: 'asc', nulls: 'first' }], properties: { 'write.distribution-mode': 'none' } }), [
      'ALTER TABLE `spark_catalog`.`s`.`ORDERS` WRITE ORDERED BY `ID` ASC NULLS FIRST',
      "ALTER TABLE `spark_catalog`.`s`.`ORDERS` SET TBLPROPERTIES ('write.distribution-mode'='none')",
    ]);
    assert.deepEqual(afterCreate(ref, { partition: [], sort: [], properties: {} }), []);
  });
});
