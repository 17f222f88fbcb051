import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { QUICKSTART_END, QUICKSTART_START, renderQuickstartSection } from '../../scripts/generated-files.js';
import { IOMETE_SETTINGS, README_VALUES, TOKEN_SETTING, quickstartSteps, shellWord, unknownQuickstartSettings, withLoaderPipUrl } from '../../scripts/meltano-quickstart.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every command line of the README's code blocks that starts with `meltano `. */
function meltanoLines(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```[a-z]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  return blocks.flatMap((b) => b.split('\n')).filter((l) => l.startsWith('meltano '));
}

describe('the README Meltano commands', () => {
  it('are the commands the Meltano integration test runs (rendered from the same list)', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const block = readme.slice(readme.indexOf(QUICKSTART_START) + QUICKSTART_START.length, readme.indexOf(QUICKSTART_END)).trim();
    assert.equal(block, renderQuickstartSection(), 'run `npm run generate`');
    const tested = quickstartSteps(README_VALUES).flatMap((s) => (s.kind === 'command' && s.part !== 'test' ? [s.argv.map(shellWord).join(' ')] : []));
    // No other Meltano command anywhere in the README's code blocks: each one is a tested one, in the test's order.
    assert.deepEqual(meltanoLines(readme), tested);
  });

  it('use Meltano 4 syntax: `meltano config set <plugin>`, `meltano add --plugin-type`', async () => {
    for (const file of ['README.md', 'plugin-definition.yml', 'meltano.yml']) {
      const text = await readFile(join(root, file), 'utf8');
      assert.doesNotMatch(text, /meltano config (?!set |list |unset |reset |print |test |--)[\w-]+ (set|list)/, `${file}: Meltano 3 \`meltano config <plugin> set\``);
      assert.doesNotMatch(text, /meltano add (loader|extractor)s? /, `${file}: \`meltano add <type> <name>\` adds a plugin named like the type in Meltano 4`);
    }
  });

  it('set only settings that exist, each once, the secrets from the shell environment', () => {
    assert.deepEqual(unknownQuickstartSettings(), []);
    const sets = quickstartSteps(README_VALUES).flatMap((s) => (s.kind === 'command' && s.argv[2] === 'set' ? [s.argv[4]!] : []));
    assert.equal(new Set(sets).size, sets.length);
    for (const secret of [TOKEN_SETTING, 'aws_access_key_id', 'aws_secret_access_key']) assert.match(README_VALUES.settings[secret]!, /^\$[A-Z_]+$/, secret);
  });

  it('set on iomete only what has no fitting default: no endpoint setting', () => {
    const sets = quickstartSteps(README_VALUES).flatMap((s) => (s.kind === 'command' && s.argv[2] === 'set' ? [s.argv[4]!] : []));
    assert.deepEqual(sets, [...IOMETE_SETTINGS]);
    for (const name of ['port', 'scheme', 's3_endpoint_url', 's3_force_path_style']) assert.ok(!sets.includes(name), name);
  });
});

describe('shellWord', () => {
  it('leaves plain words, keeps $VARIABLES expandable and single-quotes the rest', () => {
    assert.equal(shellWord('https://host/x.yml'), 'https://host/x.yml');
    assert.equal(shellWord('$IOMETE_TOKEN'), '"$IOMETE_TOKEN"');
    assert.equal(shellWord('["id"]'), `'["id"]'`);
    assert.equal(shellWord("it's"), `'it'\\''s'`);
    assert.equal(shellWord('a b'), `'a b'`);
  });
});

describe('withLoaderPipUrl', () => {
  it("sets the target-iomete loader's pip_url and nothing else", () => {
    const yml = ['# my project', 'plugins:', '  loaders:', '  - name: other', '    pip_url: other', '  - name: target-iomete', '    pip_url: target-iomete', '    executable: target-iomete', ''].join('\n');
    const edited = withLoaderPipUrl(yml, '/w/target_iomete-1.0.0-py3-none-any.whl');
    const loaders = (YAML.parse(edited) as { plugins: { loaders: Array<Record<string, string>> } }).plugins.loaders;
    assert.deepEqual(loaders, [
      { name: 'other', pip_url: 'other' },
      { name: 'target-iomete', pip_url: '/w/target_iomete-1.0.0-py3-none-any.whl', executable: 'target-iomete' },
    ]);
    assert.ok(edited.startsWith('# my project\n'), 'comments stay');
    assert.throws(() => withLoaderPipUrl('plugins: {}\n', 'x'), /no loader target-iomete/);
  });
});
