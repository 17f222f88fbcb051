/**
 * One side of --stage-only, in a process of its own so that its CPU time and peak RSS are its
 * alone (a process's high-water mark never goes down, and garbage of one side would be collected
 * on the other's time). Started by stage-only.ts; writes its result as JSON to the given file.
 */
import { writeFile } from 'node:fs/promises';
import { bareRead } from './bare-read.js';
import { loadEngine, runEngine, type EngineRunResult } from './engine-run.js';

export interface ChildJob {
  side: 'bare' | 'target';
  inputPath: string;
  resultPath: string;
  distDir: string;
  /** For the target side: batch files and uploads go under it. */
  workDir: string;
  settings: Record<string, unknown>;
}

export interface ChildResult {
  side: 'bare' | 'target';
  consumeMs: number;
  totalMs: number;
  /** user + sys of the whole process (worker threads included) over the measured run. */
  cpuMs: number;
  peakRssBytes: number;
  /** Messages parsed (bare) or records read (target). */
  count: number;
  engine?: EngineRunResult;
}

async function main(job: ChildJob): Promise<ChildResult> {
  if (job.side === 'bare') {
    const cpu = process.cpuUsage();
    const read = await bareRead(job.inputPath);
    return { side: 'bare', consumeMs: read.consumeMs, totalMs: read.consumeMs, cpuMs: cpuMs(process.cpuUsage(cpu)), peakRssBytes: peakRss(), count: read.lines };
  }
  const engine = await loadEngine(job.distDir);
  const cpu = process.cpuUsage();
  const run = await runEngine(engine, { inputPath: job.inputPath, workDir: job.workDir, settings: job.settings });
  return { side: 'target', consumeMs: run.consumeMs, totalMs: run.totalMs, cpuMs: cpuMs(process.cpuUsage(cpu)), peakRssBytes: peakRss(), count: run.records, engine: run };
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

const job = JSON.parse(process.argv[2] ?? '{}') as ChildJob;
main(job).then(
  async (result) => {
    await writeFile(job.resultPath, JSON.stringify(result));
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`stage-child (${job.side}) failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
