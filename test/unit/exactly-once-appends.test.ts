import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AppendCommits } from '../../src/loading/append-commits.js';
import { BatchLoader } from '../../src/loading/batch-loader.js';
import { ExecutorPool } from '../../src/spark/executor-pool.js';
import { planUndo } from '../../src/loading/dead-run-appends.js';
import type { NewTableLayout } from '../../src/schema/table-layout.js';
import type { Row, SqlExecutor } from '../../src/spark/executor.js';
import { loadStatement, type LoadColumn, type LoadPlan } from '../../src/sql/statements.js';
import type { Logger } from '../../src/logging.js';
import { DeadRunCleanupError, RunMarkers } from '../../src/staging/leftovers.js';
import { StateTracker } from '../../src/state/state-tracker.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { createAppendTable, enableWap, expireSnapshotIds, publishChanges, resetWapId, rollbackToSnapshot, setWapId, showWapProperty, snapshotsWithWapIds } from '../../src/sql/wap-statements.js';

const ref = { catalog: 'spark_catalog', schema: 'sales', table: "o'k`s" };
const quiet = { info: () => quiet, warn: () => quiet, debug: () => quiet, error: () => quiet } as unknown as Logger;

describe('write-audit-publish statements', () => {
  it('builds each statement with quoted identifiers and literals', () => {
    assert.equal(setWapId('0123456789ab-2-17'), 'SET spark.wap.id=0123456789ab-2-17');
    assert.throws(() => setWapId("x'; DROP"), /not a wap id/);
    assert.equal(resetWapId(), 'RESET spark.wap.id');
    assert.equal(publishChanges(ref, '0123456789ab-2-17'), "CALL `spark_catalog`.`system`.`publish_changes`('`sales`.`o\\'k``s`', '0123456789ab-2-17')");
    assert.equal(rollbackToSnapshot(ref, '6526679211917974274'), "CALL `spark_catalog`.`system`.`rollback_to_snapshot`('`sales`.`o\\'k``s`', 6526679211917974274)");
    assert.throws(() => rollbackToSnapshot(ref, '1 OR 1'), /not a snapshot id/);
    assert.equal(
      expireSnapshotIds(ref, ['1', '2']),
      "CALL `spark_catalog`.`system`.`expire_snapshots`(table => '`sales`.`o\\'k``s`', older_than => TIMESTAMP '1970-01-01 00:00:00', snapshot_ids => array(1, 2))",
    );
    assert.equal(
      snapshotsWithWapIds(ref),
      "SELECT CAST(s.snapshot_id AS STRING) AS snapshot_id, CAST(s.parent_id AS STRING) AS parent_id, s.summary['wap.id'] AS wap_id, s.summary['published-wap-id'] AS published_wap_id, CAST(r.snapshot_id AS STRING) AS current_id " +
        "FROM `spark_catalog`.`sales`.`o'k``s`.`snapshots` s LEFT JOIN (SELECT snapshot_id FROM `spark_catalog`.`sales`.`o'k``s`.`refs` WHERE name = 'main') r ON true ORDER BY s.committed_at",
    );
    assert.equal(createAppendTable(ref, [{ name: 'id', type: 'BIGINT' }]), "CREATE TABLE IF NOT EXISTS `spark_catalog`.`sales`.`o'k``s` (`id` BIGINT) USING iceberg TBLPROPERTIES ('write.wap.enabled'='true')");
    assert.equal(
      createAppendTable(ref, [{ name: 'id', type: 'BIGINT' }, { name: 'TS', type: 'TIMESTAMP' }], {
        partition: [{ column: 'TS', transform: { kind: 'day' } }],
        sort: [{ column: 'id', direction: 'asc', nulls: 'first' }],
        properties: { 'write.target-file-size-bytes': '1048576', 'write.wap.enabled': 'false' },
      }),
      "CREATE TABLE IF NOT EXISTS `spark_catalog`.`sales`.`o'k``s` (`id` BIGINT, `TS` TIMESTAMP) USING iceberg PARTITIONED BY (days(`TS`)) " +
        "TBLPROPERTIES ('write.target-file-size-bytes'='1048576', 'write.wap.enabled'='true')",
    );
    assert.equal(showWapProperty(ref), "SHOW TBLPROPERTIES `spark_catalog`.`sales`.`o'k``s` ('write.wap.enabled')");
    assert.equal(enableWap(ref), "ALTER TABLE `spark_catalog`.`sales`.`o'k``s` SET TBLPROPERTIES ('write.wap.enabled'='true')");
  });
});

