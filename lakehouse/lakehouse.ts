import fs from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as delay } from 'node:timers/promises';
import { buildConfig, endpointOf, readConfig, thriftUrl, writeConfig, type LakehouseConfig } from './config.js';
import { tailLines } from './fsutil.js';
import { ensureJars, toolsForJars } from './jars.js';
import { withStartLock } from './lock.js';
import { say, seconds } from './log.js';
import { portAnswers, portIsFree } from './ports.js';
import { requireTools } from './prereqs.js';
import {
  isRunning, killProcess, readPidFile, removePidFile, spawnDetached, stopProcess, writePidFile,
  type ManagedProcess, type PidFile, type ProcessName,
} from './processes.js';
import { waitUntilReady } from './readiness.js';
import { sparkThriftServerArgs, writeServerConf } from './server-conf.js';
import { HOST, S3_BUCKET, lakehousePaths, loadSettings, type LakehousePaths, type LakehouseSettings } from './settings.js';
import { executeSql, probeEndpoint, type ExecuteOptions } from './thrift-client.js';
import type { Row } from './rows.js';

const LOG_TAIL_LINES = 40;
const PROBE_TIMEOUT_MS = 10_000;
/** How long a stack whose processes all run may stay silent before it counts as broken. */
const BUSY_PATIENCE_MS = 120_000;

/** Starts s3rver and the Spark Thrift Server unless they already run; resolves once both answer. */
export async function startLakehouse(settings: LakehouseSettings = loadSettings()): Promise<LakehouseConfig> {
  const paths = lakehousePaths(settings);
  fs.mkdirSync(paths.state, { recursive: true });
  return withStartLock(paths.lockFile, () => startLocked(settings, paths));
}

async function startLocked(settings: LakehouseSettings, paths: LakehousePaths): Promise<LakehouseConfig> {
  const started = Date.now();
  const running = await answeringPidFile(paths);
  if (running) return reuse(running, paths);
  await cleanUpLeftovers(paths);
  await requireTools(['java', ...toolsForJars(paths)]);
  await assertPortsFree(settings);
  await ensureJars(paths);
  writeServerConf(paths);
  const bootStarted = Date.now();
  const pidFile = launch(settings, paths);
  const config = buildConfig(pidFile);
  await waitOrCleanUp(pidFile, config, paths, settings.readyTimeoutMs);
  writeConfig(paths.configFile, config);
  say(
    `ready in ${seconds(Date.now() - started)} (servers up in ${seconds(Date.now() - bootStarted)}): ` +
      `thrift ${thriftUrl(config)}, s3 ${config.s3_endpoint_url}, config ${paths.configFile}`,
  );
  return config;
}

function reuse(pidFile: PidFile, paths: LakehousePaths): LakehouseConfig {
  const config = buildConfig(pidFile);
  writeConfig(paths.configFile, config);
  const pids = pidFile.processes.map((proc) => `${proc.name} pid ${proc.pid}`).join(', ');
  say(`already running (${pids}): thrift ${thriftUrl(config)}, s3 ${config.s3_endpoint_url}`);
  return config;
}

/**
 * The recorded processes, if all of them still run and the endpoint answers. A server whose
 * processes all live but that is slow to answer (a machine busy with other work) is asked again
 * until BUSY_PATIENCE_MS have passed: tearing down a live stack that others are using would fail
 * their runs, so only a stack with a dead process, or one silent for that long, is replaced.
 */
async function answeringPidFile(paths: LakehousePaths): Promise<PidFile | undefined> {
  const pidFile = readPidFile(paths.pidFile);
  const deadline = Date.now() + BUSY_PATIENCE_MS;
  while (pidFile && pidFile.processes.every((proc) => isRunning(proc, paths.state))) {
    const probe = await probeEndpoint(endpointOf(buildConfig(pidFile)), PROBE_TIMEOUT_MS);
    if (probe.ok) return pidFile;
    if (Date.now() >= deadline) break;
    say(`the running stack did not answer within ${PROBE_TIMEOUT_MS / 1000} s (${probe.reason ?? 'no answer'}); asking again`);
    await delay(1_000);
  }
  return undefined;
}

