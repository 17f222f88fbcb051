import { execFile, spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { NODE_LTS_VERSION, nodeDistribution } from './node-lts.js';

/**
 * `npm run test:node-lts` (the last step of `npm test`): the unit suite and one real load into the
 * local lakehouse, run again on the Node.js LTS of scripts/node-lts.ts, while the whole suite runs
 * on the machine's Node. Needs what the whole suite needs: dist/ built, the lakehouse started.
 *
 * The LTS Node runs tsx itself, so the test processes and the targets they start
 * (process.execPath) are that Node; its bin/ leads PATH for anything that runs `node` by name.
 * Where the machine's Node is already of the LTS's major, the whole suite covered it: nothing runs.
 */

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A real load: the three-streams fixture through staging, S3 and MERGE, read back through thrift. */
const INTEGRATION_FILES = ['test/integration/three-streams.test.ts'];

const major = (version: string) => version.replace(/^v/, '').split('.')[0];

if (major(process.version) === major(NODE_LTS_VERSION)) {
  console.error(`test:node-lts: the machine's Node ${process.version} is of the LTS line ${major(NODE_LTS_VERSION)}; the whole suite ran on it`);
  process.exit(0);
}

const started = Date.now();
const dist = await nodeDistribution();
const node = join(dist, 'bin', 'node');
const { stdout: version } = await run(node, ['--version']);
if (version.trim() !== `v${NODE_LTS_VERSION}`) throw new Error(`${node} reports ${version.trim()}, expected v${NODE_LTS_VERSION}`);
const unit = (await readdir(join(root, 'test/unit'))).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join('test/unit', f));
console.error(`test:node-lts: ${unit.length} unit test files and ${INTEGRATION_FILES.join(', ')} on Node ${version.trim()} (ready in ${Math.round((Date.now() - started) / 1000)} s)`);

const child = spawn(node, [join(root, 'node_modules/tsx/dist/cli.mjs'), '--test', ...unit, ...INTEGRATION_FILES], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PATH: [join(dist, 'bin'), process.env.PATH].filter(Boolean).join(delimiter) },
});
child.on('close', (code, signal) => {
  console.error(`test:node-lts: ${code === 0 ? 'passed' : 'failed'} on Node ${version.trim()} in ${Math.round((Date.now() - started) / 1000)} s`);
  process.exit(code ?? (signal ? 1 : 0));
});
