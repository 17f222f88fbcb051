import { parquetFileRecords } from '../../src/staging/parquet-reader.js';
import type { Row, SqlExecutor } from '../../src/spark/executor.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { satisfies, type SqlValue } from './where-eval.js';

/**
 * An in-memory stand-in for S3 and the Spark SQL endpoint, for schedule-exploring tests of the
 * engine. It understands just enough of the statements the target sends (DDL, MERGE / INSERT
 * reading staged files by path, version retirement) to know which input records are
 * committed at any moment, and it checks the protocol as it goes: how many loads and DDL
 * statements run at once, whether DDL ever touches a table while a load of that table runs,
 * whether a load runs before its table's CREATE finished or reads a staged object that does not
 * exist. Delays and failures come from a list of generated choices, so a
 * failing schedule is reproduced (and shrunk) by fast-check like any other input.
 *
 * Tables keep Iceberg snapshots as far as the target uses them: each commit is a snapshot holding
 * the table's rows (record uids), visible when it is on the current line of history; with
 * `write.wap.enabled` and a session's `spark.wap.id` an INSERT stages an invisible snapshot that
 * `publish_changes` makes current (fast-forward, or a new snapshot with `published-wap-id`);
 * `rollback_to_snapshot`, `expire_snapshots(snapshot_ids)` and the `snapshots`/`refs` metadata
 * tables are modelled. A crash (`crashAt`) abandons the engine: from that step on no operation
 * answers (the one at the crash lands or not, by choice; ones already under way may still land,
 * as a statement left running on the lakehouse does).
 *
 * Partitioned tables (PARTITIONED BY, ADD / DROP PARTITION FIELD; identity, bucket and truncate
 * of the staged columns) are followed far enough to check that a compaction restricted by a
 * `where` selects every partition the run's loads wrote into the table (`violations`).
 */

export interface FaultPlan {
  /** The random choices (in [0, 1)) the fake makes, used in turn and cyclically: generated, so they shrink. */
  choices: number[];
  /** Probability that one load statement (MERGE / INSERT) fails; half of those fail after committing. */
  loadFailure: number;
  /** Probability that one upload fails. */
  uploadFailure: number;
  /** Probability that one DDL statement (CREATE TABLE, ALTER TABLE) fails. */
  ddlFailure?: number;
  /** Probability that one table maintenance statement (CALL ...system.*, snapshot-log read) fails. */
  maintenanceFailure?: number;
  /** Largest delay, in event-loop turns, before an operation completes. */
  maxDelayTurns: number;
}

export class InjectedFault extends Error {
  constructor(what: string) {
    super(`injected fault: ${what}`);
    this.name = 'InjectedFault';
  }
}

