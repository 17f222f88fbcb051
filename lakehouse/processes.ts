import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readJson, removeAll, writeJson } from './fsutil.js';
import { setTimeout as sleep } from 'node:timers/promises';

export type ProcessName = 'sts' | 's3rver';

export interface ManagedProcess {
  name: ProcessName;
  pid: number;
}

/** What a start recorded, so stop/status work even if the environment changed since. */
export interface PidFile {
  startedAt: string;
  stateDir: string;
  thriftPort: number;
  s3Port: number;
  dataPlane: string;
  lakehouseName: string;
  processes: ManagedProcess[];
}

export function readPidFile(file: string): PidFile | undefined {
  const pidFile = readJson<PidFile>(file);
  return Array.isArray(pidFile?.processes) ? pidFile : undefined;
}

export function writePidFile(file: string, pidFile: PidFile): void {
  writeJson(file, pidFile);
}

export function removePidFile(file: string): void {
  removeAll(file);
}

/**
 * Starts a server that outlives this command: its own process group, output
 * to a log file, and no handle keeping our event loop alive.
 */
export function spawnDetached(name: ProcessName, command: string, args: string[], logFile: string, env: NodeJS.ProcessEnv): ManagedProcess {
  rotateLog(logFile);
  const fd = fs.openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd], env });
    child.on('error', () => undefined);
    if (child.pid === undefined) throw new Error(`could not start ${command} for ${name}`);
    child.unref();
    return { name, pid: child.pid };
  } finally {
    fs.closeSync(fd);
  }
}

// One previous log is kept: the one from a failed start is the one you want to read after retrying.
function rotateLog(logFile: string): void {
  if (!fs.existsSync(logFile)) return;
  const parsed = path.parse(logFile);
  fs.renameSync(logFile, path.join(parsed.dir, `${parsed.name}.previous${parsed.ext}`));
}

/**
 * A pid only counts as ours while its command line still mentions our state
 * dir: this rejects pids the OS has reused, and zombies (empty command line).
 */
export function isRunning(proc: ManagedProcess, stateDir: string): boolean {
  const commandLine = readCommandLine(proc.pid);
  return commandLine !== undefined && commandLine.includes(stateDir + path.sep);
}

function readCommandLine(pid: number): string | undefined {
  if (!pidExists(pid)) return undefined;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    // No procfs (macOS): ps prints the same thing.
  }
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGTERM lets Spark close the Derby metastore cleanly; SIGKILL is the fallback. */
export async function stopProcess(proc: ManagedProcess, stateDir: string, graceMs = 20_000): Promise<'stopped' | 'killed' | 'not running'> {
  if (!isRunning(proc, stateDir)) return 'not running';
  signal(proc.pid, 'SIGTERM');
  if (await waitForExit(proc, stateDir, graceMs)) return 'stopped';
  signal(proc.pid, 'SIGKILL');
  await waitForExit(proc, stateDir, 5_000);
  return 'killed';
}

/** SIGKILL at once, as a crash would: no shutdown hooks, nothing flushed. */
export async function killProcess(proc: ManagedProcess, stateDir: string): Promise<void> {
  if (!isRunning(proc, stateDir)) return;
  signal(proc.pid, 'SIGKILL');
  await waitForExit(proc, stateDir, 5_000);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Exited between the check and the signal.
  }
}

async function waitForExit(proc: ManagedProcess, stateDir: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(proc, stateDir)) return true;
    await sleep(200);
  }
  return !isRunning(proc, stateDir);
}
