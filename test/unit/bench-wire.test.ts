import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { flushStats, loadTableOf, steadyFlushes, type StatementRecord } from '../../bench/flush-stats.js';
import { NullLakehouse, columnDefs, splitName, tableKey } from '../../bench/null-lakehouse.js';
import { decodeExecuteReply, decodeThriftCall } from '../../bench/thrift-messages.js';

// A minimal thrift binary-protocol writer, to build the messages the decoder reads.
type Field = [id: number, value: Buffer | string | Field[]];
function struct(fields: Field[]): Buffer {
  const parts = fields.map(([id, value]) => {
    const head = Buffer.alloc(3);
    const isStruct = Array.isArray(value);
    head.writeUInt8(isStruct ? 12 : 11, 0);
    head.writeInt16BE(id, 1);
    if (isStruct) return Buffer.concat([head, struct(value)]);
    const bytes = typeof value === 'string' ? Buffer.from(value) : value;
    const length = Buffer.alloc(4);
    length.writeInt32BE(bytes.length);
    return Buffer.concat([head, length, bytes]);
  });
  return Buffer.concat([...parts, Buffer.from([0])]);
}
function message(method: string, type: number, body: Field[]): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE((0x80010000 | type) >>> 0);
  const name = Buffer.alloc(4);
  name.writeInt32BE(method.length);
  return Buffer.concat([header, name, Buffer.from(method), Buffer.alloc(4), struct(body)]);
}
const guid = (n: number) => Buffer.alloc(16, n);
const handle = (n: number): Field[] => [[1, [[1, guid(n)], [2, guid(99)]]]];

describe('thrift calls by handle', () => {
  it('reads the statement and the session of ExecuteStatement', () => {
    const call = decodeThriftCall(message('ExecuteStatement', 1, [[1, [[1, handle(7)], [2, 'MERGE INTO t']]]]));
    assert.deepEqual(call, { method: 'ExecuteStatement', handle: guid(7).toString('hex'), statement: 'MERGE INTO t' });
  });

  it('reads the operation of a status poll and of the reply to ExecuteStatement', () => {
    assert.equal(decodeThriftCall(message('GetOperationStatus', 1, [[1, [[1, handle(3)]]]]))?.handle, guid(3).toString('hex'));
    const reply = message('ExecuteStatement', 2, [[0, [[1, []], [2, handle(5)]]]]);
    assert.equal(decodeExecuteReply(reply), guid(5).toString('hex'));
    assert.equal(decodeExecuteReply(message('FetchResults', 2, [[0, []]])), undefined);
    assert.equal(decodeExecuteReply(Buffer.from('not thrift')), undefined);
  });
});

describe('steady-state flushes', () => {
  const s = (session: string, kind: string, calls = 2, loadTable?: string): StatementRecord => ({ session, kind, calls, ...(loadTable ? { loadTable } : {}) });

  it('names the table a load statement loads', () => {
    assert.equal(loadTableOf('MERGE INTO `c`.`s`.`T` t USING (...)'), '`c`.`s`.`T`');
    assert.equal(loadTableOf('INSERT OVERWRITE `c`.`s`.`T` (`A`) SELECT 1'), '`c`.`s`.`T`');
    assert.equal(loadTableOf('INSERT INTO TABLE db.t SELECT 1'), 'db.t');
    assert.equal(loadTableOf('CREATE OR REPLACE TEMPORARY VIEW `v`'), undefined);
  });

  it('counts per session between loads, leaving out first loads and per-run DDL', () => {
    const log = [
      s('a', 'SET', 3),
      s('a', 'CREATE TABLE', 3),
      s('a', 'CREATE OR REPLACE TEMPORARY VIEW'),
      s('b', 'CREATE OR REPLACE TEMPORARY VIEW'),
      s('a', 'MERGE INTO', 6, 'T1'),
      s('b', 'MERGE INTO', 6, 'T2'),
      s('a', 'DROP VIEW'),
      s('a', 'CREATE OR REPLACE TEMPORARY VIEW'),
      s('b', 'DROP VIEW'),
      s('a', 'MERGE INTO', 8, 'T2'),
      s('b', 'CREATE OR REPLACE TEMPORARY VIEW'),
      s('b', 'MERGE INTO', 4, 'T1'),
    ];
    const flushes = steadyFlushes(log);
    assert.deepEqual(flushes.map((f) => f.map((r) => r.kind)), [
      ['DROP VIEW', 'CREATE OR REPLACE TEMPORARY VIEW', 'MERGE INTO'],
      ['DROP VIEW', 'CREATE OR REPLACE TEMPORARY VIEW', 'MERGE INTO'],
    ]);
    assert.deepEqual(flushStats(log), { flushes: 2, statements: 3, calls: 10, callsPerStatement: 20 / 6, shape: 'CREATE OR REPLACE TEMPORARY VIEW + DROP VIEW + MERGE INTO' });
  });

  it('has nothing to say when every table was loaded once', () => {
    assert.equal(flushStats([s('a', 'MERGE INTO', 3, 'T1'), s('a', 'MERGE INTO', 3, 'T2')]), undefined);
  });
});

describe('no-op lakehouse', () => {
  it('splits column lists at top-level commas only', () => {
    const sql = 'CREATE TABLE x (`A`` (b, c)` DECIMAL(38,9), `B` STRUCT<x:INT,y:INT>, `C` STRING) USING iceberg';
    assert.deepEqual(columnDefs(sql, sql.indexOf('(') + 1), [
      { name: 'A` (b, c)', type: 'DECIMAL(38,9)' },
      { name: 'B', type: 'STRUCT<x:INT,y:INT>' },
      { name: 'C', type: 'STRING' },
    ]);
    assert.deepEqual(splitName('`cat`.`s.x`.T'), ['cat', 's.x', 'T']);
    assert.equal(tableKey('`Cat`.`S`.`T`'), 'cat.s.t');
  });

  it('answers what the table manager asks after CREATE and ALTER, and logs every statement', async () => {
    const lake = new NullLakehouse();
    const sql = lake.connect();
    assert.deepEqual(await sql.query('SHOW TABLES IN `c`.`s`'), []);
    await sql.query('CREATE TABLE IF NOT EXISTS `c`.`s`.`T` (`ID` BIGINT, `V` STRING) USING iceberg');
    await sql.query('ALTER TABLE `c`.`s`.`T` ADD COLUMNS (`W` DOUBLE)');
    await sql.query('ALTER TABLE `c`.`s`.`T` ALTER COLUMN `V` TYPE DECIMAL(38,9)');
    await sql.query('ALTER TABLE `c`.`s`.`T` RENAME COLUMN `W` TO `W2`');
    assert.deepEqual(await sql.query('SHOW TABLES IN `c`.`s`'), [{ namespace: '', tableName: 't', isTemporary: false }]);
    assert.deepEqual(
      (await sql.query('DESCRIBE TABLE `c`.`s`.`T`')).map((r) => [r.col_name, r.data_type]),
      [['ID', 'BIGINT'], ['V', 'DECIMAL(38,9)'], ['W2', 'DOUBLE']],
    );
    assert.deepEqual(await sql.query('MERGE INTO `c`.`s`.`T` t USING (SELECT 1) s ON false WHEN NOT MATCHED THEN INSERT *'), []);
    await assert.rejects(sql.query('DESCRIBE TABLE `c`.`s`.`U`'), /TABLE_OR_VIEW_NOT_FOUND/);
    assert.equal(lake.log.length, 9);
    assert.equal(lake.log[7]?.loadTable, '`c`.`s`.`T`');
  });
});
