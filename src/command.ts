import { createReadStream, readFileSync } from 'node:fs';
import { Command, Flags } from '@oclif/core';
import { resolveConfig, type TargetConfig } from './config/config.js';
import { readConfigFiles } from './config/load.js';
import { ConfigError, TargetError, asError } from './errors.js';
import { createLogger, type Logger } from './logging.js';
import { HiveServer2Executor } from './spark/hiveserver2-executor.js';
import { endpointUrl } from './spark/endpoint.js';
import { StateWriter } from './state/state-writer.js';
import { S3ObjectStore } from './storage/s3-object-store.js';
import { Target } from './target.js';

const SECRET_KEYS = ['password', 'aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'] as const;

export default class TargetIomete extends Command {
  static override description =
    'Load Singer messages from stdin (or --input) into Apache Iceberg tables of an iomete lakehouse. STATE lines go to stdout once the data before them is committed.';

  static override examples = ['tap-postgres --config tap.json | <%= config.bin %> --config target.json > state.json'];

  static override flags = {
    config: Flags.string({
      char: 'c',
      description: 'Config file (JSON). Repeat to merge several; later files win.',
      multiple: true,
    }),
    input: Flags.string({ description: 'Read Singer messages from this file instead of stdin.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(TargetIomete);
    let log: Logger = createLogger();
    try {
      const raw = await readConfigFiles(flags.config ?? []);
      const { config, unknownKeys } = resolveConfig(raw);
      log = createLogger(undefined, SECRET_KEYS.map((k) => config[k]).filter((v): v is string => typeof v === 'string'));
      if (unknownKeys.length > 0) log.warn(`Ignoring unknown config keys: ${unknownKeys.join(', ')}`);
      await this.load(config, flags.input, log);
    } catch (e) {
      const error = asError(e);
      log.error(error instanceof TargetError ? error.message : `Unexpected failure: ${error.stack ?? error.message}`);
      this.exit(1);
    }
  }

  private async load(config: TargetConfig, inputPath: string | undefined, log: Logger): Promise<void> {
    const ca = config.tls_ca_file ? readCaFile(config.tls_ca_file) : undefined;
    const connect = () =>
      new HiveServer2Executor({
        ...config,
        ca,
        // Timestamps are written and read as UTC whatever the lakehouse's default zone.
        sessionStatements: ['SET spark.sql.session.timeZone=UTC'],
      });
    const store = new S3ObjectStore(config);
    const input = inputPath ? createReadStream(inputPath) : process.stdin;
    // SIGTERM (orchestrators stopping a run) loads what was received, emits its state, exits 0.
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    log.info(`Loading into ${endpointUrl(config)}, staging in s3://${config.s3_bucket}/${config.s3_key_prefix}`);
    try {
      const target = new Target({ config, connect, store, state: new StateWriter(process.stdout), log });
      const summary = await target.run(input, stop.signal);
      log.info(`Done: ${summary.records} record(s) in ${summary.batches} batch load(s)${summary.interrupted ? ' (stopped early on a signal)' : ''}`);
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      store.close();
      if (inputPath) (input as ReturnType<typeof createReadStream>).destroy();
    }
  }
}

function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`Cannot read 'tls_ca_file' ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

