import type { Logger } from '../logging.js';
import type { MaintenanceReport, TableStats } from '../loading/table-maintenance.js';
import type { RunAdditions } from '../sql/run-additions.js';

/** What the run is doing to one batch right now, for the progress line. */
export type Phase = 'upload' | 'load';

/** What the reader waits for while input waits: table set-up (DDL) or loads (a slot, a flush). */
export type Wait = 'setup' | 'loads';

interface Running {
  phase: Phase;
  what: string;
  since: number;
}

/** Message types in the order the summary lists them. */
const MESSAGE_TYPES = ['SCHEMA', 'RECORD', 'STATE', 'ACTIVATE_VERSION', 'BATCH'] as const;

/**
 * Counts what a run reads, stages and loads, for the periodic progress line and the closing
 * summary. Only counts and clocks: the router, sinks and loader tell it what happened; it never
 * decides anything. The reader's time is split into reading input (waiting for the tap), staging
 * (turning messages into batch files), waiting for table set-up (DDL, which also waits for the
 * table's earlier loads) and waiting for loads (no free slot, a flush, the end of the run); those
 * four add up to the reader's time. Uploads and loads run beside it and are summed over the loads
 * that ran at once.
 */
export class Progress implements MaintenanceReport {
  readonly counts = { lines: 0, records: 0, batchRecords: 0, batches: 0, committed: 0 };
  /** Lines by message type (`unknown` for types the target skips). */
  readonly types = new Map<string, number>();
  readonly seconds = { read: 0, stage: 0, setup: 0, loads: 0, upload: 0, load: 0 };
  private readonly rowsByTable = new Map<string, number>();
  /** Per table: snapshots the run's statements committed, what they added (read after the last load), maintenance before/after. */
  private readonly snapshotsByTable = new Map<string, number>();
  private readonly additionsByTable = new Map<string, RunAdditions>();
  private readonly maintenance = new Map<string, { before: TableStats; after: TableStats }>();
  private readonly running = new Map<number, Running>();
  /** The most uploads and loads that ran at the same time. */
  private mostAtOnce = 0;
  private nextId = 0;
  private lastReport: { at: number; records: number };
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastReport = { at: now(), records: 0 };
  }

  /** Logs a progress line every `seconds` (0: never). */
  start(seconds: number, waiting: () => number = () => 0): void {
    if (seconds <= 0) return;
    this.timer = setInterval(() => this.log.info(this.line(waiting())), seconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One line of input, by its message type. */
  message(type: string): void {
    this.counts.lines += 1;
    if (type === 'RECORD') this.counts.records += 1;
    const key = (MESSAGE_TYPES as readonly string[]).includes(type) ? type : 'unknown';
    this.types.set(key, (this.types.get(key) ?? 0) + 1);
  }

  /** A record that came in a BATCH file (its BATCH line is counted as a line). */
  batchRecord(): void {
    this.counts.batchRecords += 1;
  }

  /** Adds the time of one step of the reader to its share. */
  spent(share: 'read' | 'stage', ms: number): void {
    this.seconds[share] += ms / 1000;
  }

  /** Seconds the reader has waited so far, for all reasons. */
  get waited(): number {
    return this.seconds.setup + this.seconds.loads;
  }

  /** Awaits `promise` as the reader's wait for `what`, and counts the time under it. */
  async wait<T>(what: Wait, promise: Promise<T>): Promise<T> {
    const since = this.now();
    try {
      return await promise;
    } finally {
      this.seconds[what] += (this.now() - since) / 1000;
    }
  }

  /** A batch enters a phase; returns the token to end it with. */
  begin(phase: Phase, what: string): number {
    const id = ++this.nextId;
    this.running.set(id, { phase, what, since: this.now() });
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running.size);
    return id;
  }

  end(id: number): void {
    const entry = this.running.get(id);
    if (!entry) return;
    this.running.delete(id);
    this.seconds[entry.phase] += (this.now() - entry.since) / 1000;
  }

  committed(table: string, rows: number): void {
    this.counts.committed += 1;
    this.rowsByTable.set(table, (this.rowsByTable.get(table) ?? 0) + rows);
  }

  snapshotAdded(table: string): void {
    this.snapshotsByTable.set(table, (this.snapshotsByTable.get(table) ?? 0) + 1);
  }

  runAdditions(table: string, additions: RunAdditions): void {
    this.additionsByTable.set(table, additions);
  }

  maintained(table: string, before: TableStats, after: TableStats): void {
    this.maintenance.set(table, { before, after });
  }

  /** The periodic line: throughput since the last one, batches by state, the oldest load. */
  line(pending = 0): string {
    const now = this.now();
    const rate = Math.round(((this.counts.records - this.lastReport.records) * 1000) / Math.max(1, now - this.lastReport.at));
    this.lastReport = { at: now, records: this.counts.records };
    const loading = [...this.running.values()];
    const oldest = loading.reduce<Running | undefined>((a, b) => (a === undefined || b.since < a.since ? b : a), undefined);
    const uploads = loading.filter((r) => r.phase === 'upload').length;
    const parts = [
      `Progress: ${this.counts.records} record(s) read (${rate}/s)`,
      `batches: ${this.counts.batches} closed, ${uploads} uploading, ${loading.length - uploads} loading, ${this.counts.committed} committed${pending > 0 ? `, ${pending} waiting` : ''}`,
    ];
    if (oldest) parts.push(`${oldest.phase === 'load' ? oldest.what : `upload for ${oldest.what}`} running for ${Math.round((now - oldest.since) / 1000)} s`);
    return parts.join('; ');
  }

  /**
   * The closing line. `seconds` is the run's one duration (the sync_duration metric's too);
   * a failed run's line starts "Run failed after".
   */
  summary(seconds: number, failed = false): string {
    const { lines, batchRecords, batches } = this.counts;
    const types = [...MESSAGE_TYPES, 'unknown']
      .filter((t) => (this.types.get(t) ?? 0) > 0)
      .map((t) => `${this.types.get(t)} ${t === 'unknown' ? 'of unknown type' : t}`);
    const fromFiles = batchRecords > 0 ? `, ${batchRecords} record(s) from BATCH files` : '';
    const tables = [...this.rowsByTable].map(([table, rows]) => `${table} ${rows}${this.added(table)}`).join(', ');
    const unloaded = [...this.snapshotsByTable.keys()].filter((t) => !this.rowsByTable.has(t)).map((t) => `${t}${this.added(t)}`);
    const maintained = [...this.maintenance].map(
      ([table, { before, after }]) => `${table} data files ${before.dataFiles} -> ${after.dataFiles}, snapshots ${before.snapshots} -> ${after.snapshots}`,
    );
    const s = this.seconds;
    const together = this.mostAtOnce > 1 ? ` (summed over ${this.mostAtOnce} parallel loads)` : '';
    return (
      `${failed ? 'Run failed after' : 'Run finished in'} ${duration(seconds)}: ` +
      `${lines} line(s) read${types.length > 0 ? ` (${types.join(', ')})` : ''}${fromFiles}; ` +
      `${batches} batch(es) ${failed ? 'closed' : 'loaded'}${tables ? `, rows committed: ${tables}` : ''}${unloaded.length > 0 ? `, other tables changed: ${unloaded.join(', ')}` : ''}; ` +
      `${maintained.length > 0 ? `maintenance: ${maintained.join('; ')}; ` : ''}` +
      `time: reading input ${duration(s.read)}, staging ${duration(s.stage)}, waiting for table set-up ${duration(s.setup)}, ` +
      `waiting for loads ${duration(s.loads)}; upload ${duration(s.upload)}, load ${duration(s.load)}${together}`
    );
  }

  /**
   * ` (+2 snapshot(s), +3 data file(s), +1 delete file(s))`: what the run added to `table`; files
   * only when its snapshot log could be read, delete files (merge-on-read updates) only when any.
   */
  private added(table: string): string {
    const snapshots = this.snapshotsByTable.get(table);
    if (snapshots === undefined) return '';
    const files = this.additionsByTable.get(table);
    const deletes = files && files.deleteFiles > 0 ? `, +${files.deleteFiles} delete file(s)` : '';
    return ` (+${snapshots} snapshot(s)${files ? `, +${files.dataFiles} data file(s)${deletes}` : ''})`;
  }
}

/** `0.004 s`, `2.35 s`, `61.2 s`: three significant places for short times, tenths for long ones. */
function duration(seconds: number): string {
  if (seconds < 1) return `${seconds.toFixed(3)} s`;
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  return `${seconds.toFixed(1)} s`;
}
