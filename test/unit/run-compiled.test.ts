import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { runCompiled } from '../../src/loading/run-compiled.js';
import type { Logger } from '../../src/logging.js';
import { ExecutorPool } from '../../src/spark/executor-pool.js';
import type { Row, SqlExecutor } from '../../src/spark/executor.js';
import type { CompiledLoad } from '../../src/sql/compile-load.js';

/** A numbered session that records what it is sent, refuses statements starting with one of `refuse`, and whether it was closed. */
class Session implements SqlExecutor {
  readonly sent: string[] = [];
  closed = false;
  constructor(
    readonly no: number,
    private readonly refuse: readonly string[],
  ) {}
  async query(sql: string): Promise<Row[]> {
    this.sent.push(sql);
    if (this.refuse.some((r) => sql.startsWith(r))) throw new Error(`refused ${sql}`);
    return [];
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const staged: CompiledLoad = {
  before: [{ sql: 'SET spark.wap.id=abc', optional: false }],
  statement: 'INSERT INTO t SELECT 1',
  then: [],
  after: [{ sql: 'RESET spark.wap.id', optional: false }],
};

/** One load through a pool of one session whose refusals are `refuse`, then a second use of the pool. */
async function loadThenReuse(refuse: readonly string[]) {
  const sessions: Session[] = [];
  const pool = new ExecutorPool(() => {
    const session = new Session(sessions.length + 1, sessions.length === 0 ? refuse : []);
    sessions.push(session);
    return session;
  }, 1);
  const warned: string[] = [];
  const outcome = await pool
    .withExecutor((sql) => runCompiled(sql, staged, { debug: () => undefined, warn: (m: string) => void warned.push(m) } as unknown as Logger))
    .then(() => 'loaded', (e: Error) => e.message);
  const next = await pool.withExecutor(async (sql) => (sql as Session).no);
  return { outcome, warned, first: { sent: sessions[0]!.sent, closed: sessions[0]!.closed }, nextSession: next, opened: sessions.length };
}

describe('a compiled load whose session cannot be put back', () => {
  it('reuses the session when the reset succeeds', async () =>
    assert.deepEqual(await loadThenReuse([]), {
      outcome: 'loaded',
      warned: [],
      first: { sent: ['SET spark.wap.id=abc', 'INSERT INTO t SELECT 1', 'RESET spark.wap.id'], closed: false },
      nextSession: 1,
      opened: 1,
    }));

  it('fails a load that succeeded when its reset fails, and closes the session instead of reusing it', async () =>
    assert.deepEqual(await loadThenReuse(['RESET']), {
      outcome: 'refused RESET spark.wap.id',
      warned: [],
      first: { sent: ['SET spark.wap.id=abc', 'INSERT INTO t SELECT 1', 'RESET spark.wap.id'], closed: true },
      nextSession: 2,
      opened: 2,
    }));

  it("reports the load's own error when the reset fails too, and closes the session", async () =>
    assert.deepEqual(await loadThenReuse(['INSERT', 'RESET']), {
      outcome: 'refused INSERT INTO t SELECT 1',
      warned: ['Could not put the session back after the failed load (the session is closed): refused RESET spark.wap.id'],
      first: { sent: ['SET spark.wap.id=abc', 'INSERT INTO t SELECT 1', 'RESET spark.wap.id'], closed: true },
      nextSession: 2,
      opened: 2,
    }));

  it('hands a load waiting for the full pool a new session in place of the closed one', async () => {
    const sessions: Session[] = [];
    const pool = new ExecutorPool(() => {
      const session = new Session(sessions.length + 1, sessions.length === 0 ? ['RESET'] : []);
      sessions.push(session);
      return session;
    }, 1);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = pool.withExecutor(async (sql) => {
      await gate;
      return runCompiled(sql, staged);
    });
    const waiter = pool.withExecutor(async (sql) => (sql as Session).no);
    release();
    await assert.rejects(first, /refused RESET/);
    assert.equal(await waiter, 2);
    assert.deepEqual(sessions.map((s) => s.closed), [true, false]);
  });
});
