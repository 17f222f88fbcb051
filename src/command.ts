import { createReadStream, readFileSync } from 'node:fs';
import { Command, Flags, type Interfaces } from '@oclif/core';
import { aboutInfo, formatAbout, type AboutFormat } from './cli/about.js';
import type { StepResult } from './cli/check.js';
import { capabilitiesDocument, formatCapabilities } from './cli/discover-capabilities.js';
import { packageInfo } from './cli/package-info.js';
import { formatProblem, unknownFlagsMessage, type Mode } from './cli/usage.js';
import type { ResolvedConfig, TargetConfig } from './config/config.js';
import { ENV_CONFIG, ENV_PREFIX, configFromEnv, configSources } from './config/env.js';
import { fileErrorReason, readConfigFiles, unreadableFile } from './config/load.js';
import { SETTINGS, namesOf } from './config/settings.js';
import { ConfigError, TargetError, UsageError, asError } from './errors.js';
import type { FailureContext } from './cli/explain.js';
import type { Logger } from './logging.js';
import type { RunSummary, Target } from './target.js';

// The load and check paths import their modules when they start (winston, ajv, the engine, the
// thrift client, the AWS SDK, hyparquet): --help, --version and --about load none of them and
// start in a fraction of the time.

const MODES = ['about', 'discover-capabilities', 'check', 'version'] as const;

export default class TargetIomete extends Command {
  // The summary heads the help; the description is its DESCRIPTION section (package.json's
  // helpOptions keeps oclif from printing the summary there a second time).
  static override summary = 'Load Singer messages from stdin (or --input) into Apache Iceberg tables of an iomete lakehouse.';

