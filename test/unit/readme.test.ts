import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import {
  blockProblems,
  brokenAnchors,
  cliFlagsOf,
  codeBlocks,
  documentProblems,
  relativeLinks,
  sectionText,
  shellCommands,
  unknownErrorLines,
  unknownSettings,
  type DocFacts,
} from '../../scripts/doc-blocks.js';
import { quickstartConfig } from '../../scripts/meltano-quickstart.js';
import { ABOUT_FORMATS } from '../../src/cli/about.js';
import TargetIomete from '../../src/command.js';
import { resolveConfig } from '../../src/config/config.js';

/**
 * The documentation stays runnable: every config block of README.md and docs/ validates against
 * the settings, every meltano.yml block names known settings and the plugin definition's variant,
 * every command uses real flags of the CLI (its oclif flags) and real npm scripts, links land, and
 * every troubleshooting line is one the code prints. Then the same for the dev meltano.yml.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (path: string) => readFile(join(root, path), 'utf8');
const DOCS = ['README.md', 'docs/DEVELOPMENT.md', 'docs/MIGRATING.md', 'docs/stream-maps.md', 'docs/ARCHITECTURE.md', 'docs/benchmarks.md'];

async function facts(): Promise<DocFacts> {
  const pkg = JSON.parse(await read('package.json')) as { scripts: Record<string, string> };
  const lakehouseCli = await read('lakehouse/cli.ts');
  const plugin = YAML.parse(await read('plugin-definition.yml')) as { variant: string; pip_url: string };
  return {
    cli: cliFlagsOf(TargetIomete.flags as unknown as Record<string, { type: string; char?: string }>, { format: ABOUT_FORMATS }),
    npmScripts: Object.keys(pkg.scripts),
    lakehouseCommands: [...lakehouseCli.matchAll(/case '([a-z-]+)':/g)].map((m) => m[1]!),
    baseConfig: quickstartConfig(),
    plugin: { variant: plugin.variant, pip_url: plugin.pip_url },
  };
}

async function sources(dir: string): Promise<string> {
  const { readdir } = await import('node:fs/promises');
  const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
  return (await Promise.all(files.map((f) => readFile(f, 'utf8')))).join('\n');
}

describe('the documentation code blocks', () => {
  for (const file of DOCS) {
    it(`${file}: every config block validates and every command is real`, async () => {
      assert.deepEqual(documentProblems(file, await read(file), await facts()), []);
    });
  }

  it('README.md has the blocks a user copies: a config file, a meltano.yml, a .env, commands', async () => {
    const langs = codeBlocks(await read('README.md')).map((b) => b.lang);
    for (const lang of ['json', 'yaml', 'dotenv', 'sh']) assert.ok(langs.includes(lang), lang);
  });

  it('links land: in-page anchors and relative files', async () => {
    for (const file of DOCS) {
      const text = await read(file);
      if (file === 'README.md') assert.deepEqual(brokenAnchors(text), [], file);
      for (const link of relativeLinks(text)) assert.ok(existsSync(join(root, dirname(file), link)), `${file}: ${link}`);
    }
  });

  it('every troubleshooting line is one the code prints', async () => {
    const section = sectionText(await read('README.md'), 'Troubleshooting');
    assert.ok(section.split('\n').filter((l) => l.startsWith('| `')).length >= 10);
    assert.deepEqual(unknownErrorLines(section, await sources('src')), []);
  });

  it('the capabilities section names every capability of plugin-definition.yml', async () => {
    const section = sectionText(await read('README.md'), 'Capabilities');
    const { capabilities } = YAML.parse(await read('plugin-definition.yml')) as { capabilities: string[] };
    for (const capability of capabilities) assert.ok(section.includes(`\`${capability}\``), capability);
  });
});

describe('the dev project meltano.yml', () => {
  it("holds a valid target-iomete config and plugin-definition.yml's settings", async () => {
    const project = YAML.parse(await read('meltano.yml')) as { plugins: { loaders: Array<{ name: string; config: Record<string, unknown>; settings: Array<{ name: string }> }> } };
    const definition = YAML.parse(await read('plugin-definition.yml')) as { settings: Array<{ name: string }> };
    const loader = project.plugins.loaders.find((l) => l.name === 'target-iomete');
    assert.ok(loader);
    assert.deepEqual(unknownSettings(loader.config), []);
    assert.doesNotThrow(() => resolveConfig(loader.config));
    assert.deepEqual(loader.settings.map((s) => s.name), definition.settings.map((s) => s.name));
  });
});

describe('the checks fail on broken blocks', () => {
  const check = async (lang: string, text: string) => blockProblems({ lang, text, line: 1 }, await facts());

  it('JSON: syntax, unknown or misspelt settings, wrong types, stream map expressions', async () => {
    assert.match((await check('json', '{"host": "h",}'))[0] ?? '', /JSON does not parse/);
    assert.deepEqual(await check('json', JSON.stringify({ ...quickstartConfig(), s3_buket: 'b' })), ["unknown setting(s) 's3_buket'"]);
    assert.match((await check('json', JSON.stringify({ ...quickstartConfig(), port: 'x' })))[0] ?? '', /'port'/);
    assert.match((await check('json', JSON.stringify({ stream_maps: { s: { a: 'md5(' } } })))[0] ?? '', /stream_maps\.s\.a/);
    assert.deepEqual(await check('json', JSON.stringify({ stream_maps: { s: { a: 'md5(str(a))' } } })), []);
    // JSON that is no target config (an IAM policy) only has to parse.
    assert.deepEqual(await check('json', '{"Version": "2012-10-17", "Statement": []}'), []);
  });

  it('YAML: syntax, unknown settings, another variant or pip_url than the definition', async () => {
    assert.match((await check('yaml', 'plugins:\n  loaders: [\n'))[0] ?? '', /YAML does not parse/);
    const loader = (extra: string) => `plugins:\n  loaders:\n    - name: target-iomete\n${extra}`;
    assert.deepEqual(await check('yaml', loader('      config:\n        host: h\n        s3_buket: b\n')), ["target-iomete config has unknown setting(s) 's3_buket'"]);
    assert.match((await check('yaml', loader('      variant: iomete\n')))[0] ?? '', /variant 'iomete'/);
    assert.match((await check('yaml', loader('      pip_url: singer-target-iomete\n')))[0] ?? '', /pip_url/);
    assert.deepEqual(await check('yaml', loader('      variant: iomete-ts\n      pip_url: target-iomete\n      config:\n        host: h\n')), []);
  });

  it('.env: variables that name no setting', async () => {
    assert.deepEqual(await check('dotenv', 'TARGET_IOMETE_PASWORD=x\nTARGET_IOMETE_S3_BUCKET=b'), ['TARGET_IOMETE_PASWORD names no setting']);
  });

  it('commands: unknown flags, values and npm scripts, unknown settings in meltano config set', async () => {
    assert.deepEqual(await check('sh', 'target-iomete --confg target.json --check'), ["target-iomete has no flag '--confg'"]);
    assert.deepEqual(await check('sh', 'target-iomete --about --format yaml'), ["'--format yaml': not one of text, json, markdown"]);
    assert.deepEqual(await check('sh', 'tap | docker run -i --rm target-iomete --chek'), ["target-iomete has no flag '--chek'"]);
    assert.deepEqual(await check('sh', 'meltano invoke target-iomete --check --verbose'), ["target-iomete has no flag '--verbose'"]);
    assert.deepEqual(await check('sh', 'npm run lakehous -- start'), ["npm has no script 'lakehous'"]);
    assert.deepEqual(await check('sh', 'npm run lakehouse -- restart'), ["the lakehouse command has no 'restart'"]);
    assert.deepEqual(await check('sh', 'meltano config set target-iomete s3_buket b'), ["meltano config set: 's3_buket' is no setting"]);
    // Untagged blocks: only `$ ` lines are commands (the rest is output).
    assert.deepEqual(await check('', '$ target-iomete --config t.json --chek\nPASS  config  --chek'), ["target-iomete has no flag '--chek'"]);
    assert.deepEqual(await check('sh', 'TARGET_IOMETE_TOKEN=x target-iomete -c t.json --config ENV --check > out.txt'), []);
  });

  it('a README whose config block is broken fails', async () => {
    const readme = await read('README.md');
    const broken = readme.replace('"s3_bucket": "my-staging-bucket"', '"s3_buket": "my-staging-bucket"');
    assert.notEqual(broken, readme);
    assert.deepEqual(documentProblems('README.md', readme, await facts()), []);
    assert.match(documentProblems('README.md', broken, await facts()).join('\n'), /README\.md:\d+: unknown setting\(s\) 's3_buket'/);
  });

  it('troubleshooting rows whose line the code does not print fail', () => {
    const section = '| `Cannot reach the lakehouse at <url>: nothing listens here` | x |\n| `S3 bucket <b> does not exist; check the bucket name` | y |';
    assert.deepEqual(unknownErrorLines(section, "`S3 bucket ${bucket} does not exist; check the bucket name`"), ['`Cannot reach the lakehouse at <url>: nothing listens here`']);
  });

  it('shell commands: continuations joined, pipes split, assignments, redirections and comments dropped', () => {
    assert.deepEqual(shellCommands('A=1 tap --config "t 1.json" \\\n  | target-iomete --config ENV > state.json\n# comment\nnpm run build   # compile'), [
      ['tap', '--config', 't 1.json'],
      ['target-iomete', '--config', 'ENV'],
      ['npm', 'run', 'build'],
    ]);
  });

  it('a README with a mistyped command in its prose fails', async () => {
    const readme = await read('README.md');
    const broken = readme.replace('`npm ci && npm run package:wheel`', '`npm ci && npm run package:whl`');
    assert.notEqual(broken, readme);
    assert.match(documentProblems('README.md', broken, await facts()).join('\n'), /README\.md:\d+: npm has no script 'package:whl'/);
  });

  it('a development guide with a mistyped npm script fails', async () => {
    const guide = await read('docs/DEVELOPMENT.md');
    const broken = guide.replace('npm run test:unit ', 'npm run test:units ');
    assert.notEqual(broken, guide);
    assert.match(documentProblems('docs/DEVELOPMENT.md', broken, await facts()).join('\n'), /npm has no script 'test:units'/);
  });
});
