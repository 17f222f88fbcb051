import { accessSync, constants, createReadStream, readFileSync, statSync } from 'node:fs';
import { Command, Flags } from '@oclif/core';
import { ABOUT_FORMATS, aboutInfo, formatAbout, type AboutFormat } from './cli/about.js';
import type { StepResult } from './cli/check.js';
import { capabilitiesDocument, formatCapabilities } from './cli/discover-capabilities.js';
import { packageInfo } from './cli/package-info.js';
import type { ResolvedConfig, TargetConfig } from './config/config.js';
import { ENV_CONFIG, ENV_PREFIX, configFromEnv, configSources, overlayEnv } from './config/env.js';
import { readConfigFiles } from './config/load.js';
import { SETTINGS, namesOf } from './config/settings.js';
import { ConfigError, TargetError, asError } from './errors.js';
import type { FailureContext } from './cli/explain.js';
import type { Logger } from './logging.js';
import type { RunSummary } from './target.js';

// The load and check paths import their modules when they start (winston, ajv, the engine, the
// thrift client, the AWS SDK, hyparquet): --help, --version and --about load none of them and
// start in a fraction of the time.

type Mode = 'load' | 'about' | 'discover-capabilities' | 'check' | 'version';
const MODES = ['about', 'discover-capabilities', 'check', 'version'] as const;

export default class TargetIomete extends Command {
  static override description =
    'Load Singer messages from stdin (or --input) into Apache Iceberg tables of an iomete lakehouse. STATE lines go to stdout once the data before them is committed.';

  static override examples = [
    'tap-postgres --config tap.json | <%= config.bin %> --config target.json > state.json',
    '<%= config.bin %> --config target.json --check',
    '<%= config.bin %> --about --format json',
    `TARGET_IOMETE_PASSWORD=... <%= config.bin %> --config target.json --config ${ENV_CONFIG} --input messages.jsonl`,
  ];

