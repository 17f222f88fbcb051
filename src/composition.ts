import { homedir, tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { s3ObjectOpener, type OpenS3Object } from './batching/batch-messages.js';
import { effectiveParallelism } from './batching/flush-policy.js';
import type { TargetConfig } from './config/config.js';
import { Progress } from './engine/progress.js';
import { asError } from './errors.js';
import { AppendCommits } from './loading/append-commits.js';
import { BatchLoader } from './loading/batch-loader.js';
import { undoDeadRunAppends } from './loading/dead-run-appends.js';
import { LoadCoordinator } from './loading/load-coordinator.js';
import { LoadJobs } from './loading/load-jobs.js';
import { TableMaintenance } from './loading/table-maintenance.js';
import { TableManager } from './loading/table-manager.js';
import { TouchedPartitions } from './loading/touched-partitions.js';
import type { Logger } from './logging.js';
import { StreamMapper } from './mapping/stream-mapper.js';
import type { Metrics } from './metrics.js';
import { TableRegistry } from './schema/table-registry.js';
import { streamLayoutFor } from './schema/table-layout.js';
import { ExecutorPool, poolExecutor } from './spark/executor-pool.js';
import type { SqlExecutor } from './spark/executor.js';
import { RunMarkers } from './staging/leftovers.js';
import { sessionSetup } from './sql/session.js';
import { tableName } from './sql/statements.js';
import { StateEmitter } from './state/state-emitter.js';
import { StateTracker } from './state/state-tracker.js';
import type { StateWriter } from './state/state-writer.js';
import type { ObjectStore } from './storage/object-store.js';
import type { S3ObjectStore } from './storage/s3-object-store.js';

export interface TargetDeps {
  config: TargetConfig;
  /** Opens s3:// files named by BATCH messages (default: an S3 client from the config). */
  openS3Object?: OpenS3Object;
  /** Opens a new lakehouse session; called once per parallel load slot. */
  connect: () => SqlExecutor;
  store: ObjectStore;
  state: Pick<StateWriter, 'write'>;
  log: Logger;
  /** METRIC lines per batch load (Meltano reads them from the log). */
  metrics?: Metrics;
}

/**
 * The adapters of a real run, built from the config: lakehouse sessions (one gateway for the
 * run, so every session's requests share the pacing and the 429 budget) and the S3 object store
 * that stages batches. Their modules (hive-driver, the AWS SDK) are imported here, when a run starts.
 */
export async function runAdapters(config: TargetConfig, log: Logger, ca: string | undefined): Promise<{ connect: () => SqlExecutor; store: S3ObjectStore }> {
  const [{ HiveServer2Executor }, { LakehouseGateway }, { S3ObjectStore }] = await Promise.all([
    import('./spark/hiveserver2-executor.js'),
    import('./spark/gateway.js'),
    import('./storage/s3-object-store.js'),
  ]);
  const gateway = new LakehouseGateway(config, (message) => log.warn(message));
  const connect = () =>
    new HiveServer2Executor({
      ...config,
      password: config.token,
      ca,
      gateway,
      // Timestamps are written and read as UTC whatever the lakehouse's default zone.
      sessionStatements: sessionSetup(),
      onRetry: (message) => log.warn(message),
      onStatement: (sql) => log.debug(`SQL: ${sql}`),
    });
  return { connect, store: new S3ObjectStore(config, (message) => log.warn(message)) };
}

/** The parts of one run, built from the config and the adapters; the router only routes to them. */
export interface Engine {
  config: TargetConfig;
  log: Logger;
  /** Counts and clocks for the progress lines and the closing summary. */
  progress: Progress;
  /** The safe-state rule (S1-S5). */
  tracker: StateTracker;
  /** States to stdout (R3). */
  states: StateEmitter;
  /** Slots, per-table order and failure (C1-C5). */
  coordinator: LoadCoordinator;
  /** Every change to a table as a job with its state hold. */
  jobs: LoadJobs;
  /** Which stream writes which table: two streams of one run never share a table. */
  registry: TableRegistry;
  /** `stream_maps`: messages are mapped before the sinks see them. */
  mapper?: StreamMapper;
  /** Where batch files are written. */
  tempDir: string;
  /** The run's id: names its batch files and staged objects (leftovers of a killed run are told apart). */
  runId: string;
  /**
   * The start of the run, before any message is read: the run's markers are written (also the
   * preflight of S3: a wrong bucket or credentials fail here, before any table is touched) and
   * what dead runs left is removed. A step that must run before any load belongs here.
   */
  start(): Promise<void>;
  /** Opens s3:// files named by BATCH messages. */
  openS3Object(): OpenS3Object;
  /** The end of the run, after every job settled: sessions and S3 clients released, the run's markers removed. */
  finish(): Promise<void>;
}

/**
 * The composition root: every part of a run is built here, from the config and the adapters
 * (lakehouse sessions, object store, state writer) the command or a test passes in.
 */
export function composeEngine(deps: TargetDeps): Engine {
  const { config, log, store } = deps;
  const parallelism = effectiveParallelism(config.parallelism, config.parallelism_max, availableParallelism());
  // One extra session for DDL so table changes never wait behind running loads.
  const pool = new ExecutorPool(deps.connect, parallelism + 1);
  // A new table is created by its first load (one statement instead of CREATE and MERGE).
  const tables = new TableManager(poolExecutor(pool), config.type_change_policy, log, (stream) => streamLayoutFor(stream, config));
  const progress = new Progress(log);
  const loader = new BatchLoader(pool, store, config.s3_key_prefix, log, deps.metrics, progress);
  /** Exactly-once appends: staged + published commits, and what each printed state covers. */
  const appends = new AppendCommits(loader.runId);
  const coordinator = new LoadCoordinator(parallelism);
  const tracker = new StateTracker();
  // The snapshots the run commits per table (the summary's per-table counts), maintenance.
  // Compaction of a partitioned table is restricted to the partitions the run's batches wrote.
  const partitions = new TouchedPartitions(log);
  const upkeep = new TableMaintenance(poolExecutor(pool), config, log, progress, partitions.filter);
  // A2 (loading/append-commits.ts): the marker records what a state covers before it is printed.
  const states = new StateEmitter(tracker, deps.state, config.load_method === 'overwrite', (e) => coordinator.fail(asError(e)), () =>
    appends.cover((stream) => tracker.coveredUpTo(stream)),
  );
  const tempDir = config.temp_dir ? config.temp_dir.replace(/^~(?=$|\/)/, homedir()) : join(tmpdir(), 'target-iomete');
  /** Tables that runs not proven dead (other hosts, markers fresher than 15 min) append to, with the run. */
  const unproven = new Map<string, { id: string; host: string }>();
  const markers = new RunMarkers({
    runId: loader.runId,
    tempDir,
    store,
    prefix: config.s3_key_prefix,
    log,
    // A killed run's appends no printed state covers are undone before anything is loaded (in start()).
    appends: () => appends.markerEntries(),
    onDeadRun: (id, entries) => pool.withExecutor((sql) => undoDeadRunAppends(sql, id, entries, log)),
    onLiveRun: (id, host, entries) => {
      for (const entry of entries) unproven.set(tableName(entry), { id, host });
    },
  });
  appends.persist = () => markers.save();
  // Said when this run appends to such a table: another pipeline's tables are none of its business.
  appends.firstAppend = (table) => {
    const other = unproven.get(tableName(table));
    if (!other) return;
    log.warn(
      `Run ${other.id} on host ${other.host} (marker refreshed within 15 min) also appends to ${tableName(table)}; ` +
        'if it was killed and this run resumes it, rows it committed after its last state may be loaded twice (wait 15 minutes after a crash on another host before resuming)',
    );
  };
  let opener: ReturnType<typeof s3ObjectOpener> | undefined;
  return {
    config,
    log,
    progress,
    tracker,
    states,
    coordinator,
    jobs: new LoadJobs({ config, log, progress, coordinator, tables, loader, pool, tracker, states, appends, upkeep, partitions }),
    registry: new TableRegistry(),
    ...(config.stream_maps ? { mapper: new StreamMapper(config) } : {}),
    tempDir,
    runId: loader.runId,
    start: () => markers.start(),
    openS3Object: () => {
      if (deps.openS3Object) return deps.openS3Object;
      opener ??= s3ObjectOpener(config);
      return opener.open;
    },
    finish: async () => {
      opener?.close();
      await pool.close();
      // Commits of a failed run that no printed state covers: the marker stays, the next run undoes them.
      await markers.finish(coordinator.failure !== undefined && appends.uncoveredCommits > 0);
    },
  };
}
