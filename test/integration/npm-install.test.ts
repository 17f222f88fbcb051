import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runCommand, type Output } from '../../scripts/run-command.js';
import { assertThreeStreamsLoaded } from './install-checks.js';
import { configFile, dropSchema, fixtures, freshSchema } from './harness.js';

/**
 * What `npm install -g target-iomete` gives a user: the `npm pack` tarball (what `npm publish`
 * uploads) installed globally into a fresh prefix, its dependencies resolved by npm from
 * package.json as for any user (the image and the wheel use the lockfile instead), and the CLI run
 * by name from that prefix's bin/: `--about` and a real load into the local lakehouse.
 */

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs the installed CLI by name from PATH, as a shell does after `npm install -g`. */
function runInstalled(pathDir: string, args: readonly string[], input = ''): Promise<Output> {
  return runCommand('target-iomete', args, input, { env: { ...process.env, PATH: `${pathDir}${delimiter}${process.env.PATH ?? ''}` } });
}

describe('npm install -g of the packed package', { timeout: 10 * 60_000 }, () => {
  let work: string;
  let prefix: string;
  let pathDir: string;
  let packed: string[];
  const schemas: string[] = [];

  before(async () => {
    assert.ok(existsSync(join(root, 'dist/command.js')), 'dist/ is missing: run `npm run build` first (npm test does)');
    work = await mkdtemp(join(tmpdir(), 'target-iomete-npm-'));
    // `npm pack` (its prepack build already ran as `npm run build`).
    const { stdout } = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    const [info] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    assert.ok(info);
    packed = info.files.map((f) => f.path);
    prefix = join(work, 'prefix');
    await run(npm, ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', join(work, info.filename)], { cwd: work, maxBuffer: 16 * 1024 * 1024 });
    pathDir = process.platform === 'win32' ? prefix : join(prefix, 'bin');
  });

  after(async () => {
    for (const schema of schemas) await dropSchema(schema);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('packs only the built code and what it needs at runtime', () => {
    const unexpected = packed.filter(
      (p) => !(['package.json', 'README.md', 'LICENSE', 'plugin-definition.yml', 'bin/run.js'].includes(p) || /^dist\/.+\.(js|d\.ts)$/.test(p)),
    );
    assert.deepEqual(unexpected, []);
    assert.ok(packed.includes('dist/command.js'));
  });

  it('installs the production dependencies only', () => {
    const modules = join(prefix, 'lib/node_modules/target-iomete/node_modules');
    for (const dev of ['typescript', 'tsx', 'yaml', 's3rver', 'esbuild', '@types/node']) assert.ok(!existsSync(join(modules, dev)), `${dev} is not installed`);
    for (const runtime of ['@oclif/core', '@aws-sdk/client-s3', 'hive-driver', 'winston']) assert.ok(existsSync(join(modules, runtime)), `${runtime} is installed`);
  });

  it('runs --about from the installed bin', async () => {
    const result = await runInstalled(pathDir, ['--about', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const about = JSON.parse(result.stdout) as { name: string; version: string };
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    assert.equal(about.name, 'target-iomete');
    assert.equal(about.version, pkg.version);
  });

  it('loads a fixture into the local lakehouse through the install', async () => {
    const schema = await freshSchema('npm');
    schemas.push(schema);
    const config = await configFile({ default_target_schema: schema });
    const input = await readFile(join(fixtures, 'messages-with-three-streams.json'), 'utf8');
    const result = await runInstalled(pathDir, ['--config', config], input);
    assert.equal(result.code, 0, result.stderr);
    await assertThreeStreamsLoaded(schema, input, result.stdout);
  });
});
