import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { LoadError, TransientError } from '../../src/errors.js';
import { BatchLoader } from '../../src/loading/batch-loader.js';
import type { Logger } from '../../src/logging.js';
import type { Column } from '../../src/schema/columns.js';
import { ExecutorPool } from '../../src/spark/executor-pool.js';
import type { Row, SqlExecutor } from '../../src/spark/executor.js';
import { WIDE_MERGE_COLUMNS } from '../../src/sql/statements.js';
import type { ObjectStore } from '../../src/storage/object-store.js';

/** A session that records what it is sent and refuses the statements that start with one of `refuse`. */
class Session implements SqlExecutor {
  readonly sent: string[] = [];
  constructor(
    private readonly fields: Row[],
    private readonly refuse: readonly string[],
  ) {}
  async query(sql: string): Promise<Row[]> {
    const head = sql.split(' ', 2).join(' ');
    this.sent.push(head);
    if (this.refuse.some((r) => sql.startsWith(r))) throw new Error(`refused ${head.split('=')[0]}`);
    return sql.startsWith('DESCRIBE QUERY') ? this.fields : [];
  }
  async close(): Promise<void> {}
}

const columns: Column[] = [
  { property: 'id', path: ['id'], name: 'ID', type: 'BIGINT', kind: 'integer' },
  ...Array.from({ length: WIDE_MERGE_COLUMNS - 1 }, (_, i): Column => ({ property: `p${i}`, path: [`p${i}`], name: `P${i}`, type: 'BIGINT', kind: 'integer' })),
];
const fields: Row[] = columns.map((c) => ({ col_name: c.property, data_type: 'bigint' }));
const noStore: ObjectStore = { upload: async () => assert.fail(), putText: async () => assert.fail(), getText: async () => assert.fail(), list: async () => [], remove: async () => undefined };

/** Loads a wide tap Parquet file whose fields are the table's columns; returns what was sent, what was logged and the outcome. */
async function wideLoad(refuse: readonly string[]) {
  const session = new Session(fields, refuse);
  const logged: string[] = [];
  const log = { debug: (m: string) => logged.push(`debug ${m}`), warn: (m: string) => logged.push(`warn ${m}`), info: () => undefined, error: () => undefined } as unknown as Logger;
  const loader = new BatchLoader(new ExecutorPool(() => session, 1), noStore, 'stage/', log);
  const batch = {
    stream: 'orders',
    table: { catalog: 'spark_catalog', schema: 'raw', table: 'ORDERS' },
    columns: columns.map((column) => ({ column, tableType: column.type })),
    mode: 'merge' as const,
    keyColumns: ['ID'],
    hardDelete: false,
    wholeTable: true,
  };
  const outcome = await loader.loadParquetFile(batch, 's3a://tap/part.parquet').then(String, (e: Error) => e.message);
  return { sent: session.sent, logged: logged.filter((l) => !l.startsWith('debug Loaded')), outcome };
}

describe('a compiled load in its session', () => {
  it('sends the statements before, the load and the reset, in order', async () =>
    assert.deepEqual(await wideLoad([]), {
      sent: ['DESCRIBE QUERY', 'SET spark.sql.optimizer.excludedRules=org.apache.spark.sql.catalyst.optimizer.ColumnPruning', 'REFRESH TABLE', 'MERGE INTO', 'RESET spark.sql.optimizer.excludedRules'],
      logged: [],
      outcome: 'true',
    }));

  it('goes on without a planning setting the lakehouse refuses', async () =>
    assert.deepEqual(await wideLoad(['SET ']), {
      sent: ['DESCRIBE QUERY', 'SET spark.sql.optimizer.excludedRules=org.apache.spark.sql.catalyst.optimizer.ColumnPruning', 'REFRESH TABLE', 'MERGE INTO', 'RESET spark.sql.optimizer.excludedRules'],
      logged: ['debug Planning setting not applied: refused SET spark.sql.optimizer.excludedRules'],
      outcome: 'true',
    }));

  it('fails when the refresh fails, and still puts the session back', async () =>
    assert.deepEqual(await wideLoad(['REFRESH ']), {
      sent: ['DESCRIBE QUERY', 'SET spark.sql.optimizer.excludedRules=org.apache.spark.sql.catalyst.optimizer.ColumnPruning', 'REFRESH TABLE', 'RESET spark.sql.optimizer.excludedRules'],
      logged: [],
      outcome: 'refused REFRESH TABLE',
    }));

  it('keeps the load\'s own error when the reset fails too', async () =>
    assert.deepEqual(await wideLoad(['MERGE ', 'RESET ']), {
      sent: ['DESCRIBE QUERY', 'SET spark.sql.optimizer.excludedRules=org.apache.spark.sql.catalyst.optimizer.ColumnPruning', 'REFRESH TABLE', 'MERGE INTO', 'RESET spark.sql.optimizer.excludedRules'],
      logged: ['warn Cleanup failed to reset a planning setting: refused RESET spark.sql.optimizer.excludedRules'],
      outcome: 'refused MERGE INTO',
    }));
});

describe('a tap Parquet file the lakehouse cannot read', () => {
  const batch = {
    stream: 'numbers',
    table: { catalog: 'spark_catalog', schema: 'raw', table: 'NUMBERS' },
    columns: columns.slice(0, 1).map((column) => ({ column, tableType: column.type })),
    mode: 'merge' as const,
    keyColumns: ['ID'],
    hardDelete: false,
    wholeTable: true,
  };
  const loadWith = async (failure: Error) => {
    const sent: string[] = [];
    const infos: string[] = [];
    const session: SqlExecutor = {
      query: async (sql) => {
        sent.push(sql.split(' ', 2).join(' '));
        throw failure;
      },
      close: async () => undefined,
    };
    const log = { debug: () => undefined, warn: () => undefined, info: (m: string) => infos.push(m), error: () => undefined } as unknown as Logger;
    const loader = new BatchLoader(new ExecutorPool(() => session, 1), noStore, 'stage/', log);
    const outcome = await loader.loadParquetFile(batch, 's3a://tap/n.parquet').then(String, (e: Error) => e.message);
    return { sent, infos, outcome };
  };

  it('is read by the target when Spark refuses to describe it (its rows follow as records), with one line saying why', async () => {
    const server = 'Error running query: [UNSUPPORTED_DATASOURCE_FOR_DIRECT_QUERY] Unsupported data source type for direct query on files: parquet\n\tat org.apache.spark...';
    assert.deepEqual(await loadWith(new LoadError(`Statement failed on the lakehouse: ${server}`, 'DESCRIBE QUERY ...', server)), {
      sent: ['DESCRIBE QUERY'],
      infos: [
        "The lakehouse cannot read s3a://tap/n.parquet of stream 'numbers' (Error running query: [UNSUPPORTED_DATASOURCE_FOR_DIRECT_QUERY] Unsupported data source type for direct query on files: parquet): the target reads its rows itself",
      ],
      outcome: 'false',
    });
  });

  it('fails the load when the lakehouse cannot be reached (no statement answer)', async () =>
    assert.deepEqual(await loadWith(new TransientError('Cannot reach the lakehouse at http://127.0.0.1:1: ECONNREFUSED')), {
      sent: ['DESCRIBE QUERY'],
      infos: [],
      outcome: 'Cannot reach the lakehouse at http://127.0.0.1:1: ECONNREFUSED',
    }));
});