describe('exactly-once append commits (A1-A4)', () => {
  const plan: LoadPlan = {
    table: { catalog: 'spark_catalog', schema: 's', table: 'EVENTS' },
    batch: { location: 's3a://b/k.parquet', format: 'staged', columns: [{ column: { name: 'ID', type: 'BIGINT' } as never, tableType: 'BIGINT' }] },
    mode: 'insert',
    keyColumns: [],
    hardDelete: false,
    stream: 'events',
  } as LoadPlan;

  function recorder(answer: (sql: string) => Row[] = () => []): SqlExecutor & { sent: string[] } {
    const sent: string[] = [];
    return { sent, query: async (sql) => (sent.push(sql), answer(sql)), close: async () => undefined };
  }

  it('registers the table in the marker first, then SET + INSERT + RESET + publish; covers whole batches before a state', async () => {
    const commits = new AppendCommits('0123456789ab');
    const saved: string[] = [];
    commits.persist = async () => void saved.push(JSON.stringify(commits.markerEntries()));
    const sql = recorder((q) => (q.startsWith('SHOW TBLPROPERTIES') ? [{ key: 'write.wap.enabled', value: 'true' }] : []));
    await commits.load(sql, plan, [['events', 3]]);
    await commits.load(sql, plan, [['events', 9]]);
    assert.deepEqual(sql.sent, [
      "SHOW TBLPROPERTIES `spark_catalog`.`s`.`EVENTS` ('write.wap.enabled')",
      'SET spark.wap.id=0123456789ab-1-1',
      loadStatement(plan),
      'RESET spark.wap.id',
      "CALL `spark_catalog`.`system`.`publish_changes`('`s`.`EVENTS`', '0123456789ab-1-1')",
      'SET spark.wap.id=0123456789ab-1-2',
      loadStatement(plan),
      'RESET spark.wap.id',
      "CALL `spark_catalog`.`system`.`publish_changes`('`s`.`EVENTS`', '0123456789ab-1-2')",
    ]);
    assert.deepEqual(saved, ['[{"catalog":"spark_catalog","schema":"s","table":"EVENTS","covered":null}]']);
    await commits.cover(() => 5);
    assert.equal(commits.uncoveredCommits, 1);
    await commits.cover(() => 5);
    await commits.cover(() => 10);
    assert.equal(commits.uncoveredCommits, 0);
    assert.deepEqual(saved.slice(1), [
      '[{"catalog":"spark_catalog","schema":"s","table":"EVENTS","covered":"0123456789ab-1-1"}]',
      '[{"catalog":"spark_catalog","schema":"s","table":"EVENTS","covered":"0123456789ab-1-2"}]',
    ]);
  });

  it('creates a new table with write-audit-publish on and the stream\'s layout, its sort order before the first staged commit', async () => {
    const commits = new AppendCommits('0123456789ab');
    const sql = recorder();
    const layout: NewTableLayout = {
      partition: [{ column: 'ID', transform: { kind: 'bucket', buckets: 4 } }],
      sort: [{ column: 'ID', direction: 'desc', nulls: 'last' }],
      properties: { 'write.distribution-mode': 'hash' },
    };
    await commits.load(sql, plan, [['events', 1]], { columns: [{ name: 'ID', type: 'BIGINT' }], layout });
    assert.deepEqual(sql.sent, [
      "CREATE TABLE IF NOT EXISTS `spark_catalog`.`s`.`EVENTS` (`ID` BIGINT) USING iceberg PARTITIONED BY (bucket(4, `ID`)) TBLPROPERTIES ('write.distribution-mode'='hash', 'write.wap.enabled'='true')",
      'ALTER TABLE `spark_catalog`.`s`.`EVENTS` WRITE ORDERED BY `ID` DESC NULLS LAST',
      "ALTER TABLE `spark_catalog`.`s`.`EVENTS` SET TBLPROPERTIES ('write.distribution-mode'='hash')",
      'SET spark.wap.id=0123456789ab-1-1',
      loadStatement(plan),
      'RESET spark.wap.id',
      "CALL `spark_catalog`.`system`.`publish_changes`('`s`.`EVENTS`', '0123456789ab-1-1')",
    ]);
  });

  it('enables write-audit-publish on an existing table once; a repeated publish counts as done; a failed INSERT still resets the session', async () => {
    const commits = new AppendCommits('0123456789ab');
    const sql = recorder((q) => {
      if (q.startsWith('CALL')) throw new Error('org.apache.iceberg.exceptions.DuplicateWAPCommitException: Duplicate request to cherry pick wap id that was published already: x');
      if (q.startsWith('SHOW TBLPROPERTIES')) return [{ key: 'write.wap.enabled', value: 'Table does not have property: write.wap.enabled' }];
      return [];
    });
    await commits.load(sql, plan, [['events', 1]]);
    assert.equal(sql.sent[1], "ALTER TABLE `spark_catalog`.`s`.`EVENTS` SET TBLPROPERTIES ('write.wap.enabled'='true')");
    assert.equal(commits.uncoveredCommits, 1);
    const failing = recorder((q) => {
      if (q.startsWith('INSERT')) throw new Error('boom');
      return [];
    });
    await assert.rejects(commits.load(failing, plan, [['events', 2]]), /boom/);
    assert.deepEqual(failing.sent, ['SET spark.wap.id=0123456789ab-1-2', loadStatement(plan), 'RESET spark.wap.id']);
    assert.equal(commits.uncoveredCommits, 1, 'a staged INSERT that failed commits nothing');
  });

  it('counts a publish whose answer is lost as a commit no state covers, so a failed run keeps its marker', async () => {
    const commits = new AppendCommits('0123456789ab');
    const sql = recorder((q) => {
      if (q.startsWith('CALL')) throw new Error('Cannot reach the lakehouse: socket hang up');
      return [];
    });
    await assert.rejects(commits.load(sql, plan, [['events', 1]]), /socket hang up/);
    assert.equal(sql.sent.at(-1), "CALL `spark_catalog`.`system`.`publish_changes`('`s`.`EVENTS`', '0123456789ab-1-1')");
    assert.equal(commits.uncoveredCommits, 1);
    assert.deepEqual(commits.markerEntries(), [{ catalog: 'spark_catalog', schema: 's', table: 'EVENTS', covered: null }]);
  });
});

