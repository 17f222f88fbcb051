import { spawn } from 'node:child_process';

export interface Output {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called with the child's pid before stdin is written and closed. */
  onSpawn?: (pid: number) => Promise<void>;
}

/**
 * Runs a command, feeding `input` on stdin, and resolves with its exit code and output; a non-zero
 * exit is a result, not an error (the callers assert on it).
 */
export function runCommand(command: string, args: readonly string[], input = '', options: RunOptions = {}): Promise<Output> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    // A command that exits without reading all of stdin must not turn into an EPIPE error here.
    child.stdin.on('error', () => undefined);
    void (options.onSpawn && child.pid !== undefined ? options.onSpawn(child.pid) : Promise.resolve()).then(() => child.stdin.end(input), reject);
  });
}
