import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Bumping either version changes the cache markers, so the next start refetches.
export const PYSPARK_VERSION = '3.5.7';
export const THRIFTSERVER_JAR = `spark-hive-thriftserver_2.12-${PYSPARK_VERSION}.jar`;

// Fixed by the local stack: auth NONE accepts any user, s3rver only knows this key pair.
export const LOCAL_USER = 'admin';
export const LOCAL_PASSWORD = 'local-token';
export const S3_BUCKET = 'staging';
export const S3_ACCESS_KEY = 'S3RVER';
export const S3_SECRET_KEY = 'S3RVER';
export const S3_REGION = 'us-east-1';
export const HOST = '127.0.0.1';

export interface LakehouseSettings {
  repoDir: string;
  stateDir: string;
  thriftPort: number;
  s3Port: number;
  dataPlane: string;
  lakehouseName: string;
  javaXmx: string;
  readyTimeoutMs: number;
}

export interface LakehousePaths {
  state: string;
  cache: string;
  jars: string;
  conf: string;
  warehouse: string;
  metastore: string;
  s3: string;
  logs: string;
  tmp: string;
  stsLog: string;
  s3Log: string;
  pidFile: string;
  configFile: string;
  lockFile: string;
  pom: string;
}

export const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function loadSettings(env: NodeJS.ProcessEnv = process.env): LakehouseSettings {
  return {
    repoDir: REPO_DIR,
    stateDir: path.resolve(env.LAKEHOUSE_DIR || path.join(REPO_DIR, '.lakehouse')),
    thriftPort: parsePort(env.LAKEHOUSE_THRIFT_PORT, 10001, 'LAKEHOUSE_THRIFT_PORT'),
    s3Port: parsePort(env.LAKEHOUSE_S3_PORT, 4568, 'LAKEHOUSE_S3_PORT'),
    dataPlane: parseName(env.LAKEHOUSE_DATA_PLANE, 'default', 'LAKEHOUSE_DATA_PLANE'),
    lakehouseName: parseName(env.LAKEHOUSE_NAME, 'local', 'LAKEHOUSE_NAME'),
    javaXmx: parseXmx(env.LAKEHOUSE_JAVA_XMX),
    readyTimeoutMs: parsePositive(env.LAKEHOUSE_READY_TIMEOUT, 180, 'LAKEHOUSE_READY_TIMEOUT') * 1000,
  };
}

export function lakehousePaths(settings: LakehouseSettings): LakehousePaths {
  const state = settings.stateDir;
  const logs = path.join(state, 'logs');
  return {
    state,
    cache: path.join(state, 'cache'),
    jars: path.join(state, 'jars'),
    conf: path.join(state, 'conf'),
    warehouse: path.join(state, 'warehouse'),
    metastore: path.join(state, 'metastore_db'),
    s3: path.join(state, 's3'),
    logs,
    tmp: path.join(state, 'tmp'),
    stsLog: path.join(logs, 'sts.log'),
    s3Log: path.join(logs, 's3.log'),
    pidFile: path.join(state, 'pids.json'),
    configFile: path.join(state, 'config.json'),
    lockFile: path.join(state, 'start.lock'),
    pom: path.join(settings.repoDir, 'lakehouse', 'pom.xml'),
  };
}

/** The server-side path has no leading slash; HTTP clients add one. */
export function thriftHttpPath(dataPlane: string, lakehouseName: string): string {
  return `data-plane/${dataPlane}/lakehouse/${lakehouseName}`;
}

function parsePort(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name}=${raw} is not a TCP port (1-65535)`);
  }
  return port;
}

function parsePositive(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}=${raw} must be a positive number`);
  return value;
}

// Names become URL path segments, so anything outside this set would need escaping on both ends.
function parseName(raw: string | undefined, fallback: string, name: string): string {
  const value = raw || fallback;
  if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new Error(`${name}=${value} may only contain letters, digits, _ and -`);
  return value;
}

function parseXmx(raw: string | undefined): string {
  const value = raw || '2g';
  if (!/^\d+[kKmMgG]?$/.test(value)) throw new Error(`LAKEHOUSE_JAVA_XMX=${value} is not a Java heap size like 2g or 1536m`);
  return value;
}