describe("a tap's Parquet file loaded directly as an exactly-once append", () => {
  const columns = [
    { column: { property: 'id', path: ['id'], name: 'ID', type: 'BIGINT', kind: 'integer' }, tableType: 'BIGINT' },
    { column: { property: 'name', path: ['name'], name: 'NAME', type: 'STRING', kind: 'string' }, tableType: 'STRING' },
  ] as LoadColumn[];
  const request = (commits: AppendCommits) => ({
    stream: 'events',
    table: { catalog: 'spark_catalog', schema: 's', table: 'EVENTS' },
    columns,
    mode: 'insert' as const,
    keyColumns: [],
    hardDelete: false,
    wholeTable: true,
    append: { commits, positions: [['events', 7]] as Array<[string, number]> },
  });
  const file = 's3a://tap/part-1.parquet';
  const describeRows = (...fields: Array<[string, string]>) => fields.map(([col_name, data_type]) => ({ col_name, data_type }));

  /** The loader over one recording session; `answer` gives DESCRIBE's fields and fails what it throws for. */
  function direct(answer: (sql: string) => Row[]) {
    const sent: string[] = [];
    const session: SqlExecutor = { query: async (q) => (sent.push(q), answer(q)), close: async () => undefined };
    const loader = new BatchLoader(new ExecutorPool(() => session, 1), memoryStore(new Map()), 'stage/', quiet);
    const commits = new AppendCommits('0123456789ab');
    const saved: string[] = [];
    commits.persist = async () => void saved.push(JSON.stringify(commits.markerEntries()));
    return { sent, loader, commits, saved };
  }

  it('names the table in the marker, then SET + INSERT ... FROM parquet + RESET + publish; its commit is covered past its line', async () => {
    const { sent, loader, commits, saved } = direct((q) => {
      if (q.startsWith('DESCRIBE QUERY')) return describeRows(['id', 'bigint'], ['name', 'string']);
      return q.startsWith('SHOW TBLPROPERTIES') ? [{ key: 'write.wap.enabled', value: 'true' }] : [];
    });
    assert.equal(await loader.loadParquetFile(request(commits), file), true);
    assert.deepEqual(sent, [
      'DESCRIBE QUERY SELECT * FROM parquet.`s3a://tap/part-1.parquet`',
      "SHOW TBLPROPERTIES `spark_catalog`.`s`.`EVENTS` ('write.wap.enabled')",
      'SET spark.wap.id=0123456789ab-1-1',
      'INSERT INTO `spark_catalog`.`s`.`EVENTS` (`ID`, `NAME`) SELECT `id` AS `ID`, `name` AS `NAME` FROM parquet.`s3a://tap/part-1.parquet`',
      'RESET spark.wap.id',
      "CALL `spark_catalog`.`system`.`publish_changes`('`s`.`EVENTS`', '0123456789ab-1-1')",
    ]);
    assert.deepEqual(saved, ['[{"catalog":"spark_catalog","schema":"s","table":"EVENTS","covered":null}]']);
    await commits.cover(() => 7);
    assert.equal(commits.uncoveredCommits, 1, 'a state at the BATCH line itself does not cover the file');
    await commits.cover(() => 8);
    assert.equal(commits.uncoveredCommits, 0);
  });

  it('commits nothing, and names no table in the marker, for a file whose fields do not fit (its rows follow as records)', async () => {
    const { sent, loader, commits, saved } = direct((q) => (q.startsWith('DESCRIBE QUERY') ? describeRows(['id', 'string'], ['name', 'string']) : []));
    assert.equal(await loader.loadParquetFile(request(commits), file), false);
    assert.deepEqual(sent, ['DESCRIBE QUERY SELECT * FROM parquet.`s3a://tap/part-1.parquet`']);
    assert.deepEqual(saved, []);
    assert.equal(commits.uncoveredCommits, 0);
  });

  it('resets the session\'s wap id after a failed INSERT, and publishes nothing', async () => {
    const { sent, loader, commits } = direct((q) => {
      if (q.startsWith('DESCRIBE QUERY')) return describeRows(['id', 'bigint'], ['name', 'string']);
      if (q.startsWith('INSERT')) throw new Error('boom');
      return q.startsWith('SHOW TBLPROPERTIES') ? [{ key: 'write.wap.enabled', value: 'true' }] : [];
    });
    await assert.rejects(loader.loadParquetFile(request(commits), file), /boom/);
    assert.deepEqual(sent.slice(2).map((q) => q.split(' ')[0]), ['SET', 'INSERT', 'RESET']);
    assert.equal(commits.uncoveredCommits, 0);
  });
});

