import { hostname } from 'node:os';
import { mkdir, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppendMarkerEntry } from '../loading/append-commits.js';
import type { Logger } from '../logging.js';
import type { ObjectStore } from '../storage/object-store.js';
import { StagingError } from './staging-error.js';

/**
 * Leftovers of runs that were killed (kill -9, OOM, a lost container): batch files in temp_dir
 * and staged objects under the S3 prefix. Every run announces itself with a marker — a file
 * `<runId>.run` in temp_dir and an object `<prefix>_runs/<runId>.json` — refreshed every minute
 * and removed when the run ends. At start, a run removes what belongs to dead runs:
 *
 *  L1  A run is dead when its marker has not been refreshed for `staleAfterMs` (15 min), or, for
 *      a local marker, when it names this host and its process no longer exists.
 *  L2  Files of the target's naming (`<runId>-...`, `batch-*.parquet`) are removed when their run
 *      is dead, or when they have no marker, are older than the oldest live run (a live run only
 *      creates files after it started) and older than `orphanAfterMs` (24 h: a run of a version
 *      without markers may still be using them).
 *  L3  Staged objects live under `<prefix><runId>/`; that folder is removed when the run is dead
 *      by L1 (the S3 marker's name carries host and pid). Objects of unknown runs are left alone
 *      (the README recommends a lifecycle rule for the prefix).
 *  L4  The S3 marker also lists the append-only tables the run commits to, each with the last
 *      commit a printed state covers (loading/append-commits.ts). A dead run's marker is removed
 *      only after `onDeadRun` has undone its uncovered commits, so a run killed during that clean-up
 *      leaves it for the next run; a clean-up that fails stops the run (loading the replay would
 *      duplicate rows). A marker of a run not proven dead (another host, refreshed within
 *      `staleAfterMs`) that lists tables gets `onLiveRun` (those tables may get duplicates if that
 *      run was in fact killed and this is its resume); a live process of this host is not asked.
 */
const MARKER_SUFFIX = '.run';
const RUNS_FOLDER = '_runs/';
const RUN_FILE = /^([0-9a-f]{12})-/;
const SPOOL_FILE = /^batch-[0-9a-f-]{36}\.parquet$/;

export interface LeftoverOptions {
  runId: string;
  tempDir: string;
  store: ObjectStore;
  /** The S3 prefix of staged objects (s3_key_prefix). */
  prefix: string;
  log: Logger;
  staleAfterMs?: number;
  orphanAfterMs?: number;
  heartbeatMs?: number;
  now?: () => number;
  isAlive?: (pid: number) => boolean;
  /** The append-only tables of this run with their covered commits, written into the S3 marker (L4). */
  appends?: () => AppendMarkerEntry[];
  /** L4: undo a dead run's uncovered appends; the marker is removed only once this resolves. */
  onDeadRun?: (runId: string, appends: AppendMarkerEntry[]) => Promise<void>;
  /** L4: a marker of a run that may be alive lists append-only tables. */
  onLiveRun?: (runId: string, host: string, appends: AppendMarkerEntry[]) => void;
}

/** A dead run's clean-up failed: the run must not load (L4). */
export class DeadRunCleanupError extends StagingError {}

interface MarkerBody {
  host?: string;
  pid?: number;
  started?: string;
  heartbeat?: string;
  appends?: AppendMarkerEntry[];
}

export class RunMarkers {
  private timer?: NodeJS.Timeout;
  private readonly staleAfterMs: number;
  private readonly now: () => number;
  private readonly started: number;
  /** Whether the S3 marker was written: one never written is not deleted (nor retried) at the end. */
  private remoteWritten = false;
  /** S3 marker writes, one at a time: a heartbeat never lands over a newer coverage. */
  private writes: Promise<unknown> = Promise.resolve();
  private heartbeatAt?: string;

  constructor(private readonly options: LeftoverOptions) {
    this.staleAfterMs = options.staleAfterMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
    this.started = this.now();
  }

  private get localMarker(): string {
    return join(this.options.tempDir, `${this.options.runId}${MARKER_SUFFIX}`);
  }

  /** Host and pid are in the name, so a run on the same host can tell a dead run without reading it. */
  private get remoteMarker(): string {
    return `${this.options.prefix}${RUNS_FOLDER}${this.options.runId}-${process.pid}-${encodeURIComponent(hostname())}.json`;
  }

  /** Writes this run's markers, then removes what dead runs left. Cleanup problems are warnings only. */
  async start(): Promise<void> {
    const { tempDir, log } = this.options;
    try {
      await mkdir(tempDir, { recursive: true });
      await writeFile(this.localMarker, JSON.stringify({ pid: process.pid, host: hostname(), started: new Date(this.started).toISOString() }));
    } catch (e) {
      throw new StagingError(`Cannot write in temp_dir ${tempDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; check 'temp_dir' (free space, permissions, path length)`);
    }
    await this.save();
    this.remoteWritten = true;
    await this.sweepLocal().catch((e: Error) => log.warn(`Could not check temp_dir for leftovers of killed runs: ${e.message}`));
    await this.sweepRemote().catch((e: Error) => {
      if (e instanceof DeadRunCleanupError) throw e;
      log.warn(`Could not check the S3 prefix for leftovers of killed runs: ${e.message}`);
    });
    const heartbeat = this.options.heartbeatMs ?? 60_000;
    this.timer = setInterval(() => void this.refresh(), heartbeat);
    this.timer.unref();
  }