/** A half-dead stack (one process crashed, or a start was interrupted) is torn down and started anew. */
async function cleanUpLeftovers(paths: LakehousePaths): Promise<void> {
  const pidFile = readPidFile(paths.pidFile);
  if (!pidFile) return;
  say('found pids.json of a stack that is not (fully) running; cleaning up');
  await stopAll(pidFile.processes, paths.state);
  removePidFile(paths.pidFile);
}

async function assertPortsFree(settings: LakehouseSettings): Promise<void> {
  const ports = [
    { port: settings.thriftPort, variable: 'LAKEHOUSE_THRIFT_PORT' },
    { port: settings.s3Port, variable: 'LAKEHOUSE_S3_PORT' },
  ];
  for (const { port, variable } of ports) {
    if (!(await portIsFree(HOST, port))) {
      throw new Error(`port ${port} is already in use by a process this lakehouse did not start; stop it or choose another port with ${variable}`);
    }
  }
}

function launch(settings: LakehouseSettings, paths: LakehousePaths): PidFile {
  const s3rver = spawnServer('s3rver', settings, paths);
  const sts = spawnServer('sts', settings, paths);
  // Recorded at once, so that an interrupted start leaves something `stop` can clean up.
  const pidFile: PidFile = {
    startedAt: new Date().toISOString(),
    stateDir: paths.state,
    thriftPort: settings.thriftPort,
    s3Port: settings.s3Port,
    dataPlane: settings.dataPlane,
    lakehouseName: settings.lakehouseName,
    processes: [sts, s3rver],
  };
  writePidFile(paths.pidFile, pidFile);
  say(`launched s3rver (pid ${s3rver.pid}) and Spark Thrift Server (pid ${sts.pid}); logs in ${paths.logs}`);
  return pidFile;
}

function spawnServer(name: ProcessName, settings: LakehouseSettings, paths: LakehousePaths): ManagedProcess {
  // Without it Spark looks up the hostname and warns that it resolves to a loopback address.
  const env = { ...process.env, SPARK_LOCAL_IP: HOST };
  return name === 's3rver'
    ? spawnDetached('s3rver', process.execPath, s3rverArgs(settings, paths), paths.s3Log, env)
    : spawnDetached('sts', 'java', sparkThriftServerArgs(settings, paths), paths.stsLog, env);
}

function s3rverArgs(settings: LakehouseSettings, paths: LakehousePaths): string[] {
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  return [bin, '-d', paths.s3, '-a', HOST, '-p', String(settings.s3Port), '--configure-bucket', S3_BUCKET];
}

/** A start that fails leaves nothing running: the log tail is printed and both processes stopped. */
async function waitOrCleanUp(pidFile: PidFile, config: LakehouseConfig, paths: LakehousePaths, timeoutMs: number): Promise<void> {
  try {
    await waitUntilReady({
      endpoint: endpointOf(config),
      s3Port: pidFile.s3Port,
      processes: pidFile.processes,
      stateDir: paths.state,
      timeoutMs,
    });
  } catch (error) {
    process.stderr.write(`--- last ${LOG_TAIL_LINES} lines of ${paths.stsLog} ---\n${tailLines(paths.stsLog, LOG_TAIL_LINES)}\n---\n`);
    say(`start failed: ${(error as Error).message}; stopping what was launched`);
    await stopAll(pidFile.processes, paths.state);
    removePidFile(paths.pidFile);
    throw error;
  }
}

async function stopAll(processes: ManagedProcess[], stateDir: string): Promise<void> {
  const outcomes = await Promise.all(processes.map((proc) => stopProcess(proc, stateDir)));
  processes.forEach((proc, i) => {
    if (outcomes[i] !== 'not running') say(`${proc.name} (pid ${proc.pid}) ${outcomes[i]}`);
  });
}

export async function stopLakehouse(settings: LakehouseSettings = loadSettings()): Promise<void> {
  const paths = lakehousePaths(settings);
  const pidFile = readPidFile(paths.pidFile);
  if (!pidFile) {
    say('nothing to stop (no pids.json)');
    return;
  }
  const started = Date.now();
  await stopAll(pidFile.processes, paths.state);
  removePidFile(paths.pidFile);
  say(`stopped in ${seconds(Date.now() - started)}`);
}

/**
 * For fault tests: stops one server of a running lakehouse and leaves the other running.
 * `kill` is SIGKILL at once (a crash); otherwise SIGTERM with the usual grace.
 */
