import { ensureLakehouse, lakehousePaths, linkJarsFrom, loadSettings, restartServer, runSql, startLakehouse, stopLakehouse, stopServer, type LakehouseConfig, type LakehouseSettings } from '../../lakehouse/index.js';

/**
 * A second local lakehouse for the service-fault tests, which stop and restart its servers while
 * the suite's main instance keeps serving every other test. Its place, beside the main one:
 *
 *   dir     LAKEHOUSE_FAULTS_DIR, default `<main LAKEHOUSE_DIR>-faults` (`.lakehouse-faults` in CI)
 *   ports   LAKEHOUSE_FAULTS_THRIFT_PORT / LAKEHOUSE_FAULTS_S3_PORT, default the main ports + 50
 *           (10051 / 4618 next to the default 10001 / 4568)
 *
 * Its jars are hard links to the main instance's (no second 665 MB copy); its heap is the main's
 * LAKEHOUSE_JAVA_XMX.
 */
export function faultSettings(env: NodeJS.ProcessEnv = process.env): LakehouseSettings {
  const main = loadSettings(env);
  const port = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name}=${raw} is not a TCP port (1-65535)`);
    return value;
  };
  return {
    ...main,
    stateDir: env.LAKEHOUSE_FAULTS_DIR || `${main.stateDir}-faults`,
    thriftPort: port('LAKEHOUSE_FAULTS_THRIFT_PORT', main.thriftPort + 50),
    s3Port: port('LAKEHOUSE_FAULTS_S3_PORT', main.s3Port + 50),
  };
}

export class FaultLakehouse {
  readonly settings = faultSettings();
  config!: LakehouseConfig;

  async start(): Promise<LakehouseConfig> {
    const main = loadSettings();
    await ensureLakehouse(main);
    linkJarsFrom(lakehousePaths(main), lakehousePaths(this.settings));
    this.config = await startLakehouse(this.settings);
    return this.config;
  }

  async stop(): Promise<void> {
    await stopLakehouse(this.settings);
  }

  query(sql: string): Promise<Record<string, unknown>[]> {
    return runSql(sql, { settings: this.settings });
  }

  /** s3rver: SIGTERM (it has no state to lose); the Spark Thrift Server: SIGKILL, a crash. */
  async stopServer(name: 's3rver' | 'sts'): Promise<void> {
    await stopServer(name, this.settings, name === 'sts' ? 'kill' : 'stop');
  }

  async restartServer(name: 's3rver' | 'sts'): Promise<void> {
    await restartServer(name, this.settings);
  }
}