  /**
   * Writes the S3 marker with the current appends (L4), after any write already under way; the
   * body is taken when the write starts, so the last write carries the latest coverage.
   */
  save(): Promise<void> {
    const write = this.writes.then(() => {
      const body: MarkerBody = { host: hostname(), pid: process.pid, started: new Date(this.started).toISOString() };
      if (this.heartbeatAt) body.heartbeat = this.heartbeatAt;
      const appends = this.options.appends?.() ?? [];
      if (appends.length > 0) body.appends = appends;
      return this.options.store.putText(this.remoteMarker, JSON.stringify(body));
    });
    this.writes = write.catch(() => undefined);
    return write;
  }

  /**
   * Removes this run's markers (the run's own files and objects are cleaned by its loads).
   * `keepRemote`: the run failed with commits no printed state covers; its S3 marker stays, so the
   * next run undoes them (L4) once this run is dead.
   */
  async finish(keepRemote = false): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await rm(this.localMarker, { force: true }).catch(() => undefined);
    // A write that failed may still have landed (its answer lost); such a marker goes stale and the
    // next run removes it (L1, L3).
    if (!this.remoteWritten || keepRemote) return;
    await this.writes;
    await this.options.store.remove([this.remoteMarker]).catch((e: Error) => this.options.log.warn(`Could not remove the run marker ${this.remoteMarker}: ${e.message}`));
  }

  private async refresh(): Promise<void> {
    const at = new Date(this.now());
    await utimes(this.localMarker, at, at).catch(() => undefined);
    this.heartbeatAt = at.toISOString();
    await this.save().catch(() => undefined);
  }

  private async sweepLocal(): Promise<void> {
    const { tempDir, runId, log } = this.options;
    const names = await readdir(tempDir);
    const live = new Map<string, number>();
    const dead = new Set<string>();
    for (const name of names.filter((n) => n.endsWith(MARKER_SUFFIX))) {
      const id = name.slice(0, -MARKER_SUFFIX.length);
      if (id === runId) continue;
      const path = join(tempDir, name);
      const info = await stat(path).catch(() => undefined);
      if (!info) continue;
      const marker = await readFile(path, 'utf8').then((t) => JSON.parse(t) as { pid?: number; host?: string; started?: string }).catch(() => ({}) as { pid?: number; host?: string; started?: string });
      const stale = this.now() - info.mtimeMs > this.staleAfterMs;
      const gone = marker.host === hostname() && typeof marker.pid === 'number' && !(this.options.isAlive ?? isAlive)(marker.pid);
      if (stale || gone) dead.add(id);
      else live.set(id, Date.parse(marker.started ?? '') || info.mtimeMs);
    }
    const oldestLive = Math.min(this.started, ...live.values(), this.now() - (this.options.orphanAfterMs ?? 24 * 3_600_000));
    let removed = 0;
    for (const name of names) {
      const id = RUN_FILE.exec(name)?.[1];
      const isOurs = id !== undefined || SPOOL_FILE.test(name);
      if (!isOurs || id === runId || (id !== undefined && live.has(id))) continue;
      const path = join(tempDir, name);
      let remove = id !== undefined && dead.has(id);
      if (!remove) {
        const info = await stat(path).catch(() => undefined);
        remove = info !== undefined && info.mtimeMs < oldestLive;
      }
      if (remove) {
        await rm(path, { force: true });
        removed += 1;
      }
    }
    for (const id of dead) await rm(join(tempDir, `${id}${MARKER_SUFFIX}`), { force: true });
    if (removed > 0 || dead.size > 0) log.info(`Removed ${removed} batch file(s) of ${dead.size} killed run(s) from temp_dir ${tempDir}`);
  }

  private async sweepRemote(): Promise<void> {
    const { store, prefix, runId, log } = this.options;
    const markers = await store.list(`${prefix}${RUNS_FOLDER}`);
    for (const marker of markers) {
      const parts = /([0-9a-f]{12})-(\d+)-([^/]+)\.json$/.exec(marker.key);
      if (!parts) continue;
      const [, id, pid, host] = parts as unknown as [string, string, string, string];
      const stale = this.now() - marker.lastModified.getTime() > this.staleAfterMs;
      const here = decodeURIComponent(host) === hostname();
      const gone = here && !(this.options.isAlive ?? isAlive)(Number(pid));
      if (id === runId) continue;
      if (!(stale || gone)) {
        // A run of this host whose process lives is running, not killed: nothing to say.
        if (here) continue;
        const appends = await this.appendsOf(marker.key);
        if (appends.length > 0) this.options.onLiveRun?.(id, decodeURIComponent(host), appends);
        continue;
      }
      const appends = await this.appendsOf(marker.key);
      const objects = await store.list(`${prefix}${id}/`);
      await store.remove(objects.map((o) => o.key));
      if (appends.length > 0 && this.options.onDeadRun) {
        try {
          await this.options.onDeadRun(id, appends);
        } catch (e) {
          throw new DeadRunCleanupError(
            `Could not undo the appends of killed run ${id} that no printed state covers (marker ${marker.key}): ${(e as Error).message}; the run stops so that the replayed records are not loaded twice — check the lakehouse connection and run again`,
          );
        }
      }
      await store.remove([marker.key]);
      log.info(`Removed ${objects.length} staged object(s) of killed run ${id} under s3 prefix ${prefix}${id}/`);
    }
  }

  /** The append-only tables a marker lists (none when it cannot be read: markers of older versions have none). */
  private async appendsOf(key: string): Promise<AppendMarkerEntry[]> {
    const text = await this.options.store.getText(key);
    if (text === undefined) return [];
    try {
      const body = JSON.parse(text) as MarkerBody;
      return Array.isArray(body.appends) ? body.appends : [];
    } catch {
      return [];
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