  static override description = 'STATE lines go to stdout once the data before them is committed; logs go to stderr.';

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
    // Checked against the mode in run() (case-insensitive like the SDK's click.Choice), so every
    // wrong --format gets the same message and exit code.
    format: Flags.string({ description: 'Output format of --about (text, json, markdown), --check (text, json) and --discover-capabilities (json).' }),
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
    const { flags } = await this.parseUsage();
    const mode: Mode = MODES.find((m) => flags[m]) ?? 'load';
    const formatWrong = formatProblem(mode, flags.format);
    if (formatWrong) this.usage(formatWrong);
    const format = (flags.format?.toLowerCase() ?? 'text') as AboutFormat;
    switch (mode) {
      case 'version': {
        const { name, version } = packageInfo();
        return writeOut(`${name} v${version} (Node.js ${process.version})\n`);
      }
      case 'about':
        return writeOut(formatAbout(aboutInfo(), format));
      case 'discover-capabilities':
        return writeOut(formatCapabilities(capabilitiesDocument()));
      case 'check':
        this.checkFiles(flags.config ?? []);
        return this.check(flags.config ?? [], format === 'json');
      case 'load':
        this.checkFiles(flags.config ?? [], flags.input);
        return this.runLoad(flags.config ?? [], flags.input);
    }
  }

  /**
   * A usage error: one line on stderr, exit 2. (oclif's own error print wraps long lines at the
   * terminal's width, which splits the one line a user or a log parser reads.)
   */
  private usage(message: string): never {
    process.stderr.write(`Error: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return this.exit(EXIT.usage);
  }

  /** Parses the flags; every parse failure is a usage error (exit 2), unknown flags with the flag meant. */
  private async parseUsage(): Promise<{ flags: Interfaces.InferredFlags<typeof TargetIomete.flags> }> {
    try {
      return await this.parse(TargetIomete);
    } catch (e) {
      const unknown = (e as { flags?: unknown }).flags;
      const names = Object.entries(TargetIomete.flags).flatMap(([name, flag]) => [`--${name}`, ...('char' in flag && flag.char ? [`-${flag.char}`] : [])]);
      const message = Array.isArray(unknown) ? unknownFlagsMessage(unknown.map(String), [...names, '--help']) : asError(e).message;
      return this.usage(message);
    }
  }

  /**
   * The files a run needs, checked before anything starts: a missing or unreadable one is a
   * usage error (exit 2), as is no configuration at all.
   */
  private checkFiles(configValues: readonly string[], input?: string): void {
    const sources = configSources(configValues);
    if (sources.files.length === 0 && !sources.env) this.usage(NO_CONFIG);
    for (const file of sources.files) {
      const reason = unreadableFile(file);
      if (reason) this.usage(`Cannot read config file ${file}: ${reason}`);
    }
    const reason = input === undefined ? undefined : unreadableFile(input);
    if (reason) this.usage(`Cannot read --input ${input}: ${reason}`);
  }

  /**
   * A load, and what it prints at the end: a failed start (the config, a CA file) prints its
   * ERROR and nothing after it; a run prints its METRIC lines, then, having failed, the error
   * with a closing "Run failed after" line folded into it, else the "Run finished in" line. The summary and the
   * sync_duration metric give the one duration.
   */
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
    const run: { target?: Target } = {};
    let summary: LoadSummary | undefined;
    let failure: unknown;
    let context: FailureContext | undefined;
    try {
      const { config, warnings } = await readConfig(configValues, (secrets) => {
        log = createLogger({ level: logging.level, format: logging.format, secrets });
      });
      context = failureContext(config);
      for (const warning of warnings) log.warn(warning);
      summary = await this.load(config, inputPath, log, run);
    } catch (e) {
      failure = e;
    }
    const seconds = (performance.now() - started) / 1000;
    const fail = (code: number) => {
      log.debug(`Failure details: ${asError(failure).stack ?? asError(failure).message}`);
      // The summary is folded into the (last) ERROR event as its closing line, so a failed run
      // still shows one ERROR line naming the cause, and the summary is said at ERROR level.
      const lines = failureLines(failure, context);
      const closing = run.target ? `\n  ${run.target.progress.summary(seconds, true)}` : '';
      lines.forEach((line, i) => log.error(i === lines.length - 1 ? `${line}${closing}` : line));
      this.exit(code);
    };
    if (!run.target) return fail(failure instanceof UsageError ? EXIT.usage : EXIT.failed);
    const metrics = new Metrics(log);
    if (summary) {
      metrics.counter(METRIC.recordCount, summary.records, { scope: 'run' });
      metrics.counter(METRIC.batchCount, summary.batches, { scope: 'run' });
    }
    metrics.timer(METRIC.syncDuration, seconds, { status: summary ? 'succeeded' : 'failed' });
    if (!summary) return fail(EXIT.failed);
    log.info(run.target.progress.summary(seconds));
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
      if (error instanceof UsageError) this.usage(error.message);
      const detail = error instanceof ConfigError ? `Invalid configuration: ${error.problems.join('; ')}` : error instanceof TargetError ? error.message : `Unexpected failure: ${error.message}`;
      report(configFailure(detail));
      for (const skipped of skippedAfterConfig()) report(skipped);
    }
    if (resolved) {
      const { config, warnings } = resolved;
      report(configStep(config, warnings));
      const probe = new S3ProbeClient(config);
      const gateway = new LakehouseGateway(config, (message) => log.warn(message));
      try {
        const ca = config.tls_ca_file ? readCaFile(config.tls_ca_file) : undefined;
        await runChecks(config, {
          probe,
          connect: () => new HiveServer2Executor({ ...config, password: config.token, ca, rpcTimeoutMs: 60_000, gateway }),
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

  /** Runs the load; `run.target` is set once the run has started (a failure after it is a failed run). */
  private async load(config: TargetConfig, inputPath: string | undefined, log: Logger, run: { target?: Target }): Promise<LoadSummary> {
    const [{ runAdapters }, { StateWriter }, { Target }, { Metrics }, { endpointUrl }] = await Promise.all([
      import('./composition.js'),
      import('./state/state-writer.js'),
      import('./target.js'),
      import('./metrics.js'),
      import('./spark/endpoint.js'),
    ]);
    const ca = config.tls_ca_file ? readCaFile(config.tls_ca_file) : undefined;
    const { connect, store } = await runAdapters(config, log, ca);
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
      // BATCH files on S3 are read through the staging store: one S3 client and one retry budget for the run.
      const openS3Object = (bucket: string, key: string) => store.open(bucket, key);
      const target = new Target({ config, connect, store, openS3Object, state: new StateWriter(process.stdout), log, metrics: new Metrics(log) });
      run.target = target;
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

const NO_CONFIG = `No configuration: pass --config FILE (JSON), or --config ${ENV_CONFIG} with ${ENV_PREFIX}<SETTING> variables`;

/** The documented exit codes: 0 done, 1 failed, 128 + signal number after a signal stopped the run (data received was loaded). */
const EXIT = { ok: 0, failed: 1, usage: 2, SIGINT: 130, SIGTERM: 143 } as const;

function exitCodeOf(summary: LoadSummary | undefined): number {
  if (!summary) return EXIT.failed;
  if (summary.signal === 'SIGINT') return EXIT.SIGINT;
  if (summary.signal === 'SIGTERM') return EXIT.SIGTERM;
  return EXIT.ok;
}

function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`Cannot read 'tls_ca_file' ${path}: ${fileErrorReason(e)}`);
  }
}


/**
 * Reads `--config` files and, with `ENV`, `TARGET_IOMETE_*` variables, then resolves the settings.
 * `onSecrets` gets every secret value as soon as it is known (even when validation then fails),
 * so the caller can redact them from anything it prints.
 */
async function readConfig(values: readonly string[], onSecrets: (secrets: string[]) => void): Promise<ResolvedConfig> {
  const sources = configSources(values);
  if (sources.files.length === 0 && !sources.env) throw new UsageError(NO_CONFIG);
  const [fromFiles, { resolveConfig }] = await Promise.all([readConfigFiles(sources.files), import('./config/config.js')]);
  const env = sources.env ? configFromEnv(process.env) : undefined;
  onSecrets(secretValues({ ...fromFiles, ...env?.values }));
  return resolveConfig(fromFiles, env);
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
