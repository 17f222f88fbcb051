import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildJob, ChildResult } from './stage-child.js';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'stage-child.ts');

/**
 * Runs one measured side in a fresh Node process with the same loader flags as this one (tsx),
 * stderr passed through; resolves with what the child wrote to its result file.
 */
export async function runChild(job: ChildJob): Promise<ChildResult> {
  const child = spawn(process.execPath, [...process.execArgv, CHILD, JSON.stringify(job)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  if (code !== 0) throw new Error(`the ${job.side} side exited with ${code}`);
  const result = JSON.parse(await readFile(job.resultPath, 'utf8')) as ChildResult;
  await rm(job.resultPath, { force: true });
  return result;
}
