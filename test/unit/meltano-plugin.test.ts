import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import YAML from 'yaml';
import { generatedFiles } from '../../scripts/generated-files.js';
import { aboutInfo, formatAbout } from '../../src/cli/about.js';
import { CAPABILITIES } from '../../src/cli/capabilities.js';
import { capabilitiesDocument } from '../../src/cli/discover-capabilities.js';
import { loaderFragment, meltanoKind, pluginDefinition, type MeltanoSetting } from '../../src/cli/meltano-definition.js';
import { resolveConfig } from '../../src/config/config.js';
import { configSchema } from '../../src/config/schema.js';
import { SETTINGS } from '../../src/config/settings.js';

const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const hubSchemas = join(root, 'test/fixtures/meltano-hub/schemas');

async function hubValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // The Hub's $ids are relative and its $refs are file paths; giving each schema the absolute id of
  // its path makes the refs resolve as they do in the Hub repository.
  const base = 'https://hub.meltano.com/schemas/';
  for (const file of ['common/base_setting', 'common/common', 'common/loaders_specific', 'plugin_definitions/hub_metadata', 'plugin_definitions/loaders']) {
    const schema = JSON.parse(await readFile(join(hubSchemas, `${file}.schema.json`), 'utf8')) as Record<string, unknown>;
    ajv.addSchema({ ...schema, $id: new URL(`${file}.schema.json`, base).href });
  }
  const validate = ajv.getSchema(new URL('plugin_definitions/loaders.schema.json', base).href);
  assert.ok(validate, 'the Hub loader schema compiles');
  return validate;
}

async function committedDefinition(): Promise<Record<string, unknown>> {
  return YAML.parse(await readFile(join(root, 'plugin-definition.yml'), 'utf8')) as Record<string, unknown>;
}

/** A value of the setting's type that passes its schema. */
function sampleValue(name: string): unknown {
  const spec = SETTINGS.find((s) => s.name === name)!;
  if (spec.enum) return spec.enum[0];
  return { string: 'x', integer: 1, number: 1, boolean: true, object: {}, array: [] }[spec.kind];
}

describe('--about', () => {
  it('lists keys in the Meltano SDK order and the settings as the config JSON Schema', () => {
    const info = aboutInfo();
    assert.deepEqual(Object.keys(info), ['name', 'description', 'version', 'capabilities', 'settings']);
    assert.deepEqual(info.settings, configSchema());
    const parsed = JSON.parse(formatAbout(info, 'json')) as typeof info;
    assert.deepEqual(Object.keys(parsed), Object.keys(info));
  });

  it('marks exactly the secret settings secret and writeOnly', () => {
    const properties = aboutInfo().settings.properties as Record<string, { secret?: boolean; writeOnly?: boolean }>;
    for (const spec of SETTINGS) {
      assert.equal(properties[spec.name]?.secret === true, spec.secret === true, spec.name);
      assert.equal(properties[spec.name]?.writeOnly === true, spec.secret === true, spec.name);
    }
  });

  it('renders text and markdown with every setting', () => {
    const text = formatAbout(aboutInfo(), 'text');
    const markdown = formatAbout(aboutInfo(), 'markdown');
    for (const spec of SETTINGS) {
      assert.match(text, new RegExp(`- Name: ${spec.name}\\n    Type: ${spec.kind}\\n(    .*\\n)*?    Environment Variable: TARGET_IOMETE_${spec.name.toUpperCase()}`));
      assert.ok(markdown.includes(`| \`${spec.name}\` |`), spec.name);
    }
  });

  it('text and markdown show whether a setting is required and its default, in units where it has some', () => {
    const text = formatAbout(aboutInfo(), 'text');
    assert.ok(text.includes('  - Name: token\n    Type: string\n    Required: yes\n    Also accepted as: password\n    Environment Variable: TARGET_IOMETE_TOKEN\n'), text);
    assert.ok(text.includes("  - Name: default_target_schema\n    Type: string\n    Required: yes, or 'schema_mapping'\n"), text);
    assert.ok(text.includes('  - Name: batch_max_bytes\n    Type: integer\n    Default: 256 MiB (268435456)\n'), text);
    assert.ok(text.includes('  - Name: statement_timeout_seconds\n    Type: number\n    Default: 3 h (10800)\n'), text);
    assert.ok(text.includes('  - Name: connect_timeout_seconds\n    Type: number\n    Default: 30 s\n'), text);
    assert.ok(text.includes('  - Name: port\n    Type: integer\n    Default: 443\n'), text);
    const markdown = formatAbout(aboutInfo(), 'markdown');
    assert.match(markdown, /^\| `batch_max_bytes` \|  \| 256 MiB \(`268435456`\) \|/m);
    assert.match(markdown, /^\| `statement_timeout_seconds` \|  \| 3 h \(`10800`\) \|/m);
    assert.match(markdown, /^\| `token` \| yes \|  \|/m);
  });
});

