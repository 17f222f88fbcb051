import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { configFile, dropSchema, ensureConfig, freshSchema, query, runTarget } from './harness.js';

const THREE_RECORDS = [
  { type: 'SCHEMA', stream: 'animals', schema: { properties: { id: { type: 'integer' }, name: { type: ['null', 'string'] } } }, key_properties: ['id'] },
  { type: 'RECORD', stream: 'animals', record: { id: 1, name: 'aardvark' } },
  { type: 'RECORD', stream: 'animals', record: { id: 2, name: 'bear' } },
  { type: 'RECORD', stream: 'animals', record: { id: 3, name: null } },
  { type: 'STATE', value: { bookmarks: { animals: { id: 3 } } } },
]
  .map((m) => JSON.stringify(m))
  .join('\n');

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/run.js');

/** Runs the CLI for a document (stdout is not state lines here, so harness.runTarget does not fit). */
function runCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = execFile(process.execPath, [bin, ...args], { encoding: 'utf8', env }, (error, stdout, stderr) => {
      resolvePromise({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end();
  });
}

async function tempFile(name: string, content: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'target-iomete-cli-')), name);
  await writeFile(path, content);
  return path;
}

/** Every `TARGET_IOMETE_*` variable of a config, as `--config ENV` reads them. */
function envOf(config: Record<string, unknown>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(config)) env[`TARGET_IOMETE_${key.toUpperCase()}`] = typeof value === 'string' ? value : JSON.stringify(value);
  return env;
}

describe('documents that need no config', () => {
  for (const [label, args] of [
    ['no config', []],
    ['a missing config file', ['--config', '/nonexistent/config.json']],
    ['an invalid config', ['--config', 'INVALID']],
  ] as const) {
    it(`--about --format json prints pure JSON with ${label}`, async () => {
      const extra = label === 'an invalid config' ? ['--config', await tempFile('bad.json', '{"port": "not a number", ')] : args;
      const result = await runCli([...extra, '--about', '--format', 'json']);
      assert.equal(result.code, 0, result.stderr);
      const about = JSON.parse(result.stdout) as Record<string, unknown>;
      assert.deepEqual(Object.keys(about), ['name', 'description', 'version', 'capabilities', 'settings']);
      assert.equal(about.name, 'target-iomete');
    });
  }

  it('--about defaults to text and takes markdown', async () => {
    const text = await runCli(['--about']);
    assert.match(text.stdout, /^Name: target-iomete\nDescription: /);
    const markdown = await runCli(['--about', '--format', 'markdown']);
    assert.match(markdown.stdout, /^# `target-iomete`/);
  });

  it('--discover-capabilities prints one JSON document', async () => {
    const result = await runCli(['--discover-capabilities']);
    assert.equal(result.code, 0, result.stderr);
    const doc = JSON.parse(result.stdout) as { capabilities: string[]; meltano: { settings: unknown[] } };
    assert.ok(doc.capabilities.includes('about'));
    assert.ok(doc.meltano.settings.length > 0);
  });

  it('--version names the package version', async () => {
    const result = await runCli(['--version']);
    assert.match(result.stdout, /^target-iomete v\d+\.\d+\.\d+/);
  });
});

describe('usage errors: one line, exit 2', () => {
  for (const [label, args, message] of [
    ['a format --about does not print', ['--about', '--format', 'yaml'], '--format yaml: --about prints text, json or markdown'],
    ['a format --check does not print', ['--check', '--format', 'markdown'], '--format markdown: --check prints text or json'],
    ['a format --discover-capabilities does not print', ['--discover-capabilities', '--format', 'text'], '--format text: --discover-capabilities prints json only'],
    ['--format on a load', ['--config', 'target.json', '--format', 'json'], '--format json: a load prints no document; --format is for --about, --check, --discover-capabilities'],
    ['a misspelt flag', ['--confg', 'target.json'], 'Unknown flag --confg (did you mean --config?); see --help'],
    ['a missing config file', ['--config', '/nonexistent/config.json'], 'Cannot read config file /nonexistent/config.json: no such file'],
    ['a missing config file for --check', ['--config', '/nonexistent/config.json', '--check'], 'Cannot read config file /nonexistent/config.json: no such file'],
    ['a directory as config file', ['--config', '/'], 'Cannot read config file /: it is a directory'],
    ['no config', [], 'No configuration: pass --config FILE (JSON), or --config ENV with TARGET_IOMETE_<SETTING> variables'],
  ] as const) {
    it(label, async () => {
      const result = await runCli(args);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stderr, `Error: ${message}\n`);
      assert.equal(result.stdout, '');
    });
  }

  it('--help prints its usage line and description once', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    const count = (text: string) => help.stdout.split(text).length - 1;
    assert.equal(count('Load Singer messages from stdin (or --input) into Apache Iceberg tables of an iomete lakehouse.'), 1, help.stdout);
    assert.equal(count('STATE lines go to stdout once the data before them is committed'), 1, help.stdout);
    assert.equal(count('USAGE'), 1, help.stdout);
  });
});