const TABLE_OF = /^(?:MERGE INTO|INSERT (?:INTO|OVERWRITE)|ALTER TABLE|CREATE TABLE IF NOT EXISTS|CREATE TABLE|DELETE FROM|UPDATE|DESCRIBE TABLE|DESCRIBE|SHOW TBLPROPERTIES)\s+((?:`(?:[^`]|``)*`\.?)+)/;
const SNAPSHOTS_OF = /^SELECT .*? FROM ((?:`(?:[^`]|``)*`\.?)+?)\.`snapshots` s /;
const PROCEDURE = /^CALL `((?:[^`]|``)+)`\.`system`\.`(\w+)`\((?:table => )?'((?:[^'\\]|\\.)*)'(.*)\)$/s;

/** One field of a partition spec, as the DDL names it: `ID`, `bucket(4, ID)`, `truncate(3, UID)`. */
interface FakePartitionField {
  column: string;
  transform: 'identity' | 'bucket' | 'truncate';
  argument: number;
}

/** One Iceberg snapshot: the table's rows (record uids) as of it. */
export interface FakeSnapshot {
  id: number;
  parent: number | null;
  rows: string[];
  wapId?: string;
  publishedWapId?: string;
}

export interface FakeTable {
  columns: string[];
  partition: FakePartitionField[];
  wap: boolean;
  snapshots: Map<number, FakeSnapshot>;
  current: number | null;
}

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);
const STAGED_FILE = /FROM parquet\.`s3a:\/\/bucket\/((?:[^`]|``)+)`/;
const UID = /"(u\d+)"/g;
/** Table maintenance: one of the maintenance procedures (other CALLs are not maintenance), or a snapshot-log read. */
const MAINTENANCE_CALL = /^CALL (`(?:[^`]|``)*`)\.system\.(rewrite_data_files|expire_snapshots|rewrite_manifests|remove_orphan_files)\(table => '((?:[^'\\]|\\.)*)'(?:, where => '((?:[^'\\]|\\.)*)')?/;
const PARTITIONED_BY = / PARTITIONED BY \(((?:[^()]|\([^()]*\))*)\)/;
const PARTITION_FIELD = /^(?:(bucket|truncate)\((\d+), )?`((?:[^`]|``)*)`\)?$/;
const STAGED_COLUMN = /`(c\d+)` AS `((?:[^`]|``)*)`/g;
const ESCAPED = /\\(.)/g;
const UNESCAPE: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0' };
const METADATA_READ = /^SELECT \* FROM \(SELECT count\(\*\) AS snapshots, .* FROM ((?:`(?:[^`]|``)*`\.){2}`(?:[^`]|``)*`)\.`snapshots`\) CROSS JOIN /;
/** The read of what a run added to many tables (sql/run-additions.ts): each table's snapshot log. */
const ADDITIONS_READ = /^SELECT 0 AS i, /;
const ADDITIONS_TABLE = /FROM ((?:`(?:[^`]|``)*`\.){2}`(?:[^`]|``)*`)\.`snapshots` WHERE /g;

export class FakeLakehouse {
  private choice = 0;
  /** Staged objects by key, content decoded to text. */
  readonly objects = new Map<string, string>();
  /** uid -> number of committed load statements that carried it. */
  readonly committed = new Map<string, number>();
  readonly tables = new Map<string, FakeTable>();
  /** The key of a record (uid) of a keyed stream; undefined for unkeyed streams (rows are not deduplicated). */
  keyOf: (uid: string) => string | undefined = () => undefined;
  /** The step (operation) at which the engine is abandoned; undefined: never. */
  crashAt?: number;
  crashed = false;
  steps = 0;
  /** Objects written before this moment list as last modified at the epoch (their run is long dead). */
  staleBefore = 0;
  private readonly written = new Map<string, number>();
  private clock = 0;
  private nextSnapshot = 1;
  /** Problems seen while the engine ran (empty when the protocol held). */
  readonly violations: string[] = [];
  readonly sessions: FakeSession[] = [];
  /** Statements of table set-up wait for this (a test holds it back to see what goes on meanwhile). */
  ddlGate: Promise<void> = Promise.resolve();
  maxConcurrentLoads = 0;
  /** Most loads and DDL statements (both take a load slot) running at once. */
  maxConcurrentSlots = 0;
  maxConcurrentUploads = 0;
  loadStatements = 0;
  private loadsRunning = new Map<string, number>();
  private ddlRunning = new Map<string, number>();
  private retiresRunning = new Map<string, number>();
  private maintenanceRunning = new Map<string, number>();
  /** Tables a load statement committed into. */
  readonly loadedTables = new Set<string>();
  /** Values of the staged rows by uid (by staged column: c0, c1, ...), for partitions. */
  private readonly stagedValues = new Map<string, Record<string, SqlValue>>();
  /** Per table, the rows each load statement wrote, with the generation (run) that sent it. */
  private readonly rowsWritten = new Map<string, Array<{ generation: number; uid: string; values: Record<string, SqlValue> }>>();
  /** Compactions restricted by a `where`, checked against the partitions their run wrote. */
  restrictedCompactions = 0;
  /** Maintenance statements that ran to the end, as `<procedure> <table>`. */
  readonly maintenance: string[] = [];
  /** Tables whose run additions were read for the summary, in order. */
  readonly additionsRead: string[] = [];
  private uploadsRunning = 0;

  constructor(
    readonly plan: FaultPlan,
    readonly parallelism: number,
  ) {
  }

  /**
   * Runs one operation of the engine: after a crash it never answers; at the crash step it lands
   * or not (a choice) and never answers; one under way at the crash lands but does not answer.
   */
  async op<T>(work: () => Promise<T>, generation = this.generation): Promise<T> {
    // An abandoned engine's work never reaches the lakehouse again (its process is gone).
    if (this.crashed || generation !== this.generation) return never();
    this.steps += 1;
    if (this.crashAt !== undefined && this.steps >= this.crashAt) {
      this.crashed = true;
      if (this.random() < 0.5) await work().catch(() => undefined);
      return never();
    }
    const result = await work();
    return this.crashed || generation !== this.generation ? never() : result;
  }

  /** Engines (store, sessions) made from now on; those of an abandoned one stay silent. */
  generation = 0;

  /** A new engine resumes on the same lakehouse: operations answer again. */
  resume(): void {
    this.generation += 1;
    this.crashAt = undefined;
    this.crashed = false;
    this.staleBefore = ++this.clock;
  }

  /** The rows visible in `table` now (the current snapshot's). */
  visibleRows(table: string): string[] {
    const t = this.tables.get(table);
    return t && t.current !== null ? t.snapshots.get(t.current)!.rows : [];
  }

  private ancestors(t: FakeTable): FakeSnapshot[] {
    const line: FakeSnapshot[] = [];
    for (let id = t.current; id !== null; ) {
      const snapshot = t.snapshots.get(id);
      if (!snapshot) break;
      line.push(snapshot);
      id = snapshot.parent;
    }
    return line;
  }

  /** Commits `rows` to `table`: a staged snapshot when the session stages (WAP), else a visible one. */
  commitRows(table: string, rows: string[], wapId: string | undefined): void {
    const t = this.tables.get(table)!;
    const snapshot: FakeSnapshot = { id: this.nextSnapshot++, parent: t.current, rows };
    if (t.wap && wapId !== undefined) {
      snapshot.wapId = wapId;
      t.snapshots.set(snapshot.id, snapshot);
      return;
    }
    const before = new Set(this.visibleRows(table));
    t.snapshots.set(snapshot.id, snapshot);
    t.current = snapshot.id;
    for (const uid of rows) if (!before.has(uid)) this.committed.set(uid, (this.committed.get(uid) ?? 0) + 1);
  }

  /** The staged rows of a load, one per key for keyed streams (the last one), as the statement's subquery keeps. */
  stagedRows(key: string): string[] {
    const text = this.objects.get(key);
    if (text === undefined) {
      this.violations.push(`load read staged object ${key}, which does not exist`);
      throw new Error(`Path does not exist: ${key}`);
    }
    const uids = [...text.matchAll(UID)].map((m) => m[1]!);
    const last = new Map<string, string>();
    uids.forEach((uid, i) => last.set(this.keyOf(uid) ?? `#${i}`, uid));
    return [...last.values()];
  }

  /** MERGE: rows of the batch replace rows of the same key. */
  merged(table: string, batch: string[]): string[] {
    const keys = new Set(batch.map((uid) => this.keyOf(uid)));
    return [...this.visibleRows(table).filter((uid) => !keys.has(this.keyOf(uid))), ...batch];
  }

  procedure(sql: string, wapId: string | undefined): Row[] {
    const call = PROCEDURE.exec(sql);
    if (!call) throw new Error(`unknown procedure call: ${sql}`);
    const [, catalog, name, target, rest] = call as unknown as [string, string, string, string, string];
    const table = `\`${catalog}\`.${target}`;
    const t = this.tables.get(table);
    if (!t) throw new Error(`[TABLE_OR_VIEW_NOT_FOUND] ${table}`);
    const line = this.ancestors(t);
    switch (name) {
      case 'publish_changes': {
        const id = /'([^']*)'/.exec(rest)![1]!;
        if (line.some((s) => s.wapId === id || s.publishedWapId === id)) throw new Error(`org.apache.iceberg.exceptions.DuplicateWAPCommitException: Duplicate request to cherry pick wap id that was published already: ${id}`);
        const staged = [...t.snapshots.values()].find((s) => s.wapId === id);
        if (!staged) throw new Error(`Cannot apply unknown WAP ID '${id}'`);
        const before = new Set(this.visibleRows(table));
        if (staged.parent === t.current) {
          t.current = staged.id;
        } else {
          const base = staged.parent === null ? [] : t.snapshots.get(staged.parent)!.rows;
          const added = staged.rows.slice(base.length);
          const published: FakeSnapshot = { id: this.nextSnapshot++, parent: t.current, rows: [...this.visibleRows(table), ...added], publishedWapId: id };
          t.snapshots.set(published.id, published);
          t.current = published.id;
        }
        for (const uid of this.visibleRows(table)) if (!before.has(uid)) this.committed.set(uid, (this.committed.get(uid) ?? 0) + 1);
        return [];
      }
      case 'rollback_to_snapshot': {
        const id = Number(/(\d+)\s*$/.exec(rest)![1]);
        if (!line.some((s) => s.id === id)) throw new Error(`Cannot roll back to snapshot ${id}: not an ancestor of the current table state`);
        t.current = id;
        return [];
      }
      case 'expire_snapshots': {
        const ids = /array\(([^)]*)\)/.exec(rest)![1]!.split(',').map((x) => Number(x.trim()));
        if (ids.includes(t.current ?? -1)) throw new Error('Cannot expire the current snapshot');
        for (const id of ids) t.snapshots.delete(id);
        return [];
      }
      default:
        throw new Error(`procedure ${name} is not modelled`);
    }
  }

  /** The snapshots metadata table joined with the main ref, as sql/wap-statements.ts asks for it. */
  snapshotRows(table: string): Row[] {
    const t = this.tables.get(table);
    // What Spark's spark_catalog answers: it reads `db`.`t`.`snapshots` of a missing table as a namespace.
    if (!t) throw new Error(`[REQUIRES_SINGLE_PART_NAMESPACE] spark_catalog requires a single-part namespace, but got ${table}.`);
    return [...t.snapshots.values()].map((s) => ({
      snapshot_id: String(s.id),
      parent_id: s.parent === null ? null : String(s.parent),
      wap_id: s.wapId ?? null,
      published_wap_id: s.publishedWapId ?? null,
      current_id: t.current === null ? null : String(t.current),
    }));
  }

  random(): number {
    const { choices } = this.plan;
    return choices.length === 0 ? 0.5 : choices[this.choice++ % choices.length]!;
  }

  async delay(): Promise<void> {
    const turns = Math.floor(this.random() * (this.plan.maxDelayTurns + 1));
    for (let i = 0; i < turns; i += 1) {
      await new Promise<void>((resolve) => (this.random() < 0.5 ? setImmediate(resolve) : queueMicrotask(resolve)));
    }
  }

  get concurrentLoads(): number {
    let n = 0;
    for (const v of this.loadsRunning.values()) n += v;
    return n;
  }

  private get concurrentSlots(): number {
    let n = this.concurrentLoads;
    for (const v of this.ddlRunning.values()) n += v;
    for (const v of this.maintenanceRunning.values()) n += v;
    return n;
  }

  store(): ObjectStore {
    const store: ObjectStore = {
      upload: async (localPath, key) => {
        this.uploadsRunning += 1;
        this.maxConcurrentUploads = Math.max(this.maxConcurrentUploads, this.uploadsRunning);
        try {
          const { text, rows } = await stagedRows(localPath);
          for (const row of rows) {
            const uid = Object.values(row).find((v) => typeof v === 'string' && /^u\d+$/.test(v));
            if (uid !== undefined) this.stagedValues.set(uid as string, row);
          }
          await this.delay();
          if (this.random() < this.plan.uploadFailure) throw new InjectedFault(`upload of ${key}`);
          this.objects.set(key, text);
          this.written.set(key, this.clock);
          return `s3a://bucket/${key}`;
        } finally {
          this.uploadsRunning -= 1;
        }
      },
      putText: async (key, text) => {
        await this.delay();
        this.objects.set(key, text);
        this.written.set(key, this.clock);
      },
      getText: async (key) => {
        await this.delay();
        return this.objects.get(key);
      },
      list: async (prefix) => {
        await this.delay();
        return [...this.objects.keys()]
          .filter((k) => k.startsWith(prefix))
          .map((key) => ({ key, lastModified: (this.written.get(key) ?? 0) < this.staleBefore ? new Date(0) : new Date() }));
      },
      remove: async (keys) => {
        await this.delay();
        for (const key of keys) this.objects.delete(key);
      },
    };
    const generation = this.generation;
    const op = <A extends unknown[], R>(f: (...args: A) => Promise<R>) => (...args: A) => this.op(() => f(...args), generation);
    return { upload: op(store.upload), putText: op(store.putText), getText: op(store.getText), list: op(store.list), remove: op(store.remove) };
  }

  connect(): SqlExecutor {
    const session = new FakeSession(this);
    this.sessions.push(session);
    return session;
  }

  /**
   * Marks a load, DDL or version retirement on `table` as running while `work` runs, checking
   * they never overlap on one table, that loads and DDL together stay within `parallelism`, and
   * that no load comes before the table's CREATE finished.
   */
  async onTable<T>(table: string, kind: 'load' | 'ddl' | 'retire' | 'maintenance', work: () => Promise<T>, createsTable = false): Promise<T> {
    const mine = kind === 'load' ? this.loadsRunning : kind === 'ddl' ? this.ddlRunning : kind === 'maintenance' ? this.maintenanceRunning : this.retiresRunning;
    const running = (map: Map<string, number>) => (map.get(table) ?? 0) > 0;
    if (kind === 'load' && !createsTable && !this.tables.has(table)) this.violations.push(`load of ${table} before its CREATE TABLE finished`);
    if (createsTable && this.tables.has(table)) this.violations.push(`CREATE TABLE AS SELECT of ${table}, which exists`);
    if (kind !== 'load' && running(this.loadsRunning)) this.violations.push(`${kind} on ${table} while a load of it runs`);
    if (kind !== 'ddl' && running(this.ddlRunning)) this.violations.push(`${kind} on ${table} while a DDL statement of it runs`);
    if (kind !== 'retire' && running(this.retiresRunning)) this.violations.push(`${kind} on ${table} while a version retirement of it runs`);
    if (kind !== 'maintenance' && running(this.maintenanceRunning)) this.violations.push(`${kind} on ${table} while maintenance of it runs`);
    if (running(mine)) this.violations.push(`two ${kind} statements on ${table} at once`);
    mine.set(table, (mine.get(table) ?? 0) + 1);
    if (kind === 'load') this.maxConcurrentLoads = Math.max(this.maxConcurrentLoads, this.concurrentLoads);
    if (kind !== 'retire') {
      this.maxConcurrentSlots = Math.max(this.maxConcurrentSlots, this.concurrentSlots);
      if (this.concurrentSlots > this.parallelism) this.violations.push(`${this.concurrentSlots} loads and DDL statements at once with parallelism ${this.parallelism}`);
    }
    try {
      return await work();
    } finally {
      mine.set(table, (mine.get(table) ?? 1) - 1);
    }
  }

  /** Rows a load statement (`sql`, naming the staged columns `c0` AS `<column>`) of run `generation` wrote into `table`. */
  wrote(table: string, uids: readonly string[], generation: number, sql: string): void {
    const names = new Map([...sql.matchAll(STAGED_COLUMN)].map((m) => [m[1]!, m[2]!.replace(/``/g, '`').toLowerCase()]));
    const rows = this.rowsWritten.get(table) ?? [];
    for (const uid of uids) {
      const staged = this.stagedValues.get(uid) ?? {};
      rows.push({ generation, uid, values: Object.fromEntries(Object.entries(staged).map(([k, v]) => [names.get(k) ?? k, v])) });
    }
    this.rowsWritten.set(table, rows);
  }

  /** A compaction restricted by `where` must select every partition the loads of its run (generation) wrote into the table. */
  private checkCompaction(table: string, generation: number, where: string | undefined): void {
    if (where === undefined) return;
    this.restrictedCompactions += 1;
    const spec = this.tables.get(table)?.partition ?? [];
    if (spec.length === 0) {
      this.violations.push(`rewrite_data_files of unpartitioned ${table} restricted by ${where}`);
      return;
    }
    for (const { uid, values: row } of (this.rowsWritten.get(table) ?? []).filter((w) => w.generation === generation)) {
      for (const field of spec) {
        for (const probe of partitionProbes(field, row[field.column] ?? null)) {
          let selected: boolean;
          try {
            selected = satisfies(where, { ...row, [field.column]: probe });
          } catch (e) {
            this.violations.push(`rewrite_data_files of ${table}: the fake cannot read where ${where} (${(e as Error).message})`);
            return;
          }
          if (selected) continue;
          this.violations.push(`rewrite_data_files of ${table} restricted by ${where} leaves out the partition of row ${uid} (${field.transform}(${field.column}) of ${String(row[field.column])}, probe ${String(probe)})`);
          return;
        }
      }
    }
  }

  /** A maintenance statement: exclusive on its table like DDL, takes a slot, may fail (plan.maintenanceFailure). */
  maintain(table: string, what: string, generation = this.generation, where?: string): Promise<Row[]> {
    if (what === 'rewrite_data_files' && this.tables.has(table)) this.checkCompaction(table, generation, where);
    return this.onTable(table, 'maintenance', async () => {
      await this.delay();
      if (!this.tables.has(table)) throw new Error(`[TABLE_OR_VIEW_NOT_FOUND] ${table}`);
      if (this.random() < (this.plan.maintenanceFailure ?? 0)) throw new Error(`injected maintenance fault: ${what}`);
      this.maintenance.push(`${what} ${table}`);
      return what === 'snapshots' ? [{ snapshots: '1', data_files: '1', delete_files: '0', run_snapshots: '1', run_data_files: '1', run_delete_files: '0' }] : [];
    });
  }

  /** The read of what a run added to `tables`: no statement may run on any of them meanwhile. */
  async readAdditions(tables: readonly string[]): Promise<Row[]> {
    for (const table of tables) {
      for (const [kind, map] of [['load', this.loadsRunning], ['DDL', this.ddlRunning], ['retirement', this.retiresRunning], ['maintenance', this.maintenanceRunning]] as const) {
        if ((map.get(table) ?? 0) > 0) this.violations.push(`run additions of ${table} read while a ${kind} statement of it runs`);
      }
    }
    await this.delay();
    if (this.random() < (this.plan.maintenanceFailure ?? 0)) throw new Error('injected fault: reading run additions');
    this.additionsRead.push(...tables);
    return tables.map((_, i) => ({ i, run_snapshots: '1', run_data_files: '1', run_delete_files: '0' }));
  }
}

