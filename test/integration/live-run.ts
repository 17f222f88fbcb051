import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'bin/run.js');

/** What a run has shown so far; handed to the stop condition on every change. */
export interface Progress {
  stderr: string;
  /** State lines printed so far, parsed. */
  states: unknown[];
  /** Input lines written to the target's stdin so far. */
  linesWritten: number;
  /** True once every input line was written (stdin may still be open, see keepStdinOpen). */
  inputDone: boolean;
}

export interface LiveRunOptions {
  /** Extra environment (merged over process.env). */
  env?: NodeJS.ProcessEnv;
  /** Stop feeding after this many lines (stdin stays open, like a tap that went quiet). */
  feedLines?: number;
  /** Keep stdin open after the last line (a tap that stays connected). */
  keepStdinOpen?: boolean;
  /**
   * Checked after every output chunk, every line written and every 50 ms: when it answers
   * `kill`, the target gets SIGKILL at once (a crash: no cleanup, no last state).
   */
  stopWhen?: (progress: Progress) => 'kill' | undefined | Promise<'kill' | undefined>;
  /** The run is stopped after this long, whatever it is doing (default 300 s). */
  timeoutMs?: number;
  /** Called once on every change of the progress (for faults injected from the outside). */
  onProgress?: (progress: Progress) => void;
}

export interface LiveRunResult extends Progress {
  code: number | null;
  signal: NodeJS.Signals | null;
  killed: boolean;
  /** Wall time from spawn to exit. */
  seconds: number;
  /** When the process exited (ms since epoch). */
  endedAt: number;
}

/**
 * Runs the real CLI, feeding it `lines` as a tap does (with backpressure, never the whole input in
 * memory) while watching its output, and kills it with SIGKILL when `stopWhen` says so.
 */
export function liveRun(args: readonly string[], lines: Iterable<string>, options: LiveRunOptions = {}): Promise<LiveRunResult> {
  const started = Date.now();
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  const progress: Progress = { stderr: '', states: [], linesWritten: 0, inputDone: false };
  let stdoutRest = '';
  let killed = false;
  let exited = false;
  let checking = false;

  const check = async () => {
    options.onProgress?.(progress);
    if (!options.stopWhen || killed || exited || checking) return;
    checking = true;
    try {
      if ((await options.stopWhen(progress)) === 'kill' && !exited && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    } finally {
      checking = false;
    }
  };
  const poll = setInterval(() => void check(), 50);
  // A crash point that is never reached must fail its test, not hang the suite: the run is
  // stopped (not counted as killed) after the time limit.
  const guard = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);

  child.stderr.on('data', (d: Buffer) => {
    progress.stderr += d.toString();
    void check();
  });
  child.stdout.on('data', (d: Buffer) => {
    const text = stdoutRest + d.toString();
    const parts = text.split('\n');
    stdoutRest = parts.pop() ?? '';
    for (const part of parts) if (part.trim() !== '') progress.states.push(JSON.parse(part));
    void check();
  });
  child.stdin.on('error', () => undefined);

  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      exited = true;
      clearInterval(poll);
      clearTimeout(guard);
      resolveExit({ code, signal });
    });
  });

  void (async () => {
    const limit = options.feedLines ?? Number.POSITIVE_INFINITY;
    let chunk = '';
    let inChunk = 0;
    const flush = async () => {
      if (chunk === '' || killed || exited) return;
      const ok = child.stdin.write(chunk);
      progress.linesWritten += inChunk;
      chunk = '';
      inChunk = 0;
      void check();
      if (!ok) await new Promise<void>((r) => {
        child.stdin.once('drain', r);
        void exit.then(() => r());
      });
    };
    for (const line of lines) {
      if (killed || exited || progress.linesWritten + inChunk >= limit) break;
      chunk += line;
      inChunk += 1;
      // Small chunks: a kill point is reached within a few lines of its cause.
      if (inChunk >= 20) await flush();
    }
    await flush();
    progress.inputDone = true;
    void check();
    if (!options.keepStdinOpen && options.feedLines === undefined && !killed && !exited) child.stdin.end();
  })();

  return exit.then(({ code, signal }) => {
    if (stdoutRest.trim() !== '') progress.states.push(JSON.parse(stdoutRest));
    return { ...progress, code, signal, killed, seconds: (Date.now() - started) / 1000, endedAt: Date.now() };
  });
}

/** How often `pattern` occurs in `text`. */
export function countMatches(text: string, pattern: RegExp): number {
  return (text.match(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`)) ?? []).length;
}

/** Lines of a log that look like a stack trace frame (must never appear at info level). */
export function stackFrames(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /^\s{4}at /.test(l));
}
