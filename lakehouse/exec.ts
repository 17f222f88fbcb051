import { spawn } from 'node:child_process';

class CommandError extends Error {}

export interface ToolOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Hold the tool's output back and show it only if the tool fails. */
  outputOnFailure?: boolean;
}

/**
 * Runs a build tool to completion. Its output is sent to our stderr because
 * the tools' chatter is progress, never a result of this command.
 */
export function runTool(command: string, args: string[], options: ToolOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const held = options.outputOnFailure === true;
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', held ? 'pipe' : 2, held ? 'pipe' : 2] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => reject(new CommandError(`cannot run ${command}: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      if (held) process.stderr.write(stripAnsi(output));
      reject(new CommandError(`${command} ${args.join(' ')} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/** Runs a short command and returns its combined output, or undefined if it cannot run or fails. */
export function captureOutput(command: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => resolve(code === 0 ? output : undefined));
  });
}
