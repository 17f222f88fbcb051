import type { Writable } from 'node:stream';
import winston from 'winston';
/** What the engine logs through. Extra metadata (`{ stream }`, `{ metric_info }`) is optional. */
export type Logger = Pick<winston.Logger, 'error' | 'warn' | 'info' | 'debug'>;
/** `text`: one human line per event. `json`: the Meltano SDK structured shape Meltano parses. */
export type LogFormat = 'text' | 'json';
export declare const APP_NAME = "target-iomete";
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
/** Pure: a level name in winston's terms, or undefined when it names no level. */
export declare function normalizeLevel(name: string | undefined): string | undefined;
/**
 * Pure: what a Python logging dictConfig (the file named by SINGER_SDK_LOG_CONFIG) asks for.
 * Meltano writes one per run: its formatter is the SDK's `StructuredFormatter` exactly when the
 * plugin definition declares `structured-logging`, and the root level is Meltano's own level.
 */
export declare function readSdkLogConfig(text: string): {
    structured: boolean;
    level?: string;
};
/**
 * Level and format from the environment: `TARGET_IOMETE_LOGLEVEL`, then `LOGLEVEL`, then the root
 * level of `SINGER_SDK_LOG_CONFIG`, else info (the SDK's order). JSON when that file asks for the
 * structured formatter, or when `TARGET_IOMETE_LOG_FORMAT=json` (for containers without Meltano).
 */
export declare function logSettingsFromEnv(env?: NodeJS.ProcessEnv, readFile?: (path: string) => string): LogSettings;
/** Secrets are replaced wherever they would appear in a log line. */
export declare function redactor(secrets: readonly string[]): (text: string) => string;
/**
 * Pure: one event as the Meltano SDK's StructuredFormatter writes it. Meltano's `singer-sdk` log
 * parser accepts a line only when all of level, pid, logger_name, ts, thread_name, app_name and
 * message are present; stream_name is always written (null when unknown) so no line falls back
 * to the plain-text parser.
 */
export declare function structuredLine(event: {
    level: string;
    message: string;
    stream?: string;
    metric_info?: unknown;
    logger?: string;
}, now: number, pid: number): string;
/** Pure: one event as a human line; metrics in the SDK's `METRIC: {...}` text form. */
export declare function textLine(event: {
    level: string;
    message: string;
    metric_info?: unknown;
}, now: number): string;
/** winston on stderr only: stdout carries state lines (or the requested document) and nothing else. */
export declare function createLogger(options?: LoggerOptions): Logger;