/** A failed start: exit 1, nothing on stdout, and on stderr only the one ERROR block listing `problems`. */
function assertConfigErrors(result: { code: number; stdout: string; stderr: string }, problems: readonly string[]): void {
  assert.equal(result.code, 1);
  assert.equal(result.stdout, '');
  const untimed = result.stderr.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /gm, '');
  assert.equal(untimed, `ERROR Invalid configuration (${problems.length} problems):\n${problems.map((p) => `  - ${p}\n`).join('')}`);
}

describe('configuration errors: every problem in one ERROR block, nothing after it, exit 1', () => {
  it('from a file: a typo named with the key meant, a wrong type with the value given', async () => {
    const base = await ensureConfig();
    const { s3_bucket: bucket, ...rest } = base;
    const config = await tempFile('typo.json', JSON.stringify({ ...rest, s3_buket: bucket, port: '443a', stage: 'x' }));
    assertConfigErrors(await runCli(['--config', config]), [
      "unknown key 's3_buket' — did you mean 's3_bucket'? (a required setting)",
      '\'port\' must be an integer, got "443a"',
      "unknown key 'stage' ignored (no setting has a similar name)",
    ]);
  });

  it('from the environment: a misspelt variable names the variable meant; the value of a secret is never shown', async () => {
    const base = await ensureConfig();
    const { password, port: _port, ...rest } = base;
    const env = { PATH: process.env.PATH, ...envOf(rest), TARGET_IOMETE_PASWORD: String(password), TARGET_IOMETE_PORT: '443a' };
    const result = await runCli(['--config', 'ENV'], env);
    assertConfigErrors(result, [
      'unknown variable TARGET_IOMETE_PASWORD — did you mean TARGET_IOMETE_PASSWORD? (a required setting)',
      'TARGET_IOMETE_PORT must be an integer, got "443a"',
    ]);
    assert.doesNotMatch(result.stderr, new RegExp(String(password)));
  });

  it('TARGET_IOMETE_TOKEN carries the personal access token', async () => {
    const schema = await freshSchema('token');
    const base = await ensureConfig();
    const { password, ...rest } = base;
    const env = { ...process.env, ...envOf({ ...rest, default_target_schema: schema }), TARGET_IOMETE_TOKEN: String(password) };
    try {
      const result = await runTarget(['--config', 'ENV'], THREE_RECORDS, { ms: 0 }, env);
      assert.equal(result.code, 0, result.stderr);
      assert.doesNotMatch(result.stderr, new RegExp(String(password)));
    } finally {
      await dropSchema(schema);
    }
  });
});

