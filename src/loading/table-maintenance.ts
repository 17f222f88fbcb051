import type { TargetConfig } from '../config/config.js';
import { firstLine } from '../errors.js';
import type { Logger } from '../logging.js';
import type { TableRef } from '../schema/naming.js';
import type { Row, SqlExecutor } from '../spark/executor.js';
import { expireSnapshots, removeOrphanFiles, rewriteDataFiles, rewriteManifests, tableStats } from '../sql/maintenance.js';
import type { RunAdditions } from '../sql/run-additions.js';
import { tableName } from '../sql/statements.js';
import type { Job } from './load-coordinator.js';
import { readRunAdditions } from './run-additions.js';

export type MaintenanceSettings = Pick<
  TargetConfig,
  | 'maintenance'
  | 'maintenance_every_commits'
  | 'maintenance_time_budget_seconds'
  | 'maintenance_compact'
  | 'maintenance_compact_min_input_files'
  | 'maintenance_expire_snapshots'
  | 'maintenance_snapshot_retention_hours'
  | 'maintenance_retain_last_snapshots'
  | 'maintenance_rewrite_manifests_min'
  | 'maintenance_remove_orphan_files'
  | 'maintenance_orphan_file_age_hours'
  | 'summary_file_counts'
>;

/** A table's files and snapshots, from its snapshot log (sql/maintenance.ts tableStats). */
export interface TableStats {
  snapshots: number;
  dataFiles: number;
  deleteFiles: number;
  /** What the run's load commits added (sql/run-additions.ts). */
  run: RunAdditions;
  manifests?: number;
}

/** What the closing summary and progress lines are told (engine/progress.ts). */
export interface MaintenanceReport {
  /** A statement of the run committed a snapshot into `table` (counted, no statement sent). */
  snapshotAdded(table: string): void;
  /** What the run's loads added to `table`, read after its last load (before its maintenance, if any). */
  runAdditions(table: string, additions: RunAdditions): void;
  maintained(table: string, before: TableStats, after: TableStats): void;
}

/**
 * Where compaction of a partitioned table is restricted to the partitions this run touched: a
 * predicate on the partition columns, or undefined to compact the whole table (unpartitioned
 * tables). The table layout settings supply it; until then every table is compacted whole.
 */
export type CompactionFilter = (table: TableRef) => string | undefined;

const HOUR_MS = 3_600_000;

/**
 * Opt-in maintenance of the tables a run loaded (compaction, snapshot expiry, manifest rewrite,
 * orphan removal when asked), and the per-table counts of the closing summary: the snapshots the
 * run added are counted as its statements commit (free); the data and delete files they added are
 * read from the snapshot log after the run's last load, by maintenance where it reads the log
 * anyway (before it compacts or expires anything), and for every other table by readAdditions:
 * many tables to a statement (the lakehouse's work is per table either way; what grouping saves
 * is statements, docs/benchmarks.md). Every piece of work
 * is a job for the table's lane of the LoadCoordinator, so it never runs during a load of that
 * table and stays within `parallelism`. Its rules:
 *
 *  M1  A job never fails: a failing step is one WARN naming table, step and the setting to check,
 *      and the table's remaining steps are skipped; the data is already committed.
 *  M2  Snapshots are expired only after the run's last state line, when the tap resumes from past
 *      every commit of the run (a resumed run rolls back only commits after the last state line),
 *      never by maintenance every N commits; and never those younger than
 *      `maintenance_snapshot_retention_hours` (at least 1 hour) or among the newest
 *      `maintenance_retain_last_snapshots`. Iceberg never expires the current snapshot.
 *  M3  The time budget counts wall time while any maintenance job runs; a job that starts after
 *      it is spent skips its table, and the skipped tables are named in one INFO line at the end.
 *  M4  Orphan files are removed only when asked, after the run, and only those older than their
 *      own age setting.
 */
export class TableMaintenance {
  /** Touched tables by name, with their commits since their last maintenance and in the whole run. */
  private readonly touched = new Map<string, { ref: TableRef; commits: number; snapshots: number }>();
  /** Tables whose run additions were reported (by their maintenance after the run). */
  private readonly read = new Set<string>();
  private readonly skipped = new Set<string>();
  private active = 0;
  private activeSince = 0;
  private spentMs = 0;