  static override flags = {
    config: Flags.string({
      char: 'c',
      description: `Config file (JSON), or ${ENV_CONFIG} to read settings from ${ENV_PREFIX}<SETTING> variables. Repeat to merge several; later files win, ${ENV_CONFIG} wins over files.`,
      multiple: true,
    }),
    input: Flags.string({ description: 'Read Singer messages from this file instead of stdin.' }),
    about: Flags.boolean({
      description: 'Print name, version, capabilities and the settings JSON Schema, then exit. Needs no config (any given is ignored).',
      exclusive: MODES.filter((m) => m !== 'about'),
    }),
    format: Flags.string({
      description: 'Output format of --about (text, json, markdown) and of --check (text, json).',
      // Case-insensitive like the SDK's click.Choice (oclif's `options` would be case-sensitive).
      parse: async (value) => {
        const format = value.toLowerCase();
        if (!(ABOUT_FORMATS as readonly string[]).includes(format)) throw new Error(`--format must be one of ${ABOUT_FORMATS.join(', ')}`);
        return format;
      },
    }),
    'discover-capabilities': Flags.boolean({
      description: 'Print the implemented Meltano capabilities and a ready-to-paste meltano.yml loader definition as JSON, then exit. Needs no config.',
      exclusive: MODES.filter((m) => m !== 'discover-capabilities'),
    }),
    check: Flags.boolean({
      description: 'Validate the config, write, read and delete a probe object on S3, open a lakehouse session and run a query; one pass/fail line per step. Exit 0 only if all pass.',
      exclusive: MODES.filter((m) => m !== 'check'),
    }),
    version: Flags.boolean({ description: 'Print the version and exit.', exclusive: MODES.filter((m) => m !== 'version') }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(TargetIomete);
    const mode: Mode = MODES.find((m) => flags[m]) ?? 'load';
    const format = (flags.format ?? 'text') as AboutFormat;
    switch (mode) {
      case 'version': {
        const { name, version } = packageInfo();
        return writeOut(`${name} v${version} (Node.js ${process.version})\n`);
      }
      case 'about':
        return writeOut(formatAbout(aboutInfo(), format));
      case 'discover-capabilities':
        if (flags.format !== undefined && format !== 'json') this.error('--discover-capabilities prints JSON only; drop --format', { exit: 2 });
        return writeOut(formatCapabilities(capabilitiesDocument()));
      case 'check':
        if (format === 'markdown') this.error('--check prints text or json; use --format text or --format json', { exit: 2 });
        return this.check(flags.config ?? [], format === 'json');
      case 'load':
        if (flags.format !== undefined) this.error('--format applies to --about, --check and --discover-capabilities only', { exit: 2 });
        if (flags.input !== undefined) {
          const problem = unreadableInput(flags.input);
          if (problem) this.error(problem, { exit: 2 });
        }
        return this.runLoad(flags.config ?? [], flags.input);
    }
  }

  private async runLoad(configValues: readonly string[], inputPath: string | undefined): Promise<void> {
    const [{ createLogger, logSettingsFromEnv }, { METRIC, Metrics }, { failureContext, failureLines }] = await Promise.all([
      import('./logging.js'),
      import('./metrics.js'),
      import('./cli/explain.js'),
    ]);
    const logging = logSettingsFromEnv();
    let log: Logger = createLogger({ level: logging.level, format: logging.format });
    for (const notice of logging.notices) log.warn(notice);
    const started = performance.now();
    let summary: LoadSummary | undefined;
    let context: FailureContext | undefined;
    try {
      const { config, unknownKeys, warnings } = await readConfig(configValues, (secrets) => {
        log = createLogger({ level: logging.level, format: logging.format, secrets });
      });
      context = failureContext(config);
      if (unknownKeys.length > 0) log.warn(`Ignoring unknown config keys: ${unknownKeys.join(', ')}`);
      for (const warning of warnings) log.warn(warning);
      summary = await this.load(config, inputPath, log);
    } catch (e) {
      for (const line of failureLines(e, context)) log.error(line);
      log.debug(`Failure details: ${asError(e).stack ?? asError(e).message}`);
    }
    const metrics = new Metrics(log);
    if (summary) {
      metrics.counter(METRIC.recordCount, summary.records, { scope: 'run' });
      metrics.counter(METRIC.batchCount, summary.batches, { scope: 'run' });
    }
    metrics.timer(METRIC.syncDuration, (performance.now() - started) / 1000, { status: summary ? 'succeeded' : 'failed' });
    this.exit(exitCodeOf(summary));
  }

  private async check(configValues: readonly string[], json: boolean): Promise<void> {
    const [{ createLogger, logSettingsFromEnv, redactor }, { checkPassed, configFailure, configStep, formatStep, formatSummary, runChecks, skippedAfterConfig }, { S3ProbeClient }, { HiveServer2Executor }, { LakehouseGateway }] =
      await Promise.all([import('./logging.js'), import('./cli/check.js'), import('./cli/s3-probe.js'), import('./spark/hiveserver2-executor.js'), import('./spark/gateway.js')]);
    const logging = logSettingsFromEnv();
    let log: Logger = createLogger({ level: logging.level, format: logging.format });
    let redact = redactor([]);
    const results: StepResult[] = [];
    const report = (step: StepResult) => {
      const result = { ...step, detail: redact(step.detail) };
      results.push(result);
      if (!json) process.stdout.write(`${formatStep(result)}\n`);
    };
    let resolved: ResolvedConfig | undefined;
    try {
      resolved = await readConfig(configValues, (secrets) => {
        redact = redactor(secrets);
        log = createLogger({ level: logging.level, format: logging.format, secrets });
      });
    } catch (e) {
      const error = asError(e);
      report(configFailure(error instanceof TargetError ? error.message : `Unexpected failure: ${error.message}`));
      for (const skipped of skippedAfterConfig()) report(skipped);
    }
    if (resolved) {
      const { config, unknownKeys, warnings } = resolved;
      report(configStep(config, unknownKeys, warnings));
      const probe = new S3ProbeClient(config);
      const gateway = new LakehouseGateway(config, (message) => log.warn(message));
      try {
        const ca = config.tls_ca_file ? readCaFile(config.tls_ca_file) : undefined;
        await runChecks(config, {
          probe,
          connect: () => new HiveServer2Executor({ ...config, ca, rpcTimeoutMs: 60_000, gateway }),
          report: (r) => {
            report(r);
            log.debug(`check ${r.step}: ${r.status}`);
          },
        });
      } catch (e) {
        report({ step: 'check', status: 'fail', detail: asError(e).message });
      } finally {
        probe.close();
      }
    }
    const ok = checkPassed(results);
    await writeOut(
      json
        ? `${redact(JSON.stringify({ ok, steps: results }, null, 2))}\n`
        : `${formatSummary(results)}\n`,
    );
    if (!ok) this.exit(1);
  }

  private async load(config: TargetConfig, inputPath: string | undefined, log: Logger): Promise<LoadSummary> {
    const [{ HiveServer2Executor }, { LakehouseGateway }, { S3ObjectStore }, { StateWriter }, { Target }, { Metrics }, { endpointUrl }] = await Promise.all([
      import('./spark/hiveserver2-executor.js'),
      import('./spark/gateway.js'),
      import('./storage/s3-object-store.js'),
      import('./state/state-writer.js'),
      import('./target.js'),
      import('./metrics.js'),
      import('./spark/endpoint.js'),
    ]);
    const ca = config.tls_ca_file ? readCaFile(config.tls_ca_file) : undefined;
    // One for the run: every session's requests share the pacing and the 429 budget.
    const gateway = new LakehouseGateway(config, (message) => log.warn(message));
    const connect = () =>
      new HiveServer2Executor({
        ...config,
        ca,
        gateway,
        // Timestamps are written and read as UTC whatever the lakehouse's default zone.
        sessionStatements: ['SET spark.sql.session.timeZone=UTC'],
        onRetry: (message) => log.warn(message),
        onStatement: (sql) => log.debug(`SQL: ${sql}`),
      });
    const store = new S3ObjectStore(config, (message) => log.warn(message));
    const input = inputPath ? createReadStream(inputPath) : process.stdin;
    // SIGTERM (orchestrators stopping a run) or SIGINT stops reading, loads what was received,
    // emits its state and exits 128 + the signal's number, so the stop is not read as success.
    const stop = new AbortController();
    let signal: NodeJS.Signals | undefined;
    const onSignal = (received: NodeJS.Signals) => {
      signal ??= received;
      stop.abort();
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    const { name, version } = packageInfo();
    log.info(`${name} v${version}, Node.js ${process.version}; loading into ${endpointUrl(config)}, staging in s3://${config.s3_bucket}/${config.s3_key_prefix}`);
    try {
      const target = new Target({ config, connect, store, state: new StateWriter(process.stdout), log, metrics: new Metrics(log) });
      const summary = await target.run(input, stop.signal);
      if (signal) log.warn(`Stopped early on ${signal}: the rows received were loaded`);
      return { ...summary, signal };
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      store.close();
      if (inputPath) (input as ReturnType<typeof createReadStream>).destroy();
    }
  }
}

interface LoadSummary extends RunSummary {
  signal?: NodeJS.Signals;
}

/** The documented exit codes: 0 done, 1 failed, 128 + signal number after a signal stopped the run (data received was loaded). */
export const EXIT = { ok: 0, failed: 1, usage: 2, SIGINT: 130, SIGTERM: 143 } as const;

function exitCodeOf(summary: LoadSummary | undefined): number {
  if (!summary) return EXIT.failed;
  if (summary.signal === 'SIGINT') return EXIT.SIGINT;
  if (summary.signal === 'SIGTERM') return EXIT.SIGTERM;
  return EXIT.ok;
}

/** Why `--input` cannot be read, checked before anything starts (a usage error, not a failed run). */
function unreadableInput(path: string): string | undefined {
  try {
    if (statSync(path).isDirectory()) return `--input ${path} is a directory; name a file of Singer messages`;
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? (e as Error).message);
    return `Cannot read --input ${path}: ${reason}`;
  }
}

function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`Cannot read 'tls_ca_file' ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}


/**
 * Reads `--config` files and, with `ENV`, `TARGET_IOMETE_*` variables, then resolves the settings.
 * `onSecrets` gets every secret value as soon as it is known (even when validation then fails),
 * so the caller can redact them from anything it prints.
 */
async function readConfig(values: readonly string[], onSecrets: (secrets: string[]) => void): Promise<ResolvedConfig> {
  const sources = configSources(values);
  if (sources.files.length === 0 && !sources.env) {
    throw new ConfigError(`No configuration: pass --config FILE (JSON), or --config ${ENV_CONFIG} with ${ENV_PREFIX}<SETTING> variables`);
  }
  const [fromFiles, { resolveConfig }] = await Promise.all([readConfigFiles(sources.files), import('./config/config.js')]);
  const raw = sources.env ? overlayEnv(fromFiles, configFromEnv(process.env)) : fromFiles;
  onSecrets(secretValues(raw));
  return resolveConfig(raw);
}

/**
 * Values of every secret setting under any of its names, and the text values of
 * `stream_map_config` (hash seeds and the like are secrets too).
 */
function secretValues(raw: Record<string, unknown>): string[] {
  const mapConfig = raw.stream_map_config;
  const mapValues = typeof mapConfig === 'object' && mapConfig !== null ? Object.values(mapConfig) : [];
  return [...SETTINGS.filter((s) => s.secret).flatMap((s) => namesOf(s).map((n) => raw[n])), ...mapValues]
    .filter((v): v is string => typeof v === 'string' && v !== '');
}

/** stdout is a pipe under Meltano: wait until the document is handed off before the process ends. */
function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
}