const DEAD = 'deadbeef0001';
/** Snapshot rows as the metadata query returns them; `current` marks the table's current one. */
function rows(current: string | null, ...snapshots: Array<[id: string, parent: string | null, wap?: string, published?: string]>) {
  return snapshots.map(([id, parent, wap, published]) => ({ snapshot_id: id, parent_id: parent, wap_id: wap ?? null, published_wap_id: published ?? null, current_id: current }));
}

describe('undoing a killed run\'s uncovered appends (D1, D2)', () => {
  it('rolls back to the parent of the first uncovered commit when all after it are the dead run\'s', () => {
    const plan = planUndo(rows('4', ['1', null], ['2', '1', `${DEAD}-1-1`], ['3', '2', `${DEAD}-1-2`], ['4', '3', `${DEAD}-1-3`]), DEAD, `${DEAD}-1-1`);
    assert.deepEqual(plan, { rollbackTo: '2', undone: 2, leftBehind: 0, expire: ['3', '4'] });
  });

  it('counts a cherry-picked commit by its published wap id and expires its staged original', () => {
    const plan = planUndo(rows('5', ['1', null], ['2', '1', `${DEAD}-1-1`], ['3', '1'], ['5', '3', undefined, `${DEAD}-1-1`]), DEAD, null);
    assert.deepEqual(plan, { rollbackTo: '3', undone: 1, leftBehind: 0, expire: ['2', '5'] });
  });

  it('empties a table the dead run created and nothing covers', () => {
    const plan = planUndo(rows('2', ['1', null, `${DEAD}-1-1`], ['2', '1', `${DEAD}-1-2`]), DEAD, null);
    assert.deepEqual(plan, { rollbackTo: 'empty', undone: 2, leftBehind: 0, expire: ['1', '2'] });
  });

  it('keeps the dead run\'s commits when another writer committed after them', () => {
    const plan = planUndo(rows('3', ['1', null, `${DEAD}-1-1`], ['2', '1', `${DEAD}-1-2`], ['3', '2']), DEAD, `${DEAD}-1-1`);
    assert.deepEqual(plan, { undone: 0, leftBehind: 1, expire: [] });
  });

  it('expires only staged snapshots when every commit is covered', () => {
    const plan = planUndo(rows('2', ['1', null, `${DEAD}-1-1`], ['2', '1', `${DEAD}-1-2`], ['9', '2', `${DEAD}-1-3`]), DEAD, `${DEAD}-1-2`);
    assert.deepEqual(plan, { undone: 0, leftBehind: 0, expire: ['9'] });
  });

  it('never touches commits of other runs', () => {
    const plan = planUndo(rows('2', ['1', null, 'aaaaaaaaaaaa-1-1'], ['2', '1', 'aaaaaaaaaaaa-1-2'], ['3', '2', 'aaaaaaaaaaaa-1-3']), DEAD, null);
    assert.deepEqual(plan, { undone: 0, leftBehind: 0, expire: [] });
  });
});

