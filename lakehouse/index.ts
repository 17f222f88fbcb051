// Programmatic entry for tests and scripts; the CLI is a thin layer over the same functions.
export { ensureLakehouse, readLakehouseConfig, restartServer, runSql, startLakehouse, stopLakehouse, stopServer } from './lakehouse.js';
export type { LakehouseConfig } from './config.js';
export { rowToJson } from './rows.js';
export { lakehousePaths, loadSettings } from './settings.js';
export type { LakehouseSettings } from './settings.js';
export { linkJarsFrom } from './jars.js';