  constructor(
    private readonly sql: SqlExecutor,
    private readonly settings: MaintenanceSettings,
    private readonly log: Logger,
    private readonly report: MaintenanceReport,
    private readonly compactionFilter: CompactionFilter = () => undefined,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /**
   * A statement of this run committed a snapshot into `ref`. Returns the maintenance job to submit
   * when `maintenance_every_commits` commits have accumulated.
   */
  committed(ref: TableRef): Job | undefined {
    const key = tableName(ref);
    this.report.snapshotAdded(key);
    const entry = this.touched.get(key) ?? { ref, commits: 0, snapshots: 0 };
    entry.commits += 1;
    entry.snapshots += 1;
    this.touched.set(key, entry);
    const every = this.settings.maintenance_every_commits;
    if (!this.settings.maintenance || every === 0 || entry.commits < every) return undefined;
    entry.commits = 0;
    return this.job(ref, async () => void (await this.maintain(ref, `after ${every} commit(s)`, false)));
  }

  /**
   * The jobs that end a successful run: with `maintenance`, one per touched table, whose stats
   * before maintenance give the summary what the run added.
   */
  finalJobs(): Job[] {
    if (!this.settings.maintenance) return [];
    return [...this.touched.values()].map(({ ref }) => this.job(ref, async () => void (await this.maintain(ref, 'after the run', true))));
  }

  /**
   * After the run's last load and its maintenance: reads what the run added to every touched table
   * whose maintenance did not read it, `parallel` statements at a time (run-additions.ts).
   */
  async readAdditions(parallel: number): Promise<void> {
    if (!this.settings.summary_file_counts) return;
    const unread = [...this.touched].filter(([name]) => !this.read.has(name)).map(([, { ref, snapshots }]) => ({ ref, snapshots }));
    await readRunAdditions(this.sql, unread, this.log, (table, additions) => this.report.runAdditions(table, additions), parallel);
  }

  /** One INFO line for the tables the time budget left unmaintained. */
  finish(): void {
    if (this.skipped.size === 0) return;
    this.log.info(
      `Maintenance time budget of ${this.settings.maintenance_time_budget_seconds} s spent: skipped ${this.skipped.size} table(s): ${[...this.skipped].join(', ')} ` +
        `(raise 'maintenance_time_budget_seconds' to maintain them)`,
    );
  }

  /** A job in the table's lane: never during its loads, within `parallelism`, never a reason to stop reading. */
  private job(ref: TableRef, run: () => Promise<void>): Job {
    return { lane: tableName(ref), slot: true, backpressure: false, run };
  }

  /** Seconds of maintenance spent so far (M3). */
  private spent(): number {
    return (this.spentMs + (this.active > 0 ? this.now() - this.activeSince : 0)) / 1000;
  }

  /**
   * Maintains one table (M1-M4); during the run (`afterRun` false) only compaction and manifests.
   * Returns its stats before maintenance, or undefined when they could not be read.
   */
  private async maintain(ref: TableRef, when: string, afterRun: boolean): Promise<TableStats | undefined> {
    const name = tableName(ref);
    if (this.spent() >= this.settings.maintenance_time_budget_seconds) {
      this.skipped.add(name);
      return undefined;
    }
    if (this.active++ === 0) this.activeSince = this.now();
    const started = this.now();
    let step = 'reading its snapshot log';
    try {
      const before = await this.stats(ref, true);
      if (afterRun) {
        this.read.add(name);
        this.report.runAdditions(name, before.run);
      }
      const done: string[] = [];
      const s = this.settings;
      if (s.maintenance_compact) {
        step = 'rewrite_data_files';
        const where = this.compactionFilter(ref);
        await this.sql.query(rewriteDataFiles(ref, { minInputFiles: s.maintenance_compact_min_input_files, ...(where === undefined ? {} : { where }) }));
        done.push('compacted');
      }
      if (s.maintenance_expire_snapshots && afterRun) {
        step = 'expire_snapshots';
        const olderThan = new Date(this.now() - s.maintenance_snapshot_retention_hours * HOUR_MS);
        await this.sql.query(expireSnapshots(ref, olderThan, s.maintenance_retain_last_snapshots));
        done.push(`expired snapshots older than ${s.maintenance_snapshot_retention_hours} h`);
      }
      if (s.maintenance_rewrite_manifests_min > 0 && (before.manifests ?? 0) >= s.maintenance_rewrite_manifests_min) {
        step = 'rewrite_manifests';
        await this.sql.query(rewriteManifests(ref));
        done.push('rewrote manifests');
      }
      if (s.maintenance_remove_orphan_files && afterRun) {
        step = 'remove_orphan_files';
        await this.sql.query(removeOrphanFiles(ref, new Date(this.now() - s.maintenance_orphan_file_age_hours * HOUR_MS)));
        done.push('removed orphan files');
      }
      step = 'reading its snapshot log';
      const after = await this.stats(ref, false);
      this.report.maintained(name, before, after);
      this.log.info(
        `Maintained ${name} ${when} in ${((this.now() - started) / 1000).toFixed(1)} s (${done.join(', ') || 'nothing to do'}): ` +
          `data files ${before.dataFiles} -> ${after.dataFiles}, delete files ${before.deleteFiles} -> ${after.deleteFiles}, snapshots ${before.snapshots} -> ${after.snapshots}`,
      );
      return before;
    } catch (e) {
      this.log.warn(`Maintenance of ${name} failed at ${step} and was skipped (the loaded data is committed): ${firstLine(e)}; check the 'maintenance_*' settings`);
      return undefined;
    } finally {
      if (--this.active === 0) this.spentMs += this.now() - this.activeSince;
    }
  }

  private async stats(ref: TableRef, manifests: boolean): Promise<TableStats> {
    const [row] = await this.sql.query(tableStats(ref, this.touched.get(tableName(ref))?.snapshots ?? 0, { manifests }));
    return statsOf(row);
  }
}

function statsOf(row: Row | undefined): TableStats {
  const n = (key: string) => Number(row?.[key] ?? 0);
  const stats: TableStats = {
    snapshots: n('snapshots'),
    dataFiles: n('data_files'),
    deleteFiles: n('delete_files'),
    run: { snapshots: n('run_snapshots'), dataFiles: n('run_data_files'), deleteFiles: n('run_delete_files') },
  };
  if (row?.manifests !== undefined) stats.manifests = n('manifests');
  return stats;
}