describe('capabilities', () => {
  it('uses only the Hub loader spelling, each once, and declares stream maps', async () => {
    const loaders = JSON.parse(await readFile(join(hubSchemas, 'common/loaders_specific.schema.json'), 'utf8')) as {
      properties: { capabilities: { items: { enum: string[] } } };
    };
    const allowed = new Set(loaders.properties.capabilities.items.enum);
    for (const c of CAPABILITIES) assert.ok(allowed.has(c), c);
    assert.equal(new Set(CAPABILITIES).size, CAPABILITIES.length);
    assert.ok((CAPABILITIES as readonly string[]).includes('stream-maps'));
  });

  it('--discover-capabilities carries the list and a loader definition from the same source', () => {
    const doc = capabilitiesDocument();
    assert.deepEqual(doc.capabilities, [...CAPABILITIES]);
    assert.deepEqual(doc.meltano, loaderFragment());
    assert.deepEqual(Object.keys(doc.meltano), ['name', 'namespace', 'pip_url', 'executable', 'capabilities', 'settings', 'settings_group_validation']);
  });
});

describe('plugin-definition.yml', () => {
  it('validates against the Meltano Hub loader schema', async () => {
    const validate = await hubValidator();
    const ok = validate(await committedDefinition());
    assert.ok(ok, JSON.stringify(validate.errors, null, 2));
    // The validator does reject what the Hub rejects (so the pass above means something).
    assert.equal(validate({ ...pluginDefinition(), capabilities: ['record-flattening'] }), false);
    assert.equal(validate({ ...pluginDefinition(), settings: [{ name: 'x', kind: 'secret' }] }), false);
    assert.equal(validate({ ...pluginDefinition(), container_spec: {} }), false);
  });

  it('is what the generator writes (run `npm run generate` after changing settings)', async () => {
    assert.deepEqual(await committedDefinition(), pluginDefinition());
    for (const file of await generatedFiles(root)) {
      assert.ok(file.current === file.expected, `${file.path} is out of date with src/config/settings.ts; run npm run generate`);
    }
  });

  it('matches --about setting for setting: names, kinds, secrets, defaults, options, aliases', async () => {
    const definition = await committedDefinition();
    const settings = definition.settings as MeltanoSetting[];
    const properties = aboutInfo().settings.properties as Record<string, Record<string, unknown>>;
    assert.deepEqual(settings.map((s) => s.name).sort(), Object.keys(properties).sort());
    const jsonTypeOf = { string: 'string', password: 'string', options: 'string', integer: 'integer', decimal: 'number', boolean: 'boolean', object: 'object', array: 'array' };
    for (const setting of settings) {
      const property = properties[setting.name]!;
      const spec = SETTINGS.find((s) => s.name === setting.name)!;
      assert.equal(jsonTypeOf[setting.kind], property.type, setting.name);
      assert.equal(setting.kind, meltanoKind(spec), setting.name);
      assert.equal(setting.sensitive === true, property.secret === true, setting.name);
      assert.deepEqual(setting.value, property.default, setting.name);
      assert.deepEqual(setting.options?.map((o) => o.value), property.enum as string[] | undefined, setting.name);
      assert.deepEqual(setting.aliases ?? [], [...(spec.aliases ?? [])], setting.name);
      assert.equal(setting.label, property.title, setting.name);
    }
  });

  it('has settings groups that are exactly the configs the schema accepts', () => {
    const groups = (pluginDefinition().settings_group_validation as string[][]) ?? [];
    assert.ok(groups.length > 0);
    for (const group of groups) {
      const config = Object.fromEntries(group.map((name) => [name, sampleValue(name)]));
      assert.doesNotThrow(() => resolveConfig(config), `group ${group.join(', ')} is a complete config`);
      for (const name of group) {
        const { [name]: _left, ...without } = config;
        assert.throws(() => resolveConfig(without), `group ${group.join(', ')} needs ${name}`);
      }
    }
  });

  it('is pip-installable as the PyPI wheel, whose console script is the executable', async () => {
    const definition = await committedDefinition();
    const pyproject = await readFile(join(root, 'packaging/pypi/pyproject.toml'), 'utf8');
    assert.equal(definition.name, 'target-iomete');
    assert.equal(definition.pip_url, /^name = "([^"]+)"$/m.exec(pyproject)?.[1]);
    assert.equal(definition.executable, 'target-iomete');
    assert.match(pyproject, /^\[project\.scripts\]\ntarget-iomete = "target_iomete:main"$/m);
  });

  it('is a variant of its own, not the Hub variant of the older Python target', async () => {
    const definition = await committedDefinition();
    // The Hub's own entry for it, as published in meltano/hub.
    const python = YAML.parse(await readFile(join(root, 'test/fixtures/meltano-hub/_data/meltano/loaders/target-iomete/iomete.yml'), 'utf8')) as Record<string, unknown>;
    assert.equal(python.variant, 'iomete');
    assert.notEqual(definition.variant, python.variant);
    assert.notEqual(definition.executable, python.executable);
  });
});

describe('meltano.yml', () => {
  it('wires the loader to the local build with the generated definition', async () => {
    const project = YAML.parse(await readFile(join(root, 'meltano.yml'), 'utf8')) as {
      plugins: { loaders: Array<Record<string, unknown>>; extractors: Array<Record<string, unknown>> };
    };
    const loader = project.plugins.loaders.find((l) => l.name === 'target-iomete')!;
    const fragment = loaderFragment();
    assert.equal(loader.executable, 'bin/run.js');
    for (const key of ['namespace', 'capabilities', 'settings', 'settings_group_validation']) assert.deepEqual(loader[key], fragment[key], key);
    assert.ok(project.plugins.extractors.some((e) => typeof e.pip_url === 'string'), 'a real tap installed from PyPI');
  });
});
