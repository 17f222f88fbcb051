import winston from 'winston';

export type Logger = Pick<winston.Logger, 'error' | 'warn' | 'info' | 'debug'>;

/** Secrets are replaced wherever they would appear in a log line. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const values = secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  return (text) => values.reduce((t, s) => t.split(s).join('***'), text);
}

/** winston on stderr only: stdout carries state lines and nothing else. */
export function createLogger(level = process.env.TARGET_IOMETE_LOGLEVEL ?? process.env.LOGLEVEL ?? 'info', secrets: readonly string[] = []): Logger {
  const redact = redactor(secrets);
  return winston.createLogger({
    level: level.toLowerCase(),
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.printf(({ timestamp, level: lvl, message }) => redact(`${String(timestamp)} ${lvl.toUpperCase()} ${String(message)}`)),
    ),
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] })],
  });
}
