import { strict as assert } from 'node:assert';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensurePythonTools } from '../../scripts/python-tools.js';
import { configFile, dropSchema, fixtures, freshSchema, query } from './harness.js';

/**
 * There is no Docker engine where the tests run, so this repeats the Dockerfile's runtime stage in
 * a clean directory: the `npm pack` tarball unpacked, production dependencies installed from the
 * lockfile, the CLI on PATH under its name (the image's ENTRYPOINT), then `--about` and a real
 * load into the local lakehouse through that install. hadolint lints the Dockerfile itself.
 */

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the installed CLI by name from PATH, as the image's ENTRYPOINT does. */
function runInstalled(pathDir: string, args: readonly string[], input = ''): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('target-iomete', args, { env: { ...process.env, PATH: `${pathDir}${delimiter}${process.env.PATH ?? ''}`, NODE_ENV: 'production' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('Dockerfile', () => {
  it('passes hadolint', { timeout: 10 * 60_000 }, async () => {
    const tools = await ensurePythonTools((line) => console.error(line));
    const lint = await run(tools.hadolint, ['--no-color', join(root, 'Dockerfile')]).then(
      () => '',
      (e: { stdout?: string; message: string }) => e.stdout || e.message,
    );
    assert.equal(lint, '');
  });

  it('copies only what .dockerignore lets into the build context', async () => {
    const dockerfile = await readFile(join(root, 'Dockerfile'), 'utf8');
    const allowed = (await readFile(join(root, '.dockerignore'), 'utf8'))
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1).replace(/\/$/, ''));
    const sources = dockerfile
      .split('\n')
      .filter((l) => /^COPY (?!--from)/.test(l))
      .flatMap((l) => l.trim().split(/\s+/).slice(1, -1));
    assert.ok(sources.length > 0);
    for (const source of sources) assert.ok(allowed.includes(source.replace(/\/$/, '')), `${source} is in the build context`);
  });
});

describe('clean-room install of the packed package (the image install steps)', { timeout: 10 * 60_000 }, () => {
  let work: string;
  let app: string;
  let pathDir: string;
  let packed: string[];
  const schemas: string[] = [];

  before(async () => {
    assert.ok(existsSync(join(root, 'dist/command.js')), 'dist/ is missing: run `npm run build` first (npm test does)');
    work = await mkdtemp(join(tmpdir(), 'target-iomete-image-'));
    // The image's build stage: `npm pack` (its prepack build already ran as `npm run build`).
    const { stdout } = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    const [info] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    assert.ok(info);
    packed = info.files.map((f) => f.path);
    // The runtime stage, step by step.
    app = join(work, 'opt/target-iomete');
    await mkdir(app, { recursive: true });
    await copyFile(join(root, 'package-lock.json'), join(app, 'package-lock.json'));
    await run('tar', ['-xzf', join(work, info.filename), '--strip-components=1', '-C', app]);
    await run(npm, ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: app,
      env: { ...process.env, NODE_ENV: 'production' },
      maxBuffer: 16 * 1024 * 1024,
    });
    await chmod(join(app, 'bin/run.js'), 0o755);
    pathDir = join(work, 'usr/local/bin');
    await mkdir(pathDir, { recursive: true });
    await symlink(join(app, 'bin/run.js'), join(pathDir, 'target-iomete'));
  });

  after(async () => {
    for (const schema of schemas) await dropSchema(schema);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('packs only the built code and what it needs at runtime', () => {
    const unexpected = packed.filter(
      (p) => !(['package.json', 'README.md', 'plugin-definition.yml', 'bin/run.js'].includes(p) || /^dist\/.+\.(js|d\.ts)$/.test(p)),
    );
    assert.deepEqual(unexpected, []);
    assert.ok(packed.includes('dist/command.js'));
  });

  it('installs production dependencies only', () => {
    for (const dev of ['typescript', 'tsx', 'yaml', 's3rver', '@types/node']) assert.ok(!existsSync(join(app, 'node_modules', dev)), `${dev} is not installed`);
    for (const runtime of ['@oclif/core', '@aws-sdk/client-s3', 'hive-driver', 'winston']) assert.ok(existsSync(join(app, 'node_modules', runtime)), `${runtime} is installed`);
  });

  it('runs --about from the packed bin', async () => {
    const result = await runInstalled(pathDir, ['--about', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const about = JSON.parse(result.stdout) as { name: string; version: string };
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    assert.equal(about.name, 'target-iomete');
    assert.equal(about.version, pkg.version);
  });

  it('loads a fixture into the local lakehouse through the install', async () => {
    const schema = await freshSchema('image');
    schemas.push(schema);
    const config = await configFile({ default_target_schema: schema });
    const input = await readFile(join(fixtures, 'messages-with-three-streams.json'), 'utf8');
    const result = await runInstalled(pathDir, ['--config', config], input);
    assert.equal(result.code, 0, result.stderr);
    const states = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown);
    assert.ok(states.length > 0);
    const rows = await query(`SELECT C_PK, C_VARCHAR FROM spark_catalog.${schema}.test_table_three ORDER BY C_PK`);
    assert.deepEqual(rows, [
      { C_PK: 1, C_VARCHAR: '1' },
      { C_PK: 2, C_VARCHAR: '2' },
      { C_PK: 3, C_VARCHAR: '3' },
    ]);
  });
});