describe('--check', () => {
  it('passes every step against the local lakehouse', async () => {
    const config = await configFile({ default_target_schema: await freshSchema() });
    const result = await runCli(['--config', config, '--check']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.filter((l) => l.startsWith('PASS  ')).length, 9, result.stdout);
    assert.equal(lines.at(-1), 'Check passed: all 9 steps passed.');
  });

  it('fails with a clear line when S3 and the lakehouse are unreachable, showing no secret', async () => {
    const base = await ensureConfig();
    const config = await configFile({ s3_endpoint_url: 'http://127.0.0.1:1', port: 1, password: 'pat-check-secret-42', aws_secret_access_key: 'aws-check-secret-42' });
    const result = await runCli(['--config', config, '--check']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^FAIL {2}s3 write +.*ECONNREFUSED.*check 's3_endpoint_url'/m);
    assert.match(result.stdout, /^FAIL {2}lakehouse session +Cannot reach the lakehouse at http:\/\/127\.0\.0\.1:1\//m);
    assert.match(result.stdout, /^Check failed: 2 step\(s\) failed, 6 skipped, 1 passed\.$/m);
    assert.doesNotMatch(result.stdout + result.stderr, /check-secret-42/);
    assert.ok(base.host);
  });

  it('reports an invalid config as the failing first step, as JSON when asked', async () => {
    const config = await tempFile('partial.json', JSON.stringify({ host: 'h', password: 'pat-partial-secret' }));
    const result = await runCli(['--config', config, '--check', '--format', 'json']);
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as { ok: boolean; steps: Array<{ step: string; status: string; detail: string }> };
    assert.equal(report.ok, false);
    assert.equal(report.steps[0]?.status, 'fail');
    assert.match(report.steps[0]?.detail ?? '', /'lakehouse' is required/);
    assert.ok(report.steps.slice(1).every((s) => s.status === 'skip'));
    assert.doesNotMatch(result.stdout, /pat-partial-secret/);
  });
});

describe('loading with --config ENV and structured logs', () => {
  const schemas: string[] = [];
  after(async () => {
    for (const schema of schemas) await dropSchema(schema);
  });

  it('takes settings from TARGET_IOMETE_* variables, which win over a config file', async () => {
    const schema = await freshSchema('env');
    schemas.push(schema);
    const base = await ensureConfig();
    // The file points at a closed port; the environment corrects it.
    const file = await configFile({ default_target_schema: 'not_this_one', port: 1 });
    const env = { ...process.env, ...envOf({ ...base, default_target_schema: schema }) };
    const result = await runTarget(['--config', 'ENV', '--config', file], THREE_RECORDS, { ms: 0 }, env);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.states.at(-1), { bookmarks: { animals: { id: 3 } } });
    assert.deepEqual(await query(`SELECT ID, NAME FROM spark_catalog.${schema}.animals ORDER BY ID`), [
      { ID: 1, NAME: 'aardvark' },
      { ID: 2, NAME: 'bear' },
      { ID: 3, NAME: null },
    ]);
  });

  it('logs the Meltano SDK JSON shape with METRIC lines when SINGER_SDK_LOG_CONFIG asks, without secrets', async () => {
    const schema = await freshSchema('log');
    schemas.push(schema);
    const logConfig = await tempFile(
      'target.singer_sdk_logging.json',
      JSON.stringify({
        version: 1,
        formatters: { singer_formatter: { '()': 'singer_sdk.logging.StructuredFormatter' } },
        handlers: { console: { class: 'logging.StreamHandler', formatter: 'singer_formatter', stream: 'ext://sys.stderr' } },
        root: { handlers: ['console'], level: 'DEBUG' },
      }),
    );
    const config = await configFile({ default_target_schema: schema });
    const env = { ...process.env, SINGER_SDK_LOG_CONFIG: logConfig, TARGET_IOMETE_LOGLEVEL: '', LOGLEVEL: '' };
    const result = await runTarget(['--config', config], THREE_RECORDS, { ms: 0 }, env);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stderr.trim().split('\n');
    assert.ok(lines.length > 2);
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const event of events) {
      for (const key of ['level', 'pid', 'logger_name', 'ts', 'thread_name', 'app_name', 'stream_name', 'message']) assert.ok(key in event, `${key} in ${JSON.stringify(event)}`);
    }
    const metrics = events.filter((e) => e.message === 'METRIC').map((e) => e.metric_info as { metric: string; value: number });
    assert.deepEqual(metrics.find((m) => m.metric === 'record_count')?.value, 3);
    assert.ok(metrics.some((m) => m.metric === 'sync_duration'));
    const secrets = ['local-token', 'S3RVER'];
    for (const secret of secrets) assert.ok(!result.stderr.includes(secret), `${secret} is redacted`);

    // The SDK config's root level applies: DEBUG shows --check's per-step debug lines.
    const checked = await runCli(['--config', config, '--check', '--format', 'json'], env);
    assert.equal(checked.code, 0, checked.stdout + checked.stderr);
    const debug = checked.stderr.trim().split('\n').map((l) => JSON.parse(l) as { level: string; message: string });
    assert.ok(debug.some((e) => e.level === 'debug' && e.message === 'check s3 write: pass'), checked.stderr);
  });
});
