// Programmatic entry for tests and scripts; the CLI is a thin layer over the same functions.
export { ensureLakehouse, lakehouseStatus, readLakehouseConfig, restartServer, runSql, startLakehouse, stopLakehouse, stopServer } from './lakehouse.js';
export type { LakehouseStatus, ProcessStatus } from './lakehouse.js';
export type { LakehouseConfig } from './config.js';
export { endpointOf } from './config.js';
export { executeSql, SqlError, ThriftTransportError } from './thrift-client.js';
export type { ExecuteOptions, ThriftEndpoint } from './thrift-client.js';
export { rowToJson } from './rows.js';
export type { Row } from './rows.js';
export { lakehousePaths, loadSettings } from './settings.js';
export type { LakehousePaths, LakehouseSettings } from './settings.js';
export { linkJarsFrom } from './jars.js';
