import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensurePythonTools } from '../../scripts/python-tools.js';
import { buildImage, podman, RUN_FLAGS, type BuiltImage } from '../../scripts/container-image.js';
import { NODE_LTS_VERSION } from '../../scripts/node-lts.js';
import { assertThreeStreamsLoaded } from './install-checks.js';
import { configFile, dropSchema, fixtures, freshSchema } from './harness.js';

/**
 * The image, for real: the unmodified Dockerfile built with podman (scripts/container-image.ts
 * installs podman with apt-get if needed and makes the node:24 base from Debian packages), then run
 * as a user runs it: `podman run -i --rm`, stdin in, state lines out, into the local lakehouse.
 * Where podman cannot build or run, the setup throws and every test here fails: no skipping.
 */

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

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

describe('the container image, built and run with podman', { timeout: 30 * 60_000 }, () => {
  let built: BuiltImage;
  const schemas: string[] = [];

  const runImage = (args: readonly string[], input = '', mounts: readonly string[] = []) => podman(['run', '-i', '--rm', ...RUN_FLAGS, ...mounts, built.image, ...args], input);

  before(async () => {
    built = await buildImage((line) => console.error(line));
    console.error(`image ${built.image}: ${Math.round(built.bytes / 1e6)} MB, built in ${built.seconds} s`);
  });

  after(async () => {
    for (const schema of schemas) await dropSchema(schema);
  });

  it('runs as uid 1000, not root', async () => {
    const user = (await podman(['image', 'inspect', '--format', '{{.Config.User}}', built.image])).stdout.trim();
    assert.equal(user, '1000:1000');
    const id = await podman(['run', '--rm', ...RUN_FLAGS, '--entrypoint', 'id', built.image, '-u']);
    assert.equal(id.code, 0, id.stderr);
    assert.equal(id.stdout.trim(), '1000');
  });

  it('runs on the Node.js LTS release', async () => {
    const node = await podman(['run', '--rm', ...RUN_FLAGS, '--entrypoint', 'node', built.image, '--version']);
    assert.equal(node.code, 0, node.stderr);
    assert.equal(node.stdout.trim(), `v${NODE_LTS_VERSION}`);
  });

  it('prints the help when run with no arguments', async () => {
    const result = await runImage([]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^USAGE\n {2}\$ target-iomete /m);
    assert.match(result.stdout, /--config=<value>/);
  });

  it('answers --about with the package version', async () => {
    const result = await runImage(['--about', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const about = JSON.parse(result.stdout) as { name: string; version: string; capabilities: string[] };
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    assert.equal(about.name, 'target-iomete');
    assert.equal(about.version, pkg.version);
    assert.ok(about.capabilities.includes('about'));
  });

  it('loads a fixture from stdin into the local lakehouse and writes the state lines', async () => {
    const schema = await freshSchema('image');
    schemas.push(schema);
    const config = await configFile({ default_target_schema: schema });
    const input = await readFile(join(fixtures, 'messages-with-three-streams.json'), 'utf8');
    const result = await runImage(['--config', '/cfg.json'], input, ['--volume', `${config}:/cfg.json:ro`]);
    assert.equal(result.code, 0, result.stderr);
    await assertThreeStreamsLoaded(schema, input, result.stdout);
  });
});
