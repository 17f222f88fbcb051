import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { buildWheel } from '../../scripts/build-wheel.js';
import { canonicalSettingName, quickstartSteps, SETTINGS_TO_SET, stateId, TOKEN_SETTING, withLoaderPipUrl, type QuickstartValues } from '../../scripts/meltano-quickstart.js';
import { ensurePythonTools, type PythonTools } from '../../scripts/python-tools.js';
import { aboutInfo } from '../../src/cli/about.js';
import type { MeltanoSetting } from '../../src/cli/meltano-definition.js';
import { dropSchema, ensureConfig, freshSchema, query } from './harness.js';

/**
 * A new Meltano user's first session, for real: the real `meltano` (PyPI, pinned in
 * scripts/python-tools.ts) with nothing on PATH but its venv, running exactly the README's commands
 * (scripts/meltano-quickstart.ts renders them there): a fresh `meltano init`, the loader added from
 * plugin-definition.yml with pip_url pointed at the freshly built wheel, `meltano install` (pip
 * installs the wheel and its Node.js), `meltano config set` for every setting the local lakehouse
 * needs, then `--about`, `--check`, `meltano run tap-jsonl target-iomete` (tap-jsonl from PyPI)
 * and `meltano state get`.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const animals = join(root, 'test/fixtures/meltano/animals.jsonl');
const TAP = 'tap-jsonl';

// The extractor's definition, as a user adds a tap that is not on the Hub.
const TAP_DEFINITION = {
  name: TAP,
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

describe('a Meltano user installs target-iomete from its wheel and loads with it', { timeout: 25 * 60_000 }, () => {
  let tools: PythonTools;
  let work: string;
  let project: string;
  let schema: string;
  let lakehouse: Record<string, unknown>;
  let values: QuickstartValues;
  let env: NodeJS.ProcessEnv;
  /** Output of each command of the quickstart, by its command line. */
  const outputs = new Map<string, Run>();

  const meltano = (cwd: string, args: readonly string[]): Promise<Run> =>
    new Promise((resolvePromise) => {
      const child = execFile(tools.meltano, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        resolvePromise({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
      child.stdin?.end();
    });
  const output = (...argv: string[]): Run => {
    const run = outputs.get(argv.join(' '));
    assert.ok(run, `\`${argv.join(' ')}\` ran (see the first test)`);
    return run;
  };

  before(async () => {
    tools = await ensurePythonTools((line) => console.error(line));
    lakehouse = await ensureConfig();
    schema = await freshSchema('meltano');
    work = await mkdtemp(join(tmpdir(), 'target-iomete-meltano-'));
    const wheel = await buildWheel(join(work, 'dist'), (line) => console.error(line));
    await writeFile(join(work, `${TAP}.yml`), YAML.stringify(TAP_DEFINITION));
    values = {
      project: 'my-project',
      definition: join(root, 'plugin-definition.yml'),
      wheel: wheel.path,
      // `meltano config set` takes each value as text and casts it by the setting's kind.
      // By canonical name: the local config may spell the token's setting by its older name.
      settings: Object.fromEntries(Object.entries({ ...lakehouse, default_target_schema: schema }).map(([k, v]) => [canonicalSettingName(k), typeof v === 'string' ? v : JSON.stringify(v)])),
      tap: TAP,
      tapFrom: ['--from-ref', join(work, `${TAP}.yml`)],
    };
    project = join(work, values.project);
    // Nothing of this machine's Meltano or target settings, and only the venv on PATH: the target
    // must come from the wheel, with its own Node.js.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TARGET_IOMETE_|MELTANO_|SINGER_SDK_|LOGLEVEL$|PATH$|NODE_|npm_)/.test(k)));
    env = {
      ...inherited,
      PATH: tools.bin,
      MELTANO_SEND_ANONYMOUS_USAGE_STATS: 'false',
      // The tap's own settings (not part of the quickstart).
      TAP_JSONL_PATH: animals,
      TAP_JSONL_STREAM_NAME: 'animals',
      TAP_JSONL_PRIMARY_KEYS: '["id"]',
    };
  });

  after(async () => {
    if (schema) await dropSchema(schema);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('the quickstart sets exactly the settings the local lakehouse needs', () => {
    assert.deepEqual([...SETTINGS_TO_SET].sort(), Object.keys(lakehouse).map(canonicalSettingName).sort());
  });

  it("runs the README's Meltano commands in order, each exits 0", async () => {
    let cwd = work;
    for (const step of quickstartSteps(values)) {
      if (step.kind === 'cd') {
        cwd = join(cwd, step.dir);
      } else if (step.kind === 'pip-url') {
        const file = join(cwd, 'meltano.yml');
        await writeFile(file, withLoaderPipUrl(await readFile(file, 'utf8'), step.wheel));
      } else {
        const run = await meltano(cwd, step.argv.slice(1));
        outputs.set(step.argv.join(' '), run);
        assert.equal(run.code, 0, `${step.argv.join(' ')}\n${run.stdout}\n${run.stderr}`);
      }
    }
  });

  it('installed the loader from the wheel, with the definition of plugin-definition.yml', async () => {
    const definition = YAML.parse(await readFile(join(root, 'plugin-definition.yml'), 'utf8')) as { settings: MeltanoSetting[]; variant: string };
    const projectFile = YAML.parse(await readFile(join(project, 'meltano.yml'), 'utf8')) as {
      plugins: { loaders: Array<{ name: string; variant: string; pip_url: string; settings: MeltanoSetting[] }> };
    };
    const loader = projectFile.plugins.loaders.find((l) => l.name === 'target-iomete');
    assert.equal(loader?.pip_url, values.wheel);
    assert.equal(loader?.variant, definition.variant);
    assert.deepEqual(loader?.settings.map((s) => s.name), definition.settings.map((s) => s.name));
    // Secrets went to .env, not to meltano.yml.
    const yml = await readFile(join(project, 'meltano.yml'), 'utf8');
    const dotenv = await readFile(join(project, '.env'), 'utf8');
    for (const secret of [TOKEN_SETTING, 'aws_secret_access_key']) {
      assert.ok(!yml.includes(values.settings[secret]!), `${secret} is not in meltano.yml`);
      assert.match(dotenv, new RegExp(`^TARGET_IOMETE_${secret.toUpperCase()}=`, 'm'));
    }
  });

  it('meltano config list shows every setting as set by config set, secrets redacted', () => {
    const list = output('meltano', 'config', 'list', 'target-iomete').stdout;
    for (const name of SETTINGS_TO_SET) {
      const env = `TARGET_IOMETE_${name.toUpperCase()}`;
      // A setting with other names lists their variables after its own: `[env: TARGET_IOMETE_TOKEN, TARGET_IOMETE_PASSWORD]`.
      const line = list.split('\n').find((l) => l.startsWith(`${name} `) && (l.includes(`[env: ${env}]`) || l.includes(`[env: ${env}, `)));
      assert.ok(line, `${name} is listed`);
      assert.match(line, new RegExp(`current value: .+ \\(from (\`meltano\\.yml\`|the ${env} variable in \`\\.env\`)\\)$`), name);
    }
    for (const secret of [TOKEN_SETTING, 'aws_secret_access_key']) assert.match(list, new RegExp(`^${secret} .*current value: \\(redacted\\)`, 'm'), secret);
    assert.doesNotMatch(list, /local-token/);
  });

  it('meltano invoke target-iomete --about --format json prints the same document as the build', () => {
    const about = JSON.parse(output('meltano', 'invoke', 'target-iomete', '--about', '--format', 'json').stdout) as unknown;
    assert.deepEqual(about, JSON.parse(JSON.stringify(aboutInfo())));
  });

  it('meltano invoke target-iomete --check passes against the local lakehouse', () => {
    const check = output('meltano', 'invoke', 'target-iomete', '--check');
    assert.match(check.stdout + check.stderr, /Check passed: all \d+ steps passed\./);
    assert.doesNotMatch(check.stdout + check.stderr, /^FAIL /m);
  });

  it('meltano run loaded the rows into Iceberg, logged as parsed events, no secrets', async () => {
    const run = output('meltano', 'run', TAP, 'target-iomete');
    const log = run.stdout + run.stderr;
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
  });

  it('meltano state get holds the bookmark the target emitted', () => {
    const stored = JSON.parse(output('meltano', 'state', 'get', stateId(TAP)).stdout) as {
      singer_state: { bookmarks: { animals: { replication_key: string; replication_key_value: string } } };
    };
    assert.equal(stored.singer_state.bookmarks.animals.replication_key, '_sdc_last_modified');
    assert.ok(stored.singer_state.bookmarks.animals.replication_key_value);
  });

  it('a second run resumes from the stored state and keeps it', async () => {
    const before = output('meltano', 'state', 'get', stateId(TAP)).stdout;
    const run = await meltano(project, ['run', TAP, 'target-iomete']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(JSON.parse((await meltano(project, ['state', 'get', stateId(TAP)])).stdout), JSON.parse(before));
    const [count] = await query(`SELECT COUNT(*) AS n FROM spark_catalog.${schema}.animals`);
    assert.equal(Number(count?.n), 5, 'the upsert keeps one row per key');
  });
});
