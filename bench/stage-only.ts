import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { targetSettings, type BenchOptions } from './args.js';
import { runChild } from './child-process.js';
import { writeInputFile } from './input-file.js';
import type { ChildResult } from './stage-child.js';
import { describeFormat, stagedFormat } from './staged-format.js';
import { formatStageOnly, sideSummary, type StageOnlySummary } from './stage-report.js';
import { median } from './stats.js';

/**
 * --stage-only: the input is generated once into a file; then, `repeat` times and alternating, the
 * bare read of that file and the engine fed that file (no-op executor, local object store), each in
 * a process of its own. Needs no lakehouse. The last target run's staged files are kept.
 */
export async function stageOnly(options: BenchOptions, root: string): Promise<{ summary: StageOnlySummary; text: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'target-iomete-stage-only-'));
  const inputPath = join(dir, 'input.jsonl');
  process.stderr.write(`bench: generating ${options.records.toLocaleString('en-US')} records into ${inputPath}\n`);
  const { expected, bytes } = await writeInputFile(
    { records: options.records, streams: options.streams, keyed: options.keyed, schemaWidth: options.schemaWidth, stateEvery: options.stateEvery },
    inputPath,
  );
  const bare: ChildResult[] = [];
  const target: ChildResult[] = [];
  const common = { inputPath, distDir: join(root, 'dist'), settings: targetSettings(options) };
  let lastWorkDir = '';
  try {
    for (let i = 1; i <= options.repeat; i += 1) {
      process.stderr.write(`bench: run ${i}/${options.repeat}: bare read, then target\n`);
      bare.push(await runChild({ ...common, side: 'bare', resultPath: join(dir, `bare-${i}.json`), workDir: dir }));
      const workDir = join(dir, `target-${i}`);
      target.push(await runChild({ ...common, side: 'target', resultPath: join(dir, `target-${i}.json`), workDir }));
      // Only the last run's staged files are kept for inspection; the earlier ones are the same.
      if (lastWorkDir !== '') await rm(lastWorkDir, { recursive: true, force: true });
      lastWorkDir = workDir;
    }
  } finally {
    await rm(inputPath, { force: true });
  }
  const last = target.at(-1)?.engine;
  const staged = last?.staged ?? [];
  const lines = expected.statesSent + options.records + options.streams;
  const problems = [
    ...bare.filter((r) => r.count !== lines).map((r) => `bare read ${r.count} of ${lines} lines`),
    ...target.filter((r) => r.count !== options.records).map((r) => `target read ${r.count} of ${options.records} records`),
    ...target.flatMap((r) => r.engine?.errors ?? []),
  ];
  const summary: StageOnlySummary = {
    records: options.records,
    streams: options.streams,
    mode: options.keyed ? 'keyed' : 'append',
    schemaWidth: options.schemaWidth,
    inputBytes: bytes,
    runs: options.repeat,
    bare: sideSummary(bare),
    target: {
      ...sideSummary(target),
      batches: median(target.map((r) => r.engine?.batches ?? 0)),
      statements: last?.statements ?? 0,
      ...(last?.flush ? { flush: last.flush } : {}),
    },
    staged: { dir: join(lastWorkDir, 'store'), files: staged.length, format: staged[0] ? describeFormat(await stagedFormat(staged[0])) : 'none' },
    problems,
  };
  return { summary, text: formatStageOnly(summary) };
}
