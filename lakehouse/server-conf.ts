import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HOST, S3_ACCESS_KEY, S3_REGION, S3_SECRET_KEY, thriftHttpPath, type LakehousePaths, type LakehouseSettings } from './settings.js';

/** hive-site.xml and log4j2.properties are regenerated on every start because they embed absolute paths. */
export function writeServerConf(paths: LakehousePaths): void {
  for (const dir of [paths.conf, paths.warehouse, paths.s3, paths.logs, resourcesParent(paths), ...Object.values(scratchDirs(paths))]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  fs.writeFileSync(path.join(paths.conf, 'hive-site.xml'), hiveSite(paths));
  fs.writeFileSync(path.join(paths.conf, 'log4j2.properties'), LOG4J2);
}

// Spark's session catalog and Iceberg's HiveCatalog each open the metastore;
// an absolute Derby URL makes both land in the same database whatever the cwd.
// Scratch and operation-log dirs default to /tmp, shared with any other server.
function hiveSite(paths: LakehousePaths): string {
  const properties: Record<string, string> = {
    'javax.jdo.option.ConnectionURL': `jdbc:derby:;databaseName=${paths.metastore};create=true`,
    'hive.metastore.warehouse.dir': fileUrl(paths.warehouse),
    ...scratchDirs(paths),
    'hive.downloaded.resources.dir': resourcesDir(paths),
  };
  const body = Object.entries(properties)
    .map(([name, value]) => `  <property><name>${xml(name)}</name><value>${xml(value)}</value></property>`)
    .join('\n');
  return `<?xml version="1.0"?>\n<configuration>\n${body}\n</configuration>\n`;
}

// Created up front: Hive logs an ERROR at every session close if the local scratch dir is missing.
function scratchDirs(paths: LakehousePaths): Record<string, string> {
  return {
    'hive.exec.scratchdir': path.join(paths.tmp, 'hive-scratch'),
    'hive.exec.local.scratchdir': path.join(paths.tmp, 'hive-local-scratch'),
    'hive.server2.logging.operation.log.location': path.join(paths.tmp, 'operation-logs'),
  };
}

// One directory per session, as Hive's default has it: a session deletes its resources directory
// when it closes, so a directory shared by all sessions vanished under sessions opening at the same
// time ("Failed to open new session: Couldn't create directory .../hive-resources").
function resourcesDir(paths: LakehousePaths): string {
  return path.join(resourcesParent(paths), '${hive.session.id}');
}

function resourcesParent(paths: LakehousePaths): string {
  return path.join(paths.tmp, 'hive-resources');
}

// Warn-level by default keeps sts.log readable; the thrift server stays at
// info because its "HiveThriftServer2 started" line is what people grep for.
const LOG4J2 = `rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n
logger.thrift.name = org.apache.spark.sql.hive.thriftserver
logger.thrift.level = info
logger.hs2.name = org.apache.hive.service
logger.hs2.level = info
`;

// What spark-submit would add on Java 17 so Spark can reach JDK internals.
const JAVA_MODULE_FLAGS = [
  '-XX:+IgnoreUnrecognizedVMOptions',
  ...['java.lang', 'java.lang.invoke', 'java.lang.reflect', 'java.io', 'java.net', 'java.nio', 'java.util',
    'java.util.concurrent', 'java.util.concurrent.atomic', 'jdk.internal.ref', 'sun.nio.ch', 'sun.nio.cs',
    'sun.security.action', 'sun.util.calendar'].map((pkg) => `--add-opens=java.base/${pkg}=ALL-UNNAMED`),
  '-Djdk.reflect.useDirectMethodHandle=false',
  '-Dio.netty.tryReflectionSetAccessible=true',
];

export function sparkThriftServerArgs(settings: LakehouseSettings, paths: LakehousePaths): string[] {
  return [
    `-Xmx${settings.javaXmx}`,
    ...JAVA_MODULE_FLAGS,
    `-Dderby.system.home=${paths.state}`,
    `-Dderby.stream.error.file=${path.join(paths.logs, 'derby.log')}`,
    // Also the default of spark.local.dir, so shuffle and spill files stay in the state dir.
    `-Djava.io.tmpdir=${paths.tmp}`,
    ...Object.entries(sparkProperties(settings, paths)).map(([key, value]) => `-D${key}=${value}`),
    '-cp', `${paths.conf}${path.delimiter}${path.join(paths.jars, '*')}`,
    'org.apache.spark.sql.hive.thriftserver.HiveThriftServer2',
    ...Object.entries(hiveServerConf(settings)).flatMap(([key, value]) => ['--hiveconf', `${key}=${value}`]),
  ];
}

function sparkProperties(settings: LakehouseSettings, paths: LakehousePaths): Record<string, string> {
  return {
    'spark.master': 'local[2]',
    'spark.app.name': 'lakehouse',
    'spark.ui.enabled': 'false',
    'spark.driver.host': HOST,
    'spark.driver.bindAddress': HOST,
    'spark.sql.shuffle.partitions': '2',
    'spark.default.parallelism': '2',
    // A sort takes a memory page per task, sized from the heap (32 MiB in a 2 GB JVM). The target
    // runs up to parallelism_max (default 4) loads at once, each de-duplicating its batch with a window
    // sort: at 32 MiB a page they exhaust this one-JVM server's execution memory and fail with
    // UNABLE_TO_ACQUIRE_MEMORY. Small pages let them all run; a real lakehouse sizes its executors.
    'spark.buffer.pageSize': '2m',
    'spark.sql.session.timeZone': 'UTC',
    'spark.sql.warehouse.dir': fileUrl(paths.warehouse),
    'spark.sql.extensions': 'org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions',
    'spark.sql.catalog.spark_catalog': 'org.apache.iceberg.spark.SparkSessionCatalog',
    'spark.sql.catalog.spark_catalog.type': 'hive',
    'spark.sql.catalog.spark_catalog.cache-enabled': 'false',
    // Iceberg's metastore clients (default 2): every statement of the target's parallel loads
    // loads its table through one, so 2 made statements queue for a client.
    'spark.sql.catalog.spark_catalog.clients': '8',
    // Iceberg's HiveCatalog otherwise takes Hive transaction locks, whose tables
    // embedded Derby lacks: CREATE TABLE then hangs for 3 minutes and fails.
    'spark.hadoop.iceberg.engine.hive.lock-enabled': 'false',
    'spark.hadoop.fs.s3a.endpoint': `http://${HOST}:${settings.s3Port}`,
    'spark.hadoop.fs.s3a.endpoint.region': S3_REGION,
    'spark.hadoop.fs.s3a.path.style.access': 'true',
    'spark.hadoop.fs.s3a.connection.ssl.enabled': 'false',
    'spark.hadoop.fs.s3a.aws.credentials.provider': 'org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider',
    'spark.hadoop.fs.s3a.access.key': S3_ACCESS_KEY,
    'spark.hadoop.fs.s3a.secret.key': S3_SECRET_KEY,
  };
}

function hiveServerConf(settings: LakehouseSettings): Record<string, string> {
  return {
    'hive.server2.transport.mode': 'http',
    'hive.server2.thrift.http.port': String(settings.thriftPort),
    'hive.server2.thrift.http.path': thriftHttpPath(settings.dataPlane, settings.lakehouseName),
    'hive.server2.thrift.bind.host': HOST,
    'hive.server2.authentication': 'NONE',
    'hive.server2.enable.doAs': 'false',
    // Hive's statement pool creates a new thread per statement until it holds this many (default
    // 100), and the embedded metastore builds a HiveConf and a JDO store for every new thread:
    // 14% of the server's CPU in a run creating 200 tables. A small pool reuses its threads, and
    // 16 statements at once is already more than this one-JVM, 2-core server runs side by side.
    'hive.server2.async.exec.threads': '16',
  };
}

function fileUrl(dir: string): string {
  return pathToFileURL(dir).href;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
