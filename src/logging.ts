import { readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import winston from 'winston';

/** What the engine logs through. Extra metadata (`{ stream }`, `{ metric_info }`) is optional. */
export type Logger = Pick<winston.Logger, 'error' | 'warn' | 'info' | 'debug'>;

/** `text`: one human line per event. `json`: the Meltano SDK structured shape Meltano parses. */
export type LogFormat = 'text' | 'json';

const APP_NAME = 'target-iomete';

export interface LogSettings {
  level: string;
  format: LogFormat;
  /** Why a requested level or format was not used; logged once the logger exists. */
  notices: string[];
}

export interface LoggerOptions extends Partial<Omit<LogSettings, 'notices'>> {
  /** Values replaced by `***` wherever they would appear. */
  secrets?: readonly string[];
  /** Where lines go; stderr unless a test passes a stream. Never stdout: it carries state lines. */
  stream?: Writable;
}

const LEVELS = new Set(['error', 'warn', 'info', 'debug']);
// Python logging level names, as Meltano writes them into SINGER_SDK_LOG_CONFIG and LOGLEVEL.
const PYTHON_LEVELS: Record<string, string> = { critical: 'error', fatal: 'error', warning: 'warn', notset: 'debug' };

/** Pure: a level name in winston's terms, or undefined when it names no level. */
export function normalizeLevel(name: string | undefined): string | undefined {
  if (name === undefined || name.trim() === '') return undefined;
  const lower = name.trim().toLowerCase();
  const level = PYTHON_LEVELS[lower] ?? lower;
  return LEVELS.has(level) ? level : undefined;
}

/**
 * Pure: what a Python logging dictConfig (the file named by SINGER_SDK_LOG_CONFIG) asks for.
 * Meltano writes one per run: its formatter is the SDK's `StructuredFormatter` exactly when the
 * plugin definition declares `structured-logging`, and the root level is Meltano's own level.
 */
export function readSdkLogConfig(text: string): { structured: boolean; level?: string } {
  const config = JSON.parse(text) as { formatters?: Record<string, Record<string, unknown>>; root?: { level?: unknown } };
  const formatters = Object.values(config.formatters ?? {});
  const structured = formatters.some((f) => [f['()'], f.class].some((v) => typeof v === 'string' && v.endsWith('StructuredFormatter')));
  const level = typeof config.root?.level === 'string' ? config.root.level : undefined;
  return { structured, ...(level !== undefined ? { level } : {}) };
}

/**
 * Level and format from the environment: `TARGET_IOMETE_LOGLEVEL`, then `LOGLEVEL`, then the root
 * level of `SINGER_SDK_LOG_CONFIG`, else info (the SDK's order). JSON when that file asks for the
 * structured formatter, or when `TARGET_IOMETE_LOG_FORMAT=json` (for containers without Meltano).
 */
export function logSettingsFromEnv(env: NodeJS.ProcessEnv = process.env, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): LogSettings {
  const notices: string[] = [];
  let sdk: { structured: boolean; level?: string } = { structured: false };
  const sdkPath = env.SINGER_SDK_LOG_CONFIG;
  if (sdkPath) {
    try {
      sdk = readSdkLogConfig(readFile(sdkPath));
    } catch (e) {
      notices.push(`Ignoring SINGER_SDK_LOG_CONFIG ${sdkPath}: ${(e as Error).message}; logging plain text`);
    }
  }
  let level = 'info';
  for (const [source, value] of [
    ['TARGET_IOMETE_LOGLEVEL', env.TARGET_IOMETE_LOGLEVEL],
    ['LOGLEVEL', env.LOGLEVEL],
    ['SINGER_SDK_LOG_CONFIG', sdk.level],
  ] as const) {
    if (value === undefined || value === '') continue;
    const normalized = normalizeLevel(value);
    if (normalized) {
      level = normalized;
      break;
    }
    notices.push(`${source} names no log level (use debug, info, warning or error); ignoring it`);
  }
  let format: LogFormat = sdk.structured ? 'json' : 'text';
  const explicit = env.TARGET_IOMETE_LOG_FORMAT?.trim().toLowerCase();
  if (explicit === 'json' || explicit === 'text') format = explicit;
  else if (explicit) notices.push('TARGET_IOMETE_LOG_FORMAT must be json or text; ignoring it');
  return { level, format, notices };
}

/** Secrets are replaced wherever they would appear in a log line. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const values = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  return (text) => values.reduce((t, s) => t.split(s).join('***'), text);
}

/** Every string inside a value redacted (metric tags, extra fields). */
function redactDeep(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)]));
  }
  return value;
}

const PYTHON_LEVEL_NAMES: Record<string, string> = { error: 'error', warn: 'warning', info: 'info', debug: 'debug' };

/**
 * Pure: one event as the Meltano SDK's StructuredFormatter writes it. Meltano's `singer-sdk` log
 * parser accepts a line only when all of level, pid, logger_name, ts, thread_name, app_name and
 * message are present; stream_name is always written (null when unknown) so no line falls back
 * to the plain-text parser.
 */
export function structuredLine(
  event: { level: string; message: string; stream?: string; metric_info?: unknown; logger?: string },
  now: number,
  pid: number,
): string {
  const record: Record<string, unknown> = {
    level: PYTHON_LEVEL_NAMES[event.level] ?? event.level,
    pid,
    logger_name: event.logger ?? APP_NAME,
    ts: now / 1000,
    thread_name: 'MainThread',
    app_name: APP_NAME,
    stream_name: event.stream ?? null,
    message: event.message,
  };
  if (event.metric_info !== undefined) record.metric_info = event.metric_info;
  return JSON.stringify(record);
}

/** Pure: one event as a human line; metrics in the SDK's `METRIC: {...}` text form. */
function textLine(event: { level: string; message: string; metric_info?: unknown }, now: number): string {
  const message = event.metric_info !== undefined ? `METRIC: ${JSON.stringify(event.metric_info)}` : event.message;
  return `${new Date(now).toISOString()} ${event.level.toUpperCase()} ${message}`;
}

/** winston on stderr only: stdout carries state lines (or the requested document) and nothing else. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const fromEnv = options.level === undefined || options.format === undefined ? logSettingsFromEnv() : undefined;
  const level = options.level ?? fromEnv?.level ?? 'info';
  const format = options.format ?? fromEnv?.format ?? 'text';
  const redact = redactor(options.secrets ?? []);
  const render = winston.format.printf((info) => {
    const event = {
      level: info.level,
      message: redact(String(info.message)),
      ...(typeof info.stream === 'string' ? { stream: redact(info.stream) } : {}),
      ...(info.metric_info !== undefined ? { metric_info: redactDeep(info.metric_info, redact) } : {}),
      ...(typeof info.logger === 'string' ? { logger: info.logger } : {}),
    };
    const now = Date.now();
    // The whole line is redacted again: a secret could also sit in text the fields did not cover.
    return redact(format === 'json' ? structuredLine(event, now, process.pid) : textLine(event, now));
  });
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] });
  const logger = winston.createLogger({ level, format: render, transports: [transport] });
  for (const notice of fromEnv?.notices ?? []) logger.warn(notice);
  return logger;
}
