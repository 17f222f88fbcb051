import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureLakehouse } from '../../lakehouse/index.js';
import { startThriftProxy, type ThriftProxy } from '../../bench/thrift-proxy.js';
import { HiveServer2Executor, returnsNoRows } from '../../src/spark/hiveserver2-executor.js';
import { LoadError } from '../../src/errors.js';

/**
 * The executor against the real Spark Thrift Server, through a proxy that counts the thrift calls:
 * how many requests a statement costs, and that the statement deadline and errors still hold.
 */
describe('HiveServer2 executor on the local lakehouse', () => {
  let proxy: ThriftProxy;
  let settings: ConstructorParameters<typeof HiveServer2Executor>[0];

  before(async () => {
    const lakehouse = await ensureLakehouse();
    proxy = await startThriftProxy({ host: lakehouse.host, port: lakehouse.port });
    settings = { ...lakehouse, port: proxy.port, tls_verify: false };
  });
  after(() => proxy.close());

  /** The thrift calls `work` made, by method. */
  async function callsOf(work: () => Promise<unknown>): Promise<Record<string, number>> {
    const before = new Map(proxy.traffic.methods);
    await work();
    const calls: Record<string, number> = {};
    for (const [method, n] of proxy.traffic.methods) if (n > (before.get(method) ?? 0)) calls[method] = n - (before.get(method) ?? 0);
    return calls;
  }

  test('a command costs execute, one status poll and close; a query also fetches its rows', async () => {
    const sql = new HiveServer2Executor(settings);
    try {
      await sql.query('SELECT 1'); // opens the session
      const view = await callsOf(() => sql.query("CREATE OR REPLACE TEMPORARY VIEW executor_probe AS SELECT 'a' AS x"));
      assert.deepEqual(view, { ExecuteStatement: 1, GetOperationStatus: 1, CloseOperation: 1 });
      let rows: unknown;
      const select = await callsOf(async () => (rows = await sql.query('SELECT x FROM executor_probe')));
      assert.deepEqual(rows, [{ x: 'a' }]);
      assert.equal(select.ExecuteStatement, 1);
      assert.equal(select.FetchResults! >= 1, true, 'a query fetches its rows');
      assert.deepEqual(await sql.query('DROP VIEW executor_probe'), []);
    } finally {
      await sql.close();
    }
  });

  test('results of any size arrive whole: empty, exactly one batch, several batches', async () => {
    const sql = new HiveServer2Executor(settings);
    try {
      for (const n of [0, 1, 10_000, 25_001]) {
        const rows = await sql.query(`SELECT id FROM range(0, ${n})`);
        assert.equal(rows.length, n);
        assert.deepEqual(rows.at(-1), n === 0 ? undefined : { id: n - 1 });
      }
    } finally {
      await sql.close();
    }
  });

  test('a statement that outlasts several long polls is waited for without extra requests', async () => {
    const sql = new HiveServer2Executor(settings);
    try {
      await sql.query('SELECT 1');
      const started = Date.now();
      let rows: unknown;
      // 12 s of server-side work; the server holds each status poll up to 5 s.
      const calls = await callsOf(async () => (rows = await sql.query("SELECT 'done' AS status, reflect('java.lang.Thread', 'sleep', 12000L) AS slept")));
      assert.deepEqual((rows as Array<{ status: string }>).map((r) => r.status), ['done']);
      const held = Math.ceil((Date.now() - started) / 5000);
      assert.equal(calls.GetOperationStatus! <= held, true, `${calls.GetOperationStatus} status polls for ${held} long polls`);
    } finally {
      await sql.close();
    }
  });

  test('a statement past statement_timeout_seconds is cancelled, and the session goes on', async () => {
    const sql = new HiveServer2Executor({ ...settings, statement_timeout_seconds: 2 });
    try {
      await sql.query('SELECT 1');
      await assert.rejects(
        sql.query("SELECT reflect('java.lang.Thread', 'sleep', 60000L) AS slept"),
        (e: unknown) => e instanceof LoadError && /Statement still running after 2 s \(statement_timeout_seconds\); cancelled it/.test(e.message),
      );
      assert.deepEqual(await sql.query('SELECT 2 AS two'), [{ two: 2 }]);
    } finally {
      await sql.close();
    }
  });

  test("a failing command reports the server's reason", async () => {
    const sql = new HiveServer2Executor(settings);
    try {
      await assert.rejects(sql.query('DROP TABLE spark_catalog.no_such_schema_here.no_such_table'), (e: unknown) =>
        e instanceof LoadError && /^Statement failed on the lakehouse: .*(not found|cannot be found|NOT_FOUND)/is.test(e.message),
      );
    } finally {
      await sql.close();
    }
  });
});

test('only commands known to return no rows skip the fetch', () => {
  for (const sql of ['MERGE INTO t USING s ON …', 'insert into t values (1)', 'CREATE TABLE t (a INT)', ' DROP VIEW v', 'ALTER TABLE t ADD COLUMNS (b INT)', 'DELETE FROM t', 'UPDATE t SET a = 1', 'RESET spark.sql.optimizer.excludedRules']) {
    assert.equal(returnsNoRows(sql), true, sql);
  }
  for (const sql of ['SELECT 1', 'SHOW TABLES IN s', 'DESCRIBE TABLE t', 'SET a=b', 'EXPLAIN MERGE INTO t', 'WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x', '-- c\nINSERT INTO t VALUES (1)']) {
    assert.equal(returnsNoRows(sql), false, sql);
  }
});
