import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { addLogLine, emptyLogStats, lineSplitter, type LogStats } from './log-stats.js';
import { monitorRss, type RssSample } from './rss-monitor.js';

export interface TargetRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  wallMs: number;
  /** When the last input byte was accepted by the target's stdin (ms after start). */
  inputDoneMs: number;
  rss: RssSample;
  log: LogStats;
  statesEmitted: number;
  lastState: unknown;
}

export interface TargetInvocation {
  bin: string;
  configPath: string;
  /** Input chunks, pulled only as fast as the target reads its stdin. */
  input: Iterable<string>;
  env: NodeJS.ProcessEnv;
  /** Where the whole stderr log is kept for inspection. */
  logPath: string;
}

/**
 * Runs the built CLI as a tap pipe would: input streamed into stdin with backpressure (the
 * generator is pulled only when the pipe drains), stdout parsed as state lines, stderr counted and
 * saved to a file, memory polled from /proc while it runs.
 */
export async function runTarget(invocation: TargetInvocation): Promise<TargetRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [invocation.bin, '--config', invocation.configPath], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: invocation.env,
  });
  if (child.pid === undefined) throw new Error(`Could not start ${invocation.bin}`);
  const monitor = monitorRss(child.pid);
  const log = emptyLogStats();
  const logFile = createWriteStream(invocation.logPath);
  const stderrLines = lineSplitter((line) => addLogLine(log, line));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    logFile.write(chunk);
    stderrLines.push(chunk);
  });

  let statesEmitted = 0;
  let lastStateText: string | undefined;
  const stdoutLines = lineSplitter((line) => {
    if (line.trim() === '') return;
    statesEmitted += 1;
    lastStateText = line;
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => stdoutLines.push(chunk));

  let wallMs = Number.NaN;
  let rss: RssSample | undefined;
  // 'exit' ends the sampling and the clock; 'close' comes after, once stdout and stderr are drained.
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => {
      wallMs = performance.now() - started;
      rss = monitor.stop();
    });
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  let inputDoneMs = Number.NaN;
  // A target that fails early closes its stdin (EPIPE); its exit code and log tell why.
  const fed = pipeline(Readable.from(invocation.input, { objectMode: false, highWaterMark: 4 }), child.stdin).then(
    () => (inputDoneMs = performance.now() - started),
    () => undefined,
  );
  const { code, signal } = await closed;
  await fed;
  stderrLines.end();
  stdoutLines.end();
  await new Promise<void>((resolve) => logFile.end(() => resolve()));
  return {
    exitCode: code,
    signal,
    wallMs,
    inputDoneMs,
    rss: rss ?? monitor.stop(),
    log,
    statesEmitted,
    lastState: lastStateText === undefined ? undefined : (JSON.parse(lastStateText) as unknown),
  };
}
