import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger, logSettingsFromEnv, normalizeLevel, readSdkLogConfig, redactor, structuredLine, type LogFormat } from '../../src/logging.js';
import { Metrics } from '../../src/metrics.js';

/** What Meltano's SingerSDKLogParser requires of a line before it parses it. */
const MELTANO_REQUIRED = ['level', 'pid', 'logger_name', 'ts', 'thread_name', 'app_name', 'message'];

// The dictConfig Meltano 4 writes to SINGER_SDK_LOG_CONFIG (meltano/core/plugin/singer/base.py).
function meltanoLogConfig(structured: boolean, level = 'INFO'): string {
  return JSON.stringify({
    version: 1,
    disable_existing_loggers: false,
    formatters: { singer_formatter: structured ? { '()': 'singer_sdk.logging.StructuredFormatter' } : { format: '%(message)s' } },
    handlers: { console: { class: 'logging.StreamHandler', formatter: 'singer_formatter', stream: 'ext://sys.stderr' } },
    root: { handlers: ['console'], level },
  });
}

async function capture(format: LogFormat, secrets: string[], write: (log: ReturnType<typeof createLogger>) => void | Promise<void>): Promise<string[]> {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (d: Buffer) => chunks.push(d.toString()));
  const log = createLogger({ level: 'debug', format, secrets, stream });
  await write(log);
  await new Promise((r) => setImmediate(r));
  return chunks.join('').split('\n').filter((l) => l !== '');
}

describe('log settings from the environment', () => {
  it('detects the structured formatter Meltano asks for, and its level', () => {
    assert.deepEqual(readSdkLogConfig(meltanoLogConfig(true, 'DEBUG')), { structured: true, level: 'DEBUG' });
    assert.deepEqual(readSdkLogConfig(meltanoLogConfig(false)), { structured: false, level: 'INFO' });
  });

  it('prefers TARGET_IOMETE_LOGLEVEL, then LOGLEVEL, then the SDK config', () => {
    const read = () => meltanoLogConfig(true, 'WARNING');
    assert.equal(logSettingsFromEnv({ SINGER_SDK_LOG_CONFIG: 'x' }, read).level, 'warn');
    assert.equal(logSettingsFromEnv({ SINGER_SDK_LOG_CONFIG: 'x', LOGLEVEL: 'error' }, read).level, 'error');
    assert.equal(logSettingsFromEnv({ SINGER_SDK_LOG_CONFIG: 'x', LOGLEVEL: 'error', TARGET_IOMETE_LOGLEVEL: 'DEBUG' }, read).level, 'debug');
    assert.equal(logSettingsFromEnv({}).level, 'info');
  });

  it('logs JSON when Meltano asks for structured logs or TARGET_IOMETE_LOG_FORMAT says so', () => {
    assert.equal(logSettingsFromEnv({ SINGER_SDK_LOG_CONFIG: 'x' }, () => meltanoLogConfig(true)).format, 'json');
    assert.equal(logSettingsFromEnv({ SINGER_SDK_LOG_CONFIG: 'x' }, () => meltanoLogConfig(false)).format, 'text');
    assert.equal(logSettingsFromEnv({ TARGET_IOMETE_LOG_FORMAT: 'JSON' }).format, 'json');
  });

  it('explains, instead of failing, when a setting is unusable', () => {
    const settings = logSettingsFromEnv({ SINGER_SDK_LOG_CONFIG: '/missing.json', LOGLEVEL: 'loud' }, () => {
      throw new Error('ENOENT');
    });
    assert.equal(settings.format, 'text');
    assert.equal(settings.level, 'info');
    assert.equal(settings.notices.length, 2);
  });

  it('maps Python level names', () => {
    assert.equal(normalizeLevel('WARNING'), 'warn');
    assert.equal(normalizeLevel('CRITICAL'), 'error');
    assert.equal(normalizeLevel('verbose'), undefined);
  });
});

describe('log lines', () => {
  it('carries every field Meltano requires in structured lines, stream_name included', () => {
    const line = JSON.parse(structuredLine({ level: 'warn', message: 'hello', stream: 'users' }, 1_700_000_000_123, 42)) as Record<string, unknown>;
    for (const key of MELTANO_REQUIRED) assert.ok(key in line, key);
    assert.equal(line.level, 'warning');
    assert.equal(line.ts, 1_700_000_000.123);
    assert.equal(line.stream_name, 'users');
    assert.equal(JSON.parse(structuredLine({ level: 'info', message: 'x' }, 0, 1)).stream_name, null);
  });

  it('writes one JSON object per line in json format', async () => {
    const lines = await capture('json', [], (log) => {
      log.info('first');
      log.debug('second');
    });
    assert.equal(lines.length, 2);
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { message: string }).message), ['first', 'second']);
  });

  for (const format of ['text', 'json'] as const) {
    it(`redacts secrets from every ${format} line, metrics and JSON-escaped text included`, async () => {
      const secrets = ['s3cr3t-token', 'key"with\\quotes'];
      const lines = await capture(format, secrets, (log) => {
        log.error('login with s3cr3t-token failed');
        log.warn('bad key"with\\quotes here');
        new Metrics(log).counter('record_count', 1, { stream: 'a-s3cr3t-token-b' });
      });
      assert.equal(lines.length, 3);
      const all = lines.join('\n');
      assert.doesNotMatch(all, /s3cr3t-token/);
      assert.doesNotMatch(all, /with\\\\quotes|with\\quotes/);
      assert.match(all, /\*\*\*/);
    });
  }

  it('does not redact values too short to be secrets', () => {
    assert.equal(redactor(['ab'])('abc'), 'abc');
  });
});

describe('METRIC lines', () => {
  it('uses the SDK text form', async () => {
    const [line] = await capture('text', [], (log) => new Metrics(log).timer('batch_processing_time', 1.5, { stream: 'users' }));
    assert.match(line ?? '', / INFO METRIC: \{"type":"timer","metric":"batch_processing_time","value":1.5,"tags":\{"stream":"users"\}\}$/);
  });

  it('uses message METRIC with metric_info in structured logs', async () => {
    const lines = await capture('json', [], (log) =>
      new Metrics(log).batchLoaded({ stream: 'users', table: 'c.s.USERS', rows: 10, seconds: 0.25, mode: 'merge', ok: true }),
    );
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      parsed.map((p) => [p.message, p.stream_name, p.metric_info]),
      [
        ['METRIC', 'users', { type: 'timer', metric: 'batch_processing_time', value: 0.25, tags: { stream: 'users', table: 'c.s.USERS', mode: 'merge', status: 'succeeded' } }],
        ['METRIC', 'users', { type: 'counter', metric: 'record_count', value: 10, tags: { stream: 'users', table: 'c.s.USERS', mode: 'merge' } }],
      ],
    );
  });

  it('times a task and tags its outcome', async () => {
    const lines = await capture('json', [], async (log) => {
      const metrics = new Metrics(log);
      await metrics.time('job', {}, async () => 1);
      await metrics.time('job', {}, async () => Promise.reject(new Error('no'))).catch(() => undefined);
    });
    const statuses = lines.map((l) => (JSON.parse(l) as { metric_info: { tags: { status: string } } }).metric_info.tags.status);
    assert.deepEqual(statuses, ['succeeded', 'failed']);
  });
});
