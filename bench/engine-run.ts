import { createReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../src/logging.js';
import { flushStats, type FlushStats } from './flush-stats.js';
import { LocalDirStore } from './local-store.js';
import { addLogLine, emptyLogStats, type Phases } from './log-stats.js';
import { NullLakehouse } from './null-lakehouse.js';

export interface EngineRunOptions {
  inputPath: string;
  /** Where uploads are kept (LocalDirStore) and batch files are written (temp_dir). */
  workDir: string;
  /** Target settings on top of the no-lakehouse defaults. */
  settings: Record<string, unknown>;
}

export interface EngineRunResult {
  /** Until the input's read stream emitted 'end'. */
  consumeMs: number;
  /** Until run() resolved: every batch staged and "loaded" (no-op). */
  totalMs: number;
  records: number;
  batches: number;
  loads: number;
  phases?: Phases;
  flush?: FlushStats;
  statements: number;
  statesWritten: number;
  /** Local paths of the staged objects, in upload order (kept for inspection). */
  staged: string[];
  errors: string[];
}

/** The modules of the built target the run needs; loaded before any clock starts. */
export interface Engine {
  Target: typeof import('../src/target.js').Target;
  resolveConfig: typeof import('../src/config/config.js').resolveConfig;
}

/** Imports the built target (dist/ of a checkout: the code the CLI runs). */
export async function loadEngine(distDir: string): Promise<Engine> {
  const { Target } = (await import(pathToFileURL(join(distDir, 'target.js')).href)) as typeof import('../src/target.js');
  const { resolveConfig } = (await import(pathToFileURL(join(distDir, 'config/config.js')).href)) as typeof import('../src/config/config.js');
  return { Target, resolveConfig };
}

/**
 * The real engine (Target from dist/, the code the CLI runs) fed the input file, with a no-op SQL
 * executor and a local-directory object store: everything of a run except the lakehouse's work
 * and the network. The log goes to counters, not to winston: the few lines per batch a real run
 * formats are not what this measures.
 */
export async function runEngine({ Target, resolveConfig }: Engine, options: EngineRunOptions): Promise<EngineRunResult> {
  const storeDir = join(options.workDir, 'store');
  const tempDir = join(options.workDir, 'tmp');
  await mkdir(storeDir, { recursive: true });
  const { config } = resolveConfig({
    host: '127.0.0.1',
    port: 9,
    lakehouse: 'bench',
    user: 'bench',
    password: 'bench',
    s3_bucket: 'bench-local',
    default_target_schema: 'bench',
    progress_interval_seconds: 0,
    temp_dir: tempDir,
    ...options.settings,
  });
  const lake = new NullLakehouse();
  const store = new LocalDirStore(storeDir);
  const stats = emptyLogStats();
  const errors: string[] = [];
  const line = (level: string) => (message: unknown) => {
    const text = `${level} ${String(message)}`;
    addLogLine(stats, text);
    if (level === 'ERROR') errors.push(text);
  };
  const log = { error: line('ERROR'), warn: line('WARN'), info: line('INFO'), debug: () => undefined } as unknown as Logger;
  let statesWritten = 0;
  const input = createReadStream(options.inputPath);
  const started = performance.now();
  let consumeMs = Number.NaN;
  input.once('end', () => (consumeMs = performance.now() - started));
  const target = new Target({ config, connect: () => lake.connect(), store, state: { write: async () => void (statesWritten += 1) }, log });
  const summary = await target.run(input);
  const totalMs = performance.now() - started;
  const flush = flushStats(lake.log);
  return {
    consumeMs,
    totalMs,
    records: summary.records,
    batches: summary.batches,
    loads: stats.loads,
    ...(stats.phases ? { phases: stats.phases } : {}),
    ...(flush ? { flush } : {}),
    statements: lake.log.length,
    statesWritten,
    staged: store.uploads.map((key) => store.pathOf(key)),
    errors,
  };
}
