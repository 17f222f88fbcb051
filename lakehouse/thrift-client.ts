import http from 'node:http';
import hive from 'hive-driver';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeRows, type Row } from './rows.js';

const { TCLIService, TCLIService_types } = hive.thrift;

type Client = InstanceType<typeof hive.HiveClient>;
type Session = Awaited<ReturnType<Client['openSession']>>;
type Operation = Awaited<ReturnType<Session['executeStatement']>>;
type Guard = <T>(work: Promise<T>, what: string) => Promise<T>;

export interface ThriftEndpoint {
  host: string;
  port: number;
  /** URL path with its leading slash, e.g. /data-plane/default/lakehouse/local */
  path: string;
  user: string;
  password: string;
}

export interface ExecuteOptions {
  /**
   * Cap for every single RPC; hive-driver itself never times out. Keep it
   * above 5 s: the server holds GetOperationStatus open that long (long polling).
   */
  rpcTimeoutMs?: number;
  /** Cap for the statement as a whole; unset means wait as long as it runs. */
  statementTimeoutMs?: number;
}

/** The server rejected the statement; the message is the server's own first line. */
export class SqlError extends Error {
  constructor(message: string, readonly sqlState?: string) {
    super(message);
    this.name = 'SqlError';
  }
}

/** The endpoint could not be reached or did not answer like a Thrift server. */
export class ThriftTransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThriftTransportError';
  }
}

export async function executeSql(endpoint: ThriftEndpoint, statement: string, options: ExecuteOptions = {}): Promise<Row[]> {
  const connection = await openConnection(endpoint, options.rpcTimeoutMs ?? 120_000);
  try {
    return await runStatement(connection, statement, options.statementTimeoutMs);
  } finally {
    await connection.close();
  }
}

