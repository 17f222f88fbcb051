import fs from 'node:fs';
import { readJson, writeJson } from './fsutil.js';
import { HOST, LOCAL_PASSWORD, LOCAL_USER, S3_ACCESS_KEY, S3_BUCKET, S3_REGION, S3_SECRET_KEY, thriftHttpPath } from './settings.js';
import type { ThriftEndpoint } from './thrift-client.js';

/** A ready-to-use target-iomete config pointing at the local lakehouse. */
export interface LakehouseConfig {
  host: string;
  port: number;
  scheme: 'http';
  data_plane: string;
  lakehouse: string;
  user: string;
  password: string;
  s3_bucket: string;
  s3_key_prefix: string;
  s3_endpoint_url: string;
  s3_region_name: string;
  s3_force_path_style: true;
  aws_access_key_id: string;
  aws_secret_access_key: string;
  default_target_schema: string;
}

export interface RunningPorts {
  thriftPort: number;
  s3Port: number;
  dataPlane: string;
  lakehouseName: string;
}

export function buildConfig(ports: RunningPorts): LakehouseConfig {
  return {
    host: HOST,
    port: ports.thriftPort,
    scheme: 'http',
    data_plane: ports.dataPlane,
    lakehouse: ports.lakehouseName,
    user: LOCAL_USER,
    password: LOCAL_PASSWORD,
    s3_bucket: S3_BUCKET,
    s3_key_prefix: 'stage/',
    s3_endpoint_url: `http://${HOST}:${ports.s3Port}`,
    s3_region_name: S3_REGION,
    s3_force_path_style: true,
    aws_access_key_id: S3_ACCESS_KEY,
    aws_secret_access_key: S3_SECRET_KEY,
    default_target_schema: 'singer',
  };
}

export function endpointOf(config: LakehouseConfig): ThriftEndpoint {
  return {
    host: config.host,
    port: config.port,
    path: `/${thriftHttpPath(config.data_plane, config.lakehouse)}`,
    user: config.user,
    password: config.password,
  };
}

export function thriftUrl(config: LakehouseConfig): string {
  return `${config.scheme}://${config.host}:${config.port}${endpointOf(config).path}`;
}

export function writeConfig(file: string, config: LakehouseConfig): void {
  writeJson(file, config);
}

export function readConfig(file: string): LakehouseConfig {
  if (!fs.existsSync(file)) {
    throw new Error(`${file} does not exist: start the lakehouse first (npm run lakehouse -- start)`);
  }
  const config = readJson<LakehouseConfig>(file);
  if (!config || typeof config.port !== 'number' || typeof config.host !== 'string') {
    throw new Error(`${file} is not a lakehouse config; delete it and start again`);
  }
  return config;
}