describe('state tracker: exactly-once streams (S5)', () => {
  /** A tracker that knows stream `a` as an exactly-once stream. */
  const exactTracker = () => {
    const t = new StateTracker();
    t.knowStream('a');
    t.exactStream('a');
    return t;
  };
  const state = (n: number) => ({ bookmarks: { a: n } });

  it('takes an exactly-once stream\'s bookmark only from a state between its batches', () => {
    const t = exactTracker();
    t.hold(1, 'a', 1, true);
    t.onState(state(2), 2); // inside batch 1, which takes another record: not clean
    t.hold(1, 'a', 3, true);
    t.seal(1);
    t.onState(state(4), 4); // between batches: clean
    t.hold(2, 'a', 5, true);
    t.onState(state(6), 6); // inside batch 2; clean once batch 2 ends before the next record
    t.commit(1);
    assert.deepEqual(t.takeEmittable(), state(4));
    assert.equal(t.coveredUpTo('a'), 4);
    t.seal(2);
    t.commit(2);
    assert.deepEqual(t.takeEmittable(), state(6));
    assert.equal(t.coveredUpTo('a'), 6);
  });

  it('names no bookmark for the stream while no clean state exists, and the latest state at the end', () => {
    const t = exactTracker();
    t.hold(1, 'a', 1, true);
    t.onState({ bookmarks: { a: 2 }, other: 1 }, 2);
    t.hold(1, 'a', 3, true);
    t.commit(1);
    assert.deepEqual(t.takeEmittable(), { bookmarks: {}, other: 1 });
    assert.equal(t.coveredUpTo('a'), -1);
    assert.deepEqual(t.takeEmittable(true), { bookmarks: { a: 2 }, other: 1 });
  });

  it("covers a Parquet file loaded directly (one hold at its BATCH line) only with a clean state after that line", () => {
    const t = exactTracker();
    t.hold(1, 'a', 1, true);
    t.onState(state(2), 2); // inside batch 1, which takes another record: never clean
    t.hold(1, 'a', 3, true);
    t.seal(1); // the BATCH message at line 4 closes the open batch first
    t.hold(2, 'a', 4); // the file's load (LoadJobs.holdChange)
    assert.deepEqual(t.positionsOf(2), [['a', 4]]);
    t.commit(1);
    t.commit(2);
    assert.deepEqual(t.takeEmittable(), { bookmarks: {} });
    assert.equal(t.coveredUpTo('a'), -1, 'the file is not covered: a resumed run undoes its commit');
    t.onState(state(5), 5);
    assert.deepEqual(t.takeEmittable(), state(5));
    assert.equal(t.coveredUpTo('a'), 5);
  });
});

const HOST = encodeURIComponent(hostname());
const DEAD_PID = 2 ** 22 + 17;

