import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * Startup time of the CLI's quick modes (`--version`, `--help`, `--about`), measured like
 * hyperfine does: warm-up runs, then N timed runs of each command, reporting the median (and
 * min / p90) in milliseconds next to bare `node -e 0`, the floor no Node CLI can beat.
 * Plain Node child processes, so nothing needs installing; a report, never a pass/fail test.
 *
 *   npm run build && npm run bench:startup [-- --runs 30] [--bin other/checkout/bin/run.js]
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// --bin compares another build (e.g. an older checkout's bin/run.js) under the same machine load.
const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, warmup: { type: 'string', default: '3' }, bin: { type: 'string' } } });
const bin = resolve(values.bin ?? join(root, 'bin/run.js'));
const runs = Number(values.runs);
const warmup = Number(values.warmup);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(warmup) || warmup < 0) {
  console.error('Usage: npm run bench:startup -- [--runs N] [--warmup W] [--bin path/to/bin/run.js]');
  process.exit(2);
}

const commands: Array<[string, string[]]> = [
  ['node -e 0 (floor)', ['-e', '0']],
  ['--version', [bin, '--version']],
  ['--help', [bin, '--help']],
  ['--about', [bin, '--about']],
  ['--about --format json', [bin, '--about', '--format', 'json']],
];

function timeOnce(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${String(result.stderr)}`);
  return ms;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

console.log(`startup of ${bin}: ${runs} runs after ${warmup} warm-up run(s) each, milliseconds`);
console.log(`${'command'.padEnd(24)}${'median'.padStart(8)}${'min'.padStart(8)}${'p90'.padStart(8)}`);
for (const [name, args] of commands) {
  for (let i = 0; i < warmup; i += 1) timeOnce(args);
  const times = Array.from({ length: runs }, () => timeOnce(args)).sort((a, b) => a - b);
  const cells = [quantile(times, 0.5), times[0]!, quantile(times, 0.9)].map((t) => t.toFixed(0).padStart(8));
  console.log(`${name.padEnd(24)}${cells.join('')}`);
}
