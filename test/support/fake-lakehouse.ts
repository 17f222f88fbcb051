import { parquetFileRecords } from '../../src/staging/parquet-reader.js';
import type { Row, SqlExecutor } from '../../src/spark/executor.js';
import type { ObjectStore } from '../../src/storage/object-store.js';

/**
 * An in-memory stand-in for S3 and the Spark SQL endpoint, for schedule-exploring tests of the
 * engine. It understands just enough of the statements the target sends (DDL, MERGE / INSERT
 * reading staged files by path, version retirement) to know which input records are
 * committed at any moment, and it checks the protocol as it goes: how many loads and DDL
 * statements run at once, whether DDL ever touches a table while a load of that table runs,
 * whether a load runs before its table's CREATE finished or reads a staged object that does not
 * exist. Delays and failures come from a list of generated choices, so a
 * failing schedule is reproduced (and shrunk) by fast-check like any other input.
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

const TABLE_OF = /^(?:MERGE INTO|INSERT (?:INTO|OVERWRITE)|ALTER TABLE|CREATE TABLE IF NOT EXISTS|CREATE TABLE|DELETE FROM|UPDATE|DESCRIBE TABLE|DESCRIBE)\s+((?:`(?:[^`]|``)*`\.?)+)/;
const STAGED_FILE = /FROM parquet\.`s3a:\/\/bucket\/((?:[^`]|``)+)`/;
const UID = /"(u\d+)"/g;
/** Table maintenance: one of the maintenance procedures (other CALLs are not maintenance), or a snapshot-log read. */
const MAINTENANCE_CALL = /^CALL (`(?:[^`]|``)*`)\.system\.(rewrite_data_files|expire_snapshots|rewrite_manifests|remove_orphan_files)\(table => '((?:[^'\\]|\\.)*)'/;
const METADATA_READ = /^SELECT .* FROM ((?:`(?:[^`]|``)*`\.){2}`(?:[^`]|``)*`)\.`snapshots`$/;

export class FakeLakehouse {
  private choice = 0;
  /** Staged objects by key, content decoded to text. */
  readonly objects = new Map<string, string>();
  /** uid -> number of committed load statements that carried it. */
  readonly committed = new Map<string, number>();
  readonly tables = new Map<string, { columns: string[] }>();
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
  /** Maintenance statements that ran to the end, as `<procedure> <table>`. */
  readonly maintenance: string[] = [];
  private uploadsRunning = 0;

  constructor(
    readonly plan: FaultPlan,
    readonly parallelism: number,
  ) {
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
    return {
      upload: async (localPath, key) => {
        this.uploadsRunning += 1;
        this.maxConcurrentUploads = Math.max(this.maxConcurrentUploads, this.uploadsRunning);
        try {
          const text = await stagedText(localPath);
          await this.delay();
          if (this.random() < this.plan.uploadFailure) throw new InjectedFault(`upload of ${key}`);
          this.objects.set(key, text);
          return `s3a://bucket/${key}`;
        } finally {
          this.uploadsRunning -= 1;
        }
      },
      putText: async (key, text) => {
        await this.delay();
        this.objects.set(key, text);
      },
      list: async (prefix) => {
        await this.delay();
        return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).map((key) => ({ key, lastModified: new Date() }));
      },
      remove: async (keys) => {
        await this.delay();
        for (const key of keys) this.objects.delete(key);
      },
    };
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

  /** A maintenance statement: exclusive on its table like DDL, takes a slot, may fail (plan.maintenanceFailure). */
  maintain(table: string, what: string): Promise<Row[]> {
    return this.onTable(table, 'maintenance', async () => {
      await this.delay();
      if (!this.tables.has(table)) throw new Error(`[TABLE_OR_VIEW_NOT_FOUND] ${table}`);
      if (this.random() < (this.plan.maintenanceFailure ?? 0)) throw new Error(`injected maintenance fault: ${what}`);
      this.maintenance.push(`${what} ${table}`);
      return what === 'snapshots' ? [{ snapshots: '1', data_files: '1', delete_files: '0', run_snapshots: '1', run_data_files: '1' }] : [];
    });
  }

  commitObject(key: string): void {
    const text = this.objects.get(key);
    if (text === undefined) {
      this.violations.push(`load read staged object ${key}, which does not exist`);
      throw new Error(`Path does not exist: ${key}`);
    }
    for (const match of text.matchAll(UID)) this.committed.set(match[1]!, (this.committed.get(match[1]!) ?? 0) + 1);
  }
}

export class FakeSession implements SqlExecutor {
  closed = false;

  constructor(private readonly lake: FakeLakehouse) {}

  async query(sql: string): Promise<Row[]> {
    if (this.closed) throw new Error('session is closed');
    const lake = this.lake;
    const table = TABLE_OF.exec(sql)?.[1];
    // CREATE TABLE ... AS SELECT: a load that creates its table on commit.
    const createsTable = /^CREATE TABLE \S+ USING iceberg(?: TBLPROPERTIES \([^)]*\))? AS SELECT /.test(sql);
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
        lake.commitObject(key);
        lake.loadedTables.add(table!);
        if (createsTable) lake.tables.set(table!, { columns: [] });
        await lake.delay();
        if (fail) throw new InjectedFault('load statement (after commit)');
        return [];
      }, createsTable);
    }
    const maintenance = maintenanceTarget(sql);
    if (maintenance) return lake.maintain(maintenance.table, maintenance.what);
    if (!/^(DELETE FROM|UPDATE)/.test(sql)) await lake.ddlGate;
    if (/^(ALTER TABLE|CREATE TABLE)/.test(sql)) {
      return lake.onTable(table!, 'ddl', async () => {
        await lake.delay();
        if (lake.random() < (lake.plan.ddlFailure ?? 0)) throw new InjectedFault('DDL statement');
        // Only now is the table there: a load sent earlier is a violation (see onTable).
        if (sql.startsWith('CREATE TABLE')) lake.tables.set(table!, { columns: [] });
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
function maintenanceTarget(sql: string): { table: string; what: string } | undefined {
  const call = MAINTENANCE_CALL.exec(sql);
  if (call) return { table: `${call[1]}.${call[3]!.replace(/\\(.)/g, '$1')}`, what: call[2]! };
  const read = METADATA_READ.exec(sql);
  return read ? { table: read[1]!, what: 'snapshots' } : undefined;
}

/** The rows of a staged Parquet batch file as JSON text (each record's uid appears in it). */
async function stagedText(path: string): Promise<string> {
  const lines: string[] = [];
  for await (const row of parquetFileRecords(path)) lines.push(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
  return lines.join('\n');
}