function memoryStore(objects: Map<string, { text: string; at: Date }>): ObjectStore {
  return {
    upload: async () => 'unused',
    putText: async (key, text) => void objects.set(key, { text, at: new Date() }),
    getText: async (key) => objects.get(key)?.text,
    list: async (prefix) => [...objects].filter(([k]) => k.startsWith(prefix)).map(([key, o]) => ({ key, lastModified: o.at })),
    remove: async (keys) => keys.forEach((k) => objects.delete(k)),
  };
}

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('run markers with appends (L4)', () => {
  const appends = [{ catalog: 'spark_catalog', schema: 's', table: 't', covered: `${DEAD}-1-4` }];

  it('undoes a dead run\'s appends before removing its marker; a failed undo keeps the marker and stops the run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'target-iomete-l4-'));
    dirs.push(dir);
    const objects = new Map<string, { text: string; at: Date }>();
    const deadKey = `p/_runs/${DEAD}-${DEAD_PID}-${HOST}.json`;
    objects.set(deadKey, { text: JSON.stringify({ host: hostname(), pid: DEAD_PID, appends }), at: new Date() });
    const seen: Array<[string, unknown]> = [];
    const failing = new RunMarkers({ runId: 'aaaaaaaaaaaa', tempDir: dir, store: memoryStore(objects), prefix: 'p/', log: quiet, onDeadRun: async () => Promise.reject(new Error('lakehouse down')) });
    await assert.rejects(failing.start(), (e: Error) => e instanceof DeadRunCleanupError && /killed run deadbeef0001 .*lakehouse down; the run stops/.test(e.message));
    await failing.finish();
    assert.ok(objects.has(deadKey), 'the marker stays for the next run');
    const markers = new RunMarkers({
      runId: 'bbbbbbbbbbbb',
      tempDir: dir,
      store: memoryStore(objects),
      prefix: 'p/',
      log: quiet,
      onDeadRun: async (id, entries) => {
        assert.ok(objects.has(deadKey), 'the marker is still there during the clean-up');
        seen.push([id, entries]);
      },
    });
    await markers.start();
    await markers.finish();
    assert.deepEqual(seen, [[DEAD, appends]]);
    assert.equal(objects.size, 0);
  });

  it('warns about, and leaves, a marker of a run on another host refreshed within 15 minutes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'target-iomete-l4-'));
    dirs.push(dir);
    const objects = new Map<string, { text: string; at: Date }>();
    const key = `p/_runs/${DEAD}-12-other-host.json`;
    objects.set(key, { text: JSON.stringify({ host: 'other-host', pid: 12, appends }), at: new Date() });
    const live: unknown[] = [];
    const markers = new RunMarkers({ runId: 'cccccccccccc', tempDir: dir, store: memoryStore(objects), prefix: 'p/', log: quiet, onDeadRun: async () => assert.fail('not dead'), onLiveRun: (...args) => live.push(args) });
    await markers.start();
    await markers.finish();
    assert.deepEqual(live, [[DEAD, 'other-host', appends]]);
    assert.ok(objects.has(key));
  });

  it('leaves a fresh marker of a live process of this host alone, without a word', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'target-iomete-l4-'));
    dirs.push(dir);
    const objects = new Map<string, { text: string; at: Date }>();
    const key = `p/_runs/${DEAD}-12-${encodeURIComponent(hostname())}.json`;
    objects.set(key, { text: JSON.stringify({ host: hostname(), pid: 12, appends }), at: new Date() });
    const live: unknown[] = [];
    const markers = new RunMarkers({ runId: 'cccccccccccc', tempDir: dir, store: memoryStore(objects), prefix: 'p/', log: quiet, isAlive: () => true, onDeadRun: async () => assert.fail('not dead'), onLiveRun: (...args) => live.push(args) });
    await markers.start();
    await markers.finish();
    assert.deepEqual(live, []);
    assert.ok(objects.has(key));
  });

  it('writes the covered commits into the marker, and keeps it when asked to', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'target-iomete-l4-'));
    dirs.push(dir);
    const objects = new Map<string, { text: string; at: Date }>();
    let entries: typeof appends = [];
    const markers = new RunMarkers({ runId: 'dddddddddddd', tempDir: dir, store: memoryStore(objects), prefix: 'p/', log: quiet, appends: () => entries });
    await markers.start();
    entries = appends;
    await markers.save();
    const [marker] = [...objects.values()];
    assert.deepEqual(JSON.parse(marker!.text).appends, appends);
    await markers.finish(true);
    assert.equal(objects.size, 1);
  });
});