export async function stopServer(name: ProcessName, settings: LakehouseSettings = loadSettings(), how: 'stop' | 'kill' = 'stop'): Promise<void> {
  const paths = lakehousePaths(settings);
  const proc = readPidFile(paths.pidFile)?.processes.find((p) => p.name === name);
  if (!proc) throw new Error(`no ${name} recorded in ${paths.pidFile}: start the lakehouse first`);
  if (how === 'kill') await killProcess(proc, paths.state);
  else await stopProcess(proc, paths.state);
}

/** Starts a server stopped by stopServer again, with the same settings; resolves once the stack answers. */
export async function restartServer(name: ProcessName, settings: LakehouseSettings = loadSettings()): Promise<void> {
  const paths = lakehousePaths(settings);
  const pidFile = readPidFile(paths.pidFile);
  if (!pidFile) throw new Error(`no ${paths.pidFile}: start the lakehouse first`);
  const known = pidFile.processes.find((p) => p.name === name);
  if (known && isRunning(known, paths.state)) throw new Error(`${name} (pid ${known.pid}) is still running`);
  const started = spawnServer(name, settings, paths);
  const updated: PidFile = { ...pidFile, processes: [...pidFile.processes.filter((p) => p.name !== name), started] };
  writePidFile(paths.pidFile, updated);
  await waitUntilReady({
    endpoint: endpointOf(buildConfig(updated)),
    s3Port: updated.s3Port,
    processes: updated.processes,
    stateDir: paths.state,
    timeoutMs: settings.readyTimeoutMs,
  });
}

interface ProcessStatus {
  name: string;
  pid: number;
  alive: boolean;
}

export interface LakehouseStatus {
  running: boolean;
  processes: ProcessStatus[];
  thrift?: { url: string; answering: boolean; reason?: string };
  s3?: { url: string; answering: boolean };
}

export async function lakehouseStatus(settings: LakehouseSettings = loadSettings()): Promise<LakehouseStatus> {
  const paths = lakehousePaths(settings);
  const pidFile = readPidFile(paths.pidFile);
  if (!pidFile) return { running: false, processes: [] };
  const processes = pidFile.processes.map((proc) => ({ ...proc, alive: isRunning(proc, paths.state) }));
  const config = buildConfig(pidFile);
  const probe = await probeEndpoint(endpointOf(config), PROBE_TIMEOUT_MS);
  const s3Answering = await portAnswers(HOST, pidFile.s3Port);
  return {
    running: processes.every((proc) => proc.alive) && probe.ok && s3Answering,
    processes,
    thrift: { url: thriftUrl(config), answering: probe.ok, reason: probe.reason },
    s3: { url: config.s3_endpoint_url, answering: s3Answering },
  };
}

/** Runs one statement against the lakehouse described by config.json. */
export async function runSql(statement: string, options: ExecuteOptions & { settings?: LakehouseSettings } = {}): Promise<Row[]> {
  const paths = lakehousePaths(options.settings ?? loadSettings());
  return executeSql(endpointOf(readConfig(paths.configFile)), statement, options);
}

interface EnsuredStart {
  config: Promise<LakehouseConfig>;
  settled: boolean;
}

const ensured = new Map<string, EnsuredStart>();

/**
 * For tests: the config of a running lakehouse, starting one first if needed.
 * Test helpers call this before every query, so after the first success in a
 * process it only checks that the recorded pids still run; concurrent callers
 * share one start.
 */
export async function ensureLakehouse(settings: LakehouseSettings = loadSettings()): Promise<LakehouseConfig> {
  const paths = lakehousePaths(settings);
  const known = ensured.get(paths.state);
  if (known && (!known.settled || recordedProcessesRun(paths))) return known.config;
  const entry: EnsuredStart = { config: startLakehouse(settings), settled: false };
  ensured.set(paths.state, entry);
  entry.config.then(
    () => (entry.settled = true),
    () => ensured.get(paths.state) === entry && ensured.delete(paths.state),
  );
  return entry.config;
}

function recordedProcessesRun(paths: LakehousePaths): boolean {
  const pidFile = readPidFile(paths.pidFile);
  return pidFile !== undefined && pidFile.processes.every((proc) => isRunning(proc, paths.state));
}

export function readLakehouseConfig(settings: LakehouseSettings = loadSettings()): LakehouseConfig {
  return readConfig(lakehousePaths(settings).configFile);
}
