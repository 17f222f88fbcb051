import { lakehouseStatus, runSql, startLakehouse, stopLakehouse, type LakehouseStatus } from './lakehouse.js';
import { say } from './log.js';
import { rowToJson } from './rows.js';
import { SqlError, ThriftTransportError } from './thrift-client.js';

const USAGE = `usage: npm run lakehouse -- <command>
  start             start s3rver and the Spark Thrift Server (downloads jars on first use)
  stop              stop what start launched
  status            show what runs; exit 0 if fully running, 3 if not
  sql "<statement>" run one statement, print rows as JSON lines
environment: LAKEHOUSE_DIR, LAKEHOUSE_THRIFT_PORT, LAKEHOUSE_S3_PORT, LAKEHOUSE_DATA_PLANE,
             LAKEHOUSE_NAME, LAKEHOUSE_JAVA_XMX, LAKEHOUSE_READY_TIMEOUT (seconds)`;

const NOT_RUNNING = 3;

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'start':
      await startLakehouse();
      return 0;
    case 'stop':
      await stopLakehouse();
      return 0;
    case 'status':
      return printStatus(await lakehouseStatus());
    case 'sql':
      return sql(rest.join(' '));
    default:
      process.stderr.write(`${USAGE}\n`);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

function printStatus(status: LakehouseStatus): number {
  if (status.processes.length === 0) {
    console.log('not running (no pids.json)');
    return NOT_RUNNING;
  }
  for (const proc of status.processes) console.log(`${proc.name.padEnd(7)} pid ${proc.pid}  ${proc.alive ? 'alive' : 'dead'}`);
  if (status.thrift) console.log(`thrift  ${status.thrift.url}  ${answering(status.thrift.answering, status.thrift.reason)}`);
  if (status.s3) console.log(`s3      ${status.s3.url}  ${answering(status.s3.answering)}`);
  console.log(status.running ? 'running' : 'not fully running');
  return status.running ? 0 : NOT_RUNNING;
}

function answering(ok: boolean, reason?: string): string {
  return ok ? 'answering' : `not answering${reason ? ` (${reason})` : ''}`;
}

async function sql(statement: string): Promise<number> {
  if (statement.trim() === '') {
    process.stderr.write('usage: npm run lakehouse -- sql "<statement>"\n');
    return 2;
  }
  const rows = await runSql(statement);
  for (const row of rows) process.stdout.write(`${rowToJson(row)}\n`);
  return 0;
}

function reportError(error: unknown): void {
  if (error instanceof SqlError) {
    process.stderr.write(`${error.message}\n`);
  } else if (error instanceof ThriftTransportError) {
    say(`error: ${error.message} (is the lakehouse running? npm run lakehouse -- status)`);
  } else {
    say(`error: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// exitCode rather than exit(): stdout is flushed before the process ends.
main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    reportError(error);
    process.exitCode = 1;
  },
);