export class FakeSession implements SqlExecutor {
  closed = false;
  /** The session's spark.wap.id. */
  wapId?: string;
  private readonly generation: number;

  constructor(private readonly lake: FakeLakehouse) {
    this.generation = lake.generation;
  }

  query(sql: string): Promise<Row[]> {
    return this.lake.op(() => this.run(sql), this.generation);
  }

  private async run(sql: string): Promise<Row[]> {
    if (this.closed) throw new Error('session is closed');
    const lake = this.lake;
    const table = TABLE_OF.exec(sql)?.[1];
    const set = /^SET spark\.wap\.id=(.+)$/.exec(sql);
    if (set) {
      this.wapId = set[1];
      return [];
    }
    if (sql === 'RESET spark.wap.id') {
      this.wapId = undefined;
      return [];
    }
    // Table maintenance (CALL <catalog>.system.<procedure> unquoted, its snapshot-log read) goes before the
    // modelled procedures (publish, rollback and the dead-run clean-up's expiry name `system` quoted).
    if (ADDITIONS_READ.test(sql)) return lake.readAdditions([...sql.matchAll(ADDITIONS_TABLE)].map((m) => m[1]!));
    const maintenance = maintenanceTarget(sql);
    if (maintenance) return lake.maintain(maintenance.table, maintenance.what, this.generation, maintenance.where);
    if (sql.startsWith('CALL ')) {
      await lake.delay();
      return lake.procedure(sql, this.wapId);
    }
    const snapshotsOf = SNAPSHOTS_OF.exec(sql)?.[1];
    if (snapshotsOf !== undefined) {
      await lake.delay();
      return lake.snapshotRows(snapshotsOf);
    }
    if (sql.startsWith('SHOW TBLPROPERTIES')) {
      await lake.delay();
      const t = lake.tables.get(table!);
      if (!t) throw new Error(`[TABLE_OR_VIEW_NOT_FOUND] ${table}`);
      return [{ key: 'write.wap.enabled', value: t.wap ? 'true' : `Table ${table} does not have property: write.wap.enabled` }];
    }
    if (table !== undefined && sql === `DELETE FROM ${table}`) {
      return lake.onTable(table, 'retire', async () => {
        await lake.delay();
        lake.commitRows(table, [], this.wapId);
        return [];
      });
    }
    // CREATE TABLE ... AS SELECT: a load that creates its table on commit.
    const createsTable = /^CREATE TABLE \S+ USING iceberg(?: PARTITIONED BY \((?:[^()]|\([^()]*\))*\))?(?: TBLPROPERTIES \([^)]*\))? AS SELECT /.test(sql);
    if (/^(MERGE INTO|INSERT )/.test(sql) || createsTable) {
      const key = STAGED_FILE.exec(sql)?.[1]?.replace(/``/g, '`');
      return lake.onTable(table!, 'load', async () => {
        lake.loadStatements += 1;
        await lake.delay();
        const fail = lake.random() < lake.plan.loadFailure;
        const afterCommit = lake.random() < 0.5;
        if (fail && !afterCommit) throw new InjectedFault('load statement');
        if (key === undefined) throw new Error(`load statement without a staged file: ${sql.slice(0, 80)}`);
        if (createsTable && lake.tables.has(table!)) throw new Error(`[TABLE_OR_VIEW_ALREADY_EXISTS] ${table}`);
        const batch = lake.stagedRows(key);
        lake.loadedTables.add(table!);
        if (createsTable) lake.tables.set(table!, newTable(false, partitionSpecOf(sql)));
        lake.wrote(table!, batch, this.generation, sql);
        const rows = sql.startsWith('MERGE INTO') ? lake.merged(table!, batch) : sql.startsWith('INSERT OVERWRITE') || createsTable ? batch : [...lake.visibleRows(table!), ...batch];
        lake.commitRows(table!, rows, this.wapId);
        await lake.delay();
        if (fail) throw new InjectedFault('load statement (after commit)');
        return [];
      }, createsTable);
    }
    if (!/^(DELETE FROM|UPDATE)/.test(sql)) await lake.ddlGate;
    if (/^(ALTER TABLE|CREATE TABLE)/.test(sql)) {
      return lake.onTable(table!, 'ddl', async () => {
        await lake.delay();
        if (lake.random() < (lake.plan.ddlFailure ?? 0)) throw new InjectedFault('DDL statement');
        // Only now is the table there: a load sent earlier is a violation (see onTable).
        const wap = /'write\.wap\.enabled'='true'/.test(sql);
        if (sql.startsWith('CREATE TABLE') && !lake.tables.has(table!)) lake.tables.set(table!, newTable(wap, partitionSpecOf(sql)));
        else if (sql.startsWith('ALTER TABLE') && wap) lake.tables.get(table!)!.wap = true;
        const evolved = / (ADD|DROP) PARTITION FIELD (.+)$/.exec(sql);
        if (evolved && lake.tables.has(table!)) {
          const t = lake.tables.get(table!)!;
          const field = partitionField(evolved[2]!);
          t.partition = evolved[1] === 'ADD' ? [...t.partition, field] : t.partition.filter((f) => JSON.stringify(f) !== JSON.stringify(field));
        }
        return [];
      });
    }
    if (/^(DELETE FROM|UPDATE)/.test(sql)) {
      // Version retirement: exclusive on its table like DDL, but not a batch load.
      return lake.onTable(table!, 'retire', async () => {
        await lake.delay();
        return [];
      });
    }
    await lake.delay();
    // Rows an ACTIVATE_VERSION would retire: one, so the retirement statement runs too.
    if (sql.startsWith('SELECT COUNT(*) AS n')) return [{ n: '1' }];
    if (sql.startsWith('SHOW TABLES')) {
      const schema = /IN ((?:`(?:[^`]|``)*`\.?)+)/.exec(sql)?.[1] ?? '';
      return [...lake.tables.keys()].filter((t) => t.startsWith(`${schema}.`)).map((t) => ({ tableName: t.slice(schema.length + 2, -1).replace(/``/g, '`') }));
    }
    if (sql.startsWith('DESCRIBE')) {
      if (!table || !lake.tables.has(table)) throw new Error(`[TABLE_OR_VIEW_NOT_FOUND] The table or view ${table} cannot be found.`);
      return [];
    }
    return [];
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** The table (as the other statements name it) and procedure of a maintenance statement, or `snapshots` for a snapshot-log read. */
function maintenanceTarget(sql: string): { table: string; what: string; where?: string } | undefined {
  const call = MAINTENANCE_CALL.exec(sql);
  if (call) return { table: `${call[1]}.${call[3]!.replace(/\\(.)/g, '$1')}`, what: call[2]!, ...(call[4] === undefined ? {} : { where: call[4].replace(ESCAPED, (_, c: string) => UNESCAPE[c] ?? c) }) };
  const read = METADATA_READ.exec(sql);
  return read ? { table: read[1]!, what: 'snapshots' } : undefined;
}

function newTable(wap: boolean, partition: FakePartitionField[] = []): FakeTable {
  return { columns: [], partition, wap, snapshots: new Map(), current: null };
}

/**
 * The rows of a staged Parquet batch file as JSON text (each record's uid appears in it), and
 * their values (by staged column; integers as bigint) for partitions.
 */
async function stagedRows(path: string): Promise<{ text: string; rows: Array<Record<string, SqlValue>> }> {
  const lines: string[] = [];
  const rows: Array<Record<string, SqlValue>> = [];
  for await (const row of parquetFileRecords(path)) {
    lines.push(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
    const values: Record<string, SqlValue> = {};
    for (const [k, v] of Object.entries(row as Record<string, unknown>)) values[k] = typeof v === 'number' ? BigInt(v) : typeof v === 'bigint' || typeof v === 'string' ? v : null;
    rows.push(values);
  }
  return { text: lines.join('\n'), rows };
}

/** The partition spec a CREATE TABLE statement gives (PARTITIONED BY), or none. */
function partitionSpecOf(sql: string): FakePartitionField[] {
  const clause = PARTITIONED_BY.exec(sql)?.[1];
  return clause === undefined ? [] : clause.split(/, (?![^(]*\))/).map(partitionField);
}

function partitionField(text: string): FakePartitionField {
  const m = PARTITION_FIELD.exec(text.trim());
  if (!m) throw new Error(`the fake lakehouse cannot follow partition field ${text}`);
  return { column: m[3]!.replace(/``/g, '`').toLowerCase(), transform: (m[1] as 'bucket' | 'truncate' | undefined) ?? 'identity', argument: Number(m[2] ?? 0) };
}

const floorDiv = (a: bigint, b: bigint) => (a % b !== 0n && a < 0n !== b < 0n ? a / b - 1n : a / b);

/**
 * Values standing for the partition of `value` under `field`, each of which a restricting
 * predicate on the source column must select: the value itself for identity and bucket (a hash
 * has no range); for truncate, values of the whole partition (the predicate selects it whole):
 * of an integer the first and the last, of text its first W code points alone and followed by more.
 */
function partitionProbes(field: FakePartitionField, value: SqlValue): SqlValue[] {
  if (field.transform !== 'truncate' || value === null) return [value];
  if (typeof value === 'string') {
    const points = [...value];
    const prefix = points.slice(0, field.argument).join('');
    return points.length < field.argument ? [value] : [value, prefix, `${prefix}zé`];
  }
  const width = BigInt(field.argument);
  const first = floorDiv(value, width) * width;
  return [first, first + width - 1n];
}