/** Readiness means a session opens and a query runs, not just that the port accepts. */
export async function probeEndpoint(endpoint: ThriftEndpoint, timeoutMs: number): Promise<{ ok: boolean; reason?: string }> {
  try {
    const rows = await executeSql(endpoint, 'SELECT 1 AS ready', { rpcTimeoutMs: timeoutMs, statementTimeoutMs: timeoutMs });
    return rows.length === 1 ? { ok: true } : { ok: false, reason: `SELECT 1 returned ${rows.length} rows` };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

interface Connection {
  session: Session;
  guard: Guard;
  close(): Promise<void>;
}

async function openConnection(endpoint: ThriftEndpoint, rpcTimeoutMs: number): Promise<Connection> {
  // Our own agent so close() can drop the keep-alive socket instead of leaving it to linger.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const client = new hive.HiveClient(TCLIService, TCLIService_types);
  const guard = guardAgainstTransportFailure(client, rpcTimeoutMs);
  const release = (): void => {
    client.close();
    agent.destroy();
  };
  try {
    await guard(client.connect(connectOptions(endpoint, agent), new hive.connections.HttpConnection(), plainAuth(endpoint)), 'connect');
    const session = await guard(
      client.openSession({
        client_protocol: TCLIService_types.TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10,
        username: endpoint.user,
        password: endpoint.password,
      }),
      'OpenSession',
    );
    return { session, guard, close: () => closeSession(session, guard).finally(release) };
  } catch (error) {
    release();
    throw asLakehouseError(error);
  }
}

function connectOptions(endpoint: ThriftEndpoint, agent: http.Agent) {
  return { host: endpoint.host, port: endpoint.port, options: { path: endpoint.path, nodeOptions: { agent } } };
}

function plainAuth(endpoint: ThriftEndpoint) {
  return new hive.auth.PlainHttpAuthentication({ username: endpoint.user, password: endpoint.password });
}

async function closeSession(session: Session, guard: Guard): Promise<void> {
  await guard(session.close(), 'CloseSession').catch(() => undefined);
}

/**
 * The thrift HTTP connection reports refused connections and non-200 answers
 * only as 'error' events (an unhandled one kills the process) and then never
 * settles the pending call. Every call is therefore raced against the first
 * such event and against a timer.
 */
function guardAgainstTransportFailure(client: Client, rpcTimeoutMs: number): Guard {
  let fail: (error: Error) => void = () => undefined;
  const failure = new Promise<never>((_, reject) => (fail = reject));
  failure.catch(() => undefined);
  client.on('error', (error: unknown) => fail(new ThriftTransportError(describeTransportError(error))));
  return (work, what) => withTimeout(Promise.race([work, failure]), rpcTimeoutMs, what);
}

function describeTransportError(error: unknown): string {
  const { message, code, statusCode } = (error ?? {}) as { message?: string; code?: string; statusCode?: number };
  if (statusCode !== undefined) return `HTTP ${statusCode} from the Thrift endpoint (wrong path, port or credentials?)`;
  return [code, message].filter(Boolean).join(': ') || String(error);
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ThriftTransportError(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function runStatement(connection: Connection, statement: string, statementTimeoutMs: number | undefined): Promise<Row[]> {
  const { session, guard } = connection;
  const deadline = statementTimeoutMs === undefined ? Infinity : Date.now() + statementTimeoutMs;
  let operation: Operation;
  try {
    operation = await guard(session.executeStatement(statement, { runAsync: true }), 'ExecuteStatement');
  } catch (error) {
    throw asLakehouseError(error);
  }
  try {
    await waitUntilFinished(operation, guard, deadline);
    return await fetchAllRows(operation, guard);
  } catch (error) {
    throw asLakehouseError(error);
  } finally {
    await guard(operation.close(), 'CloseOperation').catch(() => undefined);
  }
}

const STATES = TCLIService_types.TOperationState;
const FAILED_STATES = new Set<number>([STATES.CANCELED_STATE, STATES.CLOSED_STATE, STATES.ERROR_STATE, STATES.UKNOWN_STATE, STATES.TIMEDOUT_STATE]);

// runAsync returns at once; polling with a growing pause keeps short statements fast.
async function waitUntilFinished(operation: Operation, guard: Guard, deadline: number): Promise<void> {
  for (let pause = 25; ; pause = Math.min(pause * 2, 500)) {
    const status = await guard(operation.status(false), 'GetOperationStatus');
    const state = status.operationState;
    if (state === STATES.FINISHED_STATE) return;
    if (state !== undefined && FAILED_STATES.has(state)) {
      throw new SqlError(serverMessage(status.errorMessage) || `statement ended in operation state ${state}`, status.sqlState);
    }
    if (Date.now() > deadline) {
      await guard(operation.cancel(), 'CancelOperation').catch(() => undefined);
      throw new SqlError('statement did not finish within the statement timeout and was cancelled');
    }
    await sleep(pause);
  }
}

async function fetchAllRows(operation: Operation, guard: Guard): Promise<Row[]> {
  operation.setMaxRows(10_000);
  do {
    await guard(operation.fetch(), 'FetchResults');
  } while (operation.hasMoreRows());
  return decodeRows(operation.getSchema(), operation.getData());
}

/** hive-driver rejects with StatusError objects that are not Error instances. */
function asLakehouseError(error: unknown): Error {
  if (error instanceof SqlError || error instanceof ThriftTransportError) return error;
  const status = error as { name?: string; message?: string; sqlState?: string } | undefined;
  if (status?.name === 'Status Error') return new SqlError(serverMessage(status.message) || 'statement failed');
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Spark wraps the useful part: "Error running query: org.apache...Exception:"
 * may be alone on the first line, with the actual reason on the next one.
 * Everything after that (plan dumps, stack traces) is left out.
 */
function serverMessage(raw: string | undefined): string {
  const lines = (raw ?? '').split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const cleaned = lines.map((line) => line.replace(/^org\.apache\.hive\.service\.cli\.HiveSQLException:\s*/, ''));
  const first = cleaned[0] ?? '';
  const continues = /(Exception|Error):?$/.test(first) || first.endsWith(':');
  return continues && cleaned[1] !== undefined ? `${first} ${cleaned[1]}` : first;
}
