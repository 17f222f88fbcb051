import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { ensurePythonTools, type PythonTools } from '../../scripts/python-tools.js';
import { aboutInfo } from '../../src/cli/about.js';
import type { MeltanoSetting } from '../../src/cli/meltano-definition.js';
import { dropSchema, ensureConfig, freshSchema, query } from './harness.js';

/**
 * The real `meltano` (from PyPI, in a virtualenv the test installs once under .cache/) runs a real
 * tap (tap-jsonl, installed from PyPI by `meltano install`) into this target, added to a fresh
 * project from plugin-definition.yml exactly as a user would, with `target-iomete` on PATH.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const animals = join(root, 'test/fixtures/meltano/animals.jsonl');
const STATE_ID = 'test:tap-jsonl-to-target-iomete';

// The extractor's definition, as a user would add a tap that is not on the Hub.
const TAP_DEFINITION = {
  name: 'tap-jsonl',
  namespace: 'tap_jsonl',
  variant: 'pypi',
  pip_url: 'tap-jsonl==0.3.1',
  executable: 'tap-jsonl',
  capabilities: ['discover', 'catalog', 'state', 'about'],
  settings: [
    { name: 'path', kind: 'string' },
    { name: 'stream_name', kind: 'string' },
    { name: 'primary_keys', kind: 'array' },
  ],
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('Meltano runs target-iomete', { timeout: 20 * 60_000 }, () => {
  let tools: PythonTools;
  let project: string;
  let schema: string;
  let env: NodeJS.ProcessEnv;

  const meltanoWith = (extraEnv: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> =>
    new Promise((resolvePromise) => {
      const child = execFile(tools.meltano, args, { cwd: project, env: { ...env, ...extraEnv }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        resolvePromise({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
      child.stdin?.end();
    });
  const meltano = (...args: string[]): Promise<Run> => meltanoWith({}, ...args);
  const mapsSchema = freshSchema('meltano_maps');

  before(async () => {
    tools = await ensurePythonTools((line) => console.error(line));
    const lakehouse = await ensureConfig();
    schema = await freshSchema('meltano');
    project = await mkdtemp(join(tmpdir(), 'target-iomete-meltano-'));
    await writeFile(
      join(project, 'meltano.yml'),
      YAML.stringify({ project_id: 'target-iomete-it', send_anonymous_usage_stats: false, default_environment: 'test', environments: [{ name: 'test' }], plugins: {} }),
    );
    await writeFile(join(project, 'tap-jsonl.yml'), YAML.stringify(TAP_DEFINITION));
    // What `npm install -g target-iomete` does: the package's bin on PATH under its name.
    await mkdir(join(project, 'path'));
    await symlink(join(root, 'bin/run.js'), join(project, 'path/target-iomete'));
    // Settings reach Meltano as environment variables (its documented way for secrets); Meltano
    // casts them by the definition's kinds and writes the config file it passes with --config.
    const settings: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries({ ...lakehouse, default_target_schema: schema })) {
      settings[`TARGET_IOMETE_${key.toUpperCase()}`] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TARGET_IOMETE_|MELTANO_|SINGER_SDK_|LOGLEVEL$)/.test(k)));
    env = {
      ...inherited,
      ...settings,
      PATH: [join(project, 'path'), tools.bin, process.env.PATH ?? ''].join(delimiter),
      MELTANO_SEND_ANONYMOUS_USAGE_STATS: 'false',
      TAP_JSONL_PATH: animals,
      TAP_JSONL_STREAM_NAME: 'animals',
      TAP_JSONL_PRIMARY_KEYS: '["id"]',
    };
  });

  after(async () => {
    if (schema) await dropSchema(schema);
    await dropSchema(await mapsSchema);
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('adds the loader from plugin-definition.yml and installs the tap from PyPI', async () => {
    const added = await meltano('add', '--plugin-type', 'loader', 'target-iomete', '--from-ref', join(root, 'plugin-definition.yml'));
    assert.equal(added.code, 0, added.stderr);
    const tap = await meltano('add', '--plugin-type', 'extractor', 'tap-jsonl', '--from-ref', join(project, 'tap-jsonl.yml'));
    assert.equal(tap.code, 0, tap.stderr);
    const installed = await meltano('install');
    assert.equal(installed.code, 0, installed.stderr);

    const definition = YAML.parse(await readFile(join(root, 'plugin-definition.yml'), 'utf8')) as { settings: MeltanoSetting[] };
    const projectFile = YAML.parse(await readFile(join(project, 'meltano.yml'), 'utf8')) as { plugins: { loaders: Array<{ name: string; settings: MeltanoSetting[] }> } };
    const loader = projectFile.plugins.loaders.find((l) => l.name === 'target-iomete');
    assert.deepEqual(loader?.settings.map((s) => s.name), definition.settings.map((s) => s.name));
  });

  it('meltano invoke target-iomete --about --format json prints the same document, setting for setting', async () => {
    const run = await meltano('invoke', 'target-iomete', '--about', '--format', 'json');
    assert.equal(run.code, 0, run.stderr);
    const about = JSON.parse(run.stdout) as ReturnType<typeof aboutInfo>;
    assert.deepEqual(about, JSON.parse(JSON.stringify(aboutInfo())));
    const definition = YAML.parse(await readFile(join(root, 'plugin-definition.yml'), 'utf8')) as { settings: MeltanoSetting[]; capabilities: string[] };
    assert.deepEqual(Object.keys(about.settings.properties as object).sort(), definition.settings.map((s) => s.name).sort());
    assert.deepEqual(about.capabilities, definition.capabilities);
  });

  it('meltano run tap-jsonl target-iomete loads the rows into Iceberg and Meltano stores the state', async () => {
    const run = await meltano('run', 'tap-jsonl', 'target-iomete');
    const log = run.stdout + run.stderr;
    assert.equal(run.code, 0, log);
    // structured-logging: Meltano parsed the target's JSON lines into its own log events.
    assert.match(log, /target-iomete\s+Loaded 5 row\(s\) of stream 'animals'/);
    assert.match(log, /target-iomete\s+METRIC\s+metric_name=record_count metric_value=5/);
    assert.doesNotMatch(log, /"app_name": ?"target-iomete"/, 'no raw JSON log line reached Meltano unparsed');
    assert.doesNotMatch(log, /local-token|S3RVER/, 'secrets stay out of the log');

    const rows = await query(`SELECT ID, NAME, LEGS, WEIGHT_KG, NOCTURNAL, CAST(SEEN_AT AS STRING) AS SEEN_AT, TAGS FROM spark_catalog.${schema}.animals ORDER BY ID`);
    assert.deepEqual(rows, [
      { ID: 1, NAME: 'aardvark', LEGS: 4, WEIGHT_KG: 60.5, NOCTURNAL: true, SEEN_AT: '2024-03-01 21:15:00', TAGS: '["africa","burrow"]' },
      { ID: 2, NAME: 'bear', LEGS: 4, WEIGHT_KG: 300, NOCTURNAL: false, SEEN_AT: '2024-03-02 08:00:00', TAGS: '["forest"]' },
      { ID: 3, NAME: 'cuttlefish', LEGS: 8, WEIGHT_KG: 10.25, NOCTURNAL: false, SEEN_AT: '2024-03-03 12:30:00', TAGS: '[]' },
      { ID: 4, NAME: 'dodo', LEGS: 2, WEIGHT_KG: null, NOCTURNAL: false, SEEN_AT: '1681-01-01 00:00:00', TAGS: '["extinct"]' },
      { ID: 5, NAME: 'emu "the runner"', LEGS: 2, WEIGHT_KG: 45, NOCTURNAL: false, SEEN_AT: '2024-03-05 06:45:00', TAGS: '["australia"]' },
    ]);

    const state = await meltano('state', 'get', STATE_ID);
    assert.equal(state.code, 0, state.stderr);
    const stored = JSON.parse(state.stdout) as { singer_state: { bookmarks: { animals: { replication_key: string; replication_key_value: string } } } };
    assert.equal(stored.singer_state.bookmarks.animals.replication_key, '_sdc_last_modified');
    assert.ok(stored.singer_state.bookmarks.animals.replication_key_value);
  });

  it('a second run resumes from the stored state and keeps it', async () => {
    const before = (await meltano('state', 'get', STATE_ID)).stdout;
    const run = await meltano('run', 'tap-jsonl', 'target-iomete');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(JSON.parse((await meltano('state', 'get', STATE_ID)).stdout), JSON.parse(before));
    const [count] = await query(`SELECT COUNT(*) AS n FROM spark_catalog.${schema}.animals`);
    assert.equal(Number(count?.n), 5, 'the upsert keeps one row per key');
  });

  it('stream maps set through Meltano hash, drop, filter and alias before anything is loaded', async () => {
    const target = await mapsSchema;
    const run = await meltanoWith(
      {
        TARGET_IOMETE_DEFAULT_TARGET_SCHEMA: target,
        TARGET_IOMETE_STREAM_MAPS: JSON.stringify({ animals: { __alias__: 'beasts', __filter__: 'legs == 4', name: null, name_hash: "md5(config['seed'] + name)" } }),
        TARGET_IOMETE_STREAM_MAP_CONFIG: JSON.stringify({ seed: 'salt-' }),
      },
      'run',
      '--full-refresh',
      '--state-id-suffix',
      'maps',
      'tap-jsonl',
      'target-iomete',
    );
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    assert.deepEqual(await query(`SELECT ID, NAME_HASH FROM spark_catalog.${target}.beasts ORDER BY ID`), [
      { ID: 1, NAME_HASH: md5('salt-aardvark') },
      { ID: 2, NAME_HASH: md5('salt-bear') },
    ]);
    const columns = (await query(`DESCRIBE TABLE spark_catalog.${target}.beasts`)).map((r) => String(r.col_name));
    assert.ok(!columns.includes('NAME'), columns.join(', '));
  });
});
