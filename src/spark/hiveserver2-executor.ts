import hive from 'hive-driver';
import { setTimeout as sleep } from 'node:timers/promises';
import { LoadError, TargetError, TransientError, asError } from '../errors.js';
import { withRetries, type Backoff } from '../retry-policy.js';
import { useSchema } from '../sql/session.js';
import { endpointUrl, httpPath, type EndpointSettings } from './endpoint.js';
import { LakehouseGateway } from './gateway.js';
import { GatewayConnection } from './gateway-connection.js';
import { rowsOf, type ThriftColumnDesc, type ThriftRowSet } from './result-rows.js';
import type { Row, SqlExecutor } from './executor.js';

export interface HiveServer2Settings extends EndpointSettings {
  user: string;
  password: string;
  tls_verify: boolean;
  /** PEM text of the CAs to trust (already read from `tls_ca_file`). */
  ca?: string;
  /** Statements run right after the session opens (e.g. the session time zone). */
  sessionStatements?: readonly string[];
  /** Made the session's current database (`USE`); tables are addressed fully qualified anyway. */
  database?: string;
  catalog?: string;
  /** Longest wait for one thrift call (not a whole statement). */
  rpcTimeoutMs?: number;
  /** Longest wait to connect and open a session (default 30 s); a hang here is not retried. */
  connect_timeout_seconds?: number;
  /** Longest time one statement may run before it is cancelled (default 3 h). */
  statement_timeout_seconds?: number;
  /** Told of every retry (logged at WARN by the caller). */
  onRetry?: (message: string) => void;
  /** Told of every statement before it runs (logged at DEBUG by the caller; statements hold no secrets). */
  onStatement?: (sql: string) => void;
  /** The run's pacing and 429 handling, shared by all its sessions (one of its own when not given). */
  gateway?: LakehouseGateway;
}

/** Session opens are tried at most this often; the waits grow from these (retry-policy.ts). */
const SESSION_OPEN_ATTEMPTS = 4;
/** 502/503/504 (and 405 from some gateways) while compute starts: about 2-4, 4-8, 8-16 s. */
const BUSY_BACKOFF: Backoff = { firstMs: 4_000, maxMs: 16_000, jitter: 'equal' };
/** A dropped connection or a restarting server: about 0.5-1, 1-2, 2-4 s. */
const NETWORK_BACKOFF: Backoff = { firstMs: 1_000, maxMs: 4_000, jitter: 'equal' };

// TOperationState of the HiveServer2 protocol.
const FINISHED = 2;
const FAILED_STATES: Record<number, string> = { 3: 'was cancelled', 4: 'was closed', 5: 'failed', 6: 'is in an unknown state', 8: 'timed out' };

interface HiveOperationLike {
  cancel(): Promise<unknown>;
  status(progress?: boolean): Promise<{ operationState: number; errorMessage?: string | null; hasResultSet?: boolean | null }>;
  fetch(): Promise<unknown>;
  hasMoreRows(): boolean;
  setMaxRows(n: number): void;
  getSchema(): { columns: ThriftColumnDesc[] } | null;
  getData(): ThriftRowSet[];
  close(): Promise<unknown>;
}
interface HiveSessionLike {
  executeStatement(sql: string, options: { runAsync: boolean }): Promise<HiveOperationLike>;
  close(): Promise<unknown>;
}

/**
 * SqlExecutor over HiveServer2's thrift protocol on HTTP(S), the way iomete exposes Spark SQL.
 * Wraps hive-driver where it is unsafe for a long-running loader: a non-200 HTTP answer only emits
 * 'error' and leaves the call pending, so every call races a timeout and that event; statements
 * run asynchronously and are polled with backoff; operations and the session are always closed.
 */
export class HiveServer2Executor implements SqlExecutor {
  private client?: InstanceType<typeof hive.HiveClient>;
  private session?: HiveSessionLike;
  private opening?: Promise<HiveSessionLike>;
  private readonly pending = new Set<(e: Error) => void>();
  private readonly rpcTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly statementTimeoutMs: number;
  private readonly gateway: LakehouseGateway;
  private transport?: GatewayConnection;

  constructor(private readonly settings: HiveServer2Settings) {
    this.gateway = settings.gateway ?? new LakehouseGateway();
    this.rpcTimeoutMs = settings.rpcTimeoutMs ?? 120_000;
    this.connectTimeoutMs = (settings.connect_timeout_seconds ?? 30) * 1000;
    this.statementTimeoutMs = (settings.statement_timeout_seconds ?? 10_800) * 1000;
  }

  async query(sql: string): Promise<Row[]> {
    const session = await this.openSession();
    this.settings.onStatement?.(abbreviate(sql, 1000));
    const op = await this.call('execute statement', session.executeStatement(sql, { runAsync: true }));
    try {
      const hasResultSet = await this.waitUntilFinished(op, sql);
      // Spark reports a result set for every statement (a made-up 'Result' column for commands);
      // asking for it costs two more requests and yields no row for DML and DDL.
      return hasResultSet && !returnsNoRows(sql) ? await this.fetchAll(op) : [];
    } finally {
      await this.call('close operation', op.close()).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.opening = undefined;
    try {
      if (session) await this.call('close session', session.close()).catch(() => undefined);
    } finally {
      this.client?.close();
      this.client = undefined;
    }
  }

  private openSession(): Promise<HiveSessionLike> {
    if (this.session) return Promise.resolve(this.session);
    this.opening ??= this.connectWithRetries().catch((e: unknown) => {
      this.opening = undefined;
      throw e;
    });
    return this.opening;
  }

  /**
   * A lakehouse that is scaling up answers 502/503/504 for a while: wait it out. A dropped
   * connection is retried briefly (a restarting server), a connect that hangs is not retried at
   * all: it already took the connect timeout. Opening a session changes nothing, so it is safe
   * to repeat; statements are never retried here (a 429 is, below thrift: gateway-connection.ts).
   */
  private async connectWithRetries(): Promise<HiveSessionLike> {
    let attempts = 1;
    try {
      return await withRetries(
        {
          classify: (e) => {
            if (!(e instanceof TransientError) || e instanceof TimeoutError) return undefined;
            return { backoff: /HTTP (5\d\d|405)/.test(e.message) ? BUSY_BACKOFF : NETWORK_BACKOFF };
          },
          backoff: NETWORK_BACKOFF,
          budget: this.gateway.sessionOpenBudget,
          maxAttempts: SESSION_OPEN_ATTEMPTS,
          onRetry: (e, attempt, delay) => {
            attempts = attempt + 1;
            this.settings.onRetry?.(`Opening a lakehouse session failed (attempt ${attempt}), retrying in ${(delay / 1000).toFixed(1)} s: ${asError(e).message}`);
          },
        },
        async () => {
          try {
            return await this.connect();
          } catch (e) {
            this.client?.close();
            this.client = undefined;
            throw e;
          }
        },
      );
    } catch (e) {
      throw attempts > 1 && e instanceof TransientError ? new TransientError(`${e.message} (gave up after ${attempts} attempts)`) : e;
    }
  }

  private async connect(): Promise<HiveSessionLike> {
    const { TCLIService, TCLIService_types } = hive.thrift;
    const client = new hive.HiveClient(TCLIService, TCLIService_types);
    client.on('error', (e: unknown) => this.failPending(this.describeConnectionError(asError(e))));
    this.client = client;
    const https = this.settings.scheme === 'https';
    await this.call(
      'connect',
      client.connect(
        {
          host: this.settings.host,
          port: this.settings.port,
          options: {
            path: httpPath(this.settings),
            https,
            nodeOptions: https
              ? { rejectUnauthorized: this.settings.tls_verify, ...(this.settings.ca ? { ca: this.settings.ca } : {}) }
              : {},
          },
        },
        (this.transport = new GatewayConnection(this.gateway, endpointUrl(this.settings))),
        new hive.auth.PlainHttpAuthentication({ username: this.settings.user, password: this.settings.password }),
      ),
      this.connectTimeoutMs,
    );
    const session = (await this.call(
      'open session',
      client.openSession({ client_protocol: TCLIService_types.TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10 }),
      this.connectTimeoutMs,
    )) as unknown as HiveSessionLike;
    this.session = session;
    for (const statement of this.settings.sessionStatements ?? []) await this.query(statement);
    if (this.settings.database) await this.query(useSchema(this.settings.database, this.settings.catalog));
    return session;
  }

  /**
   * Polls until the statement ends. The Spark Thrift Server long-polls: GetOperationStatus waits up
   * to hive.server2.long.polling.timeout (5 s by default) for the statement and answers as soon as
   * it ends, so a poll the server held is followed at once by the next one, without a sleep that
   * would only delay noticing the end. A server (or gateway) that answers at once is polled with
   * backoff instead, 50 ms rising to 1 s between the starts of two polls: iomete tokens may carry
   * a requests-per-second limit.
   */
  private async waitUntilFinished(op: HiveOperationLike, sql: string): Promise<boolean> {
    let interval = 50;
    const deadline = Date.now() + this.statementTimeoutMs;
    for (;;) {
      if (Date.now() > deadline) {
        await this.call('cancel operation', op.cancel()).catch(() => undefined);
        throw new LoadError(
          `Statement still running after ${this.statementTimeoutMs / 1000} s (statement_timeout_seconds); cancelled it. Raise 'statement_timeout_seconds' for bigger batches, or lower 'batch_size_rows'.\nStatement: ${abbreviate(sql, 300)}`,
          sql,
        );
      }
      const polled = Date.now();
      const status = await this.call('get operation status', op.status(false));
      if (status.operationState === FINISHED) return status.hasResultSet !== false;
      const failure = FAILED_STATES[status.operationState];
      if (failure !== undefined) {
        const server = serverMessage(status.errorMessage);
        throw new LoadError(`Statement ${failure} on the lakehouse: ${server}\nStatement: ${abbreviate(sql)}`, sql, server);
      }
      const wait = Math.min(interval - (Date.now() - polled), deadline - Date.now() + 1);
      if (wait > 0) await sleep(wait);
      interval = Math.min(interval * 2, 1000);
    }
  }

  private async fetchAll(op: HiveOperationLike): Promise<Row[]> {
    op.setMaxRows(FETCH_ROWS);
    const rows: Row[] = [];
    do {
      await this.call('fetch results', op.fetch());
      // The server never sets hasMoreRows, so hive-driver asks again after any non-empty batch;
      // a batch shorter than asked for is the last one, and the empty answer after it is skipped.
    } while (op.hasMoreRows() && rowCount(op.getData().at(-1)) >= FETCH_ROWS);
    const columns = op.getSchema()?.columns ?? [];
    for (const rowSet of op.getData()) rows.push(...rowsOf(columns, rowSet));
    return rows;
  }

  /**
   * Races a thrift call against its timeout (the RPC timeout unless given) and connection errors.
   * Time the request spent held by the gateway's pacing or 429 waits does not count.
   */
  private call<T>(what: string, promise: Promise<T>, timeoutMs = this.rpcTimeoutMs): Promise<T> {
    const transport = this.transport;
    const heldAtStart = transport?.heldMs() ?? 0;
    let granted = 0;
    return new Promise<T>((resolve, reject) => {
      const fail = (e: Error) => {
        clearTimeout(timer);
        this.pending.delete(fail);
        reject(e);
      };
      const expire = () => {
        const extra = (transport?.heldMs() ?? 0) - heldAtStart - granted;
        if (extra > 0) {
          granted += extra;
          timer = setTimeout(expire, extra);
          return;
        }
        fail(
          new TimeoutError(
            `No answer from ${endpointUrl(this.settings)} to '${what}' within ${timeoutMs / 1000} s` +
              (timeoutMs === this.connectTimeoutMs ? " (connect_timeout_seconds); check 'host', 'port' and 'scheme'" : ''),
          ),
        );
      };
      let timer = setTimeout(expire, timeoutMs);
      this.pending.add(fail);
      promise.then(
        (value) => {
          clearTimeout(timer);
          this.pending.delete(fail);
          resolve(value);
        },
        (e: unknown) => fail(this.describeCallError(what, e)),
      );
    });
  }

  private failPending(error: Error): void {
    for (const fail of [...this.pending]) fail(error);
    // The connection is unusable after a transport error; the next query reconnects.
    this.session = undefined;
    this.opening = undefined;
  }

  private describeConnectionError(e: Error): Error {
    // Already the run's line (the gateway's rate limit outlasted its budget).
    if (e instanceof TargetError) return e;
    const where = endpointUrl(this.settings);
    const status = /status code: (\d{3})/.exec(e.message)?.[1];
    if (status === '401' || status === '403') {
      return new LoadError(
        `The lakehouse at ${where} refused the credentials (HTTP ${status}). Check 'user' and 'token' (a personal access token that has not expired; 'password' is its other name).`,
      );
    }
    if (status === '404') {
      return new LoadError(`No SQL endpoint at ${where} (HTTP 404). Check 'data_plane', 'lakehouse' or 'http_path'.`);
    }
    if (status !== undefined) return new TransientError(`The lakehouse at ${where} answered HTTP ${status}; it may be starting or overloaded.`);
    // Nothing listening, an unknown host or a TLS mismatch do not heal by waiting: fail at once.
    if (PERMANENT_CONNECT_FAILURE.test(e.message)) return new LoadError(`Cannot reach the lakehouse at ${where}: ${e.message}`);
    return new TransientError(`Cannot reach the lakehouse at ${where}: ${e.message}`);
  }

  private describeCallError(what: string, e: unknown): Error {
    if (e instanceof Error && (e instanceof LoadError || e instanceof TransientError)) return e;
    const message = asError(e).message;
    if (/ECONNREFUSED|ENOTFOUND|ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up/.test(message)) {
      return new TransientError(`Cannot reach the lakehouse at ${endpointUrl(this.settings)} during '${what}': ${message}`);
    }
    return new LoadError(`The lakehouse failed to '${what}': ${serverMessage(message)}`, undefined, message);
  }
}

const PERMANENT_CONNECT_FAILURE = /ECONNREFUSED|ENOTFOUND|EPROTO|wrong version number|self[- ]signed|unable to verify|UNABLE_TO_VERIFY|CERT_/i;

/** The server's message without the Java stack trace that follows it. */
function serverMessage(message: string | null | undefined): string {
  if (!message) return 'no message from the server';
  // A row stopped by raise_error() (a value that does not fit its column, a null key): that text,
  // which names stream, column and value, is the message, wherever it sits in the cause chain.
  const raised = /java\.lang\.RuntimeException: ([^\n]+)/.exec(message);
  if (raised?.[1]) return raised[1].trim();
  const cut = message.split(/\n\s*at |\n\tat /)[0] ?? message;
  return cut.replace(/^org\.apache\.hive\.service\.cli\.HiveSQLException: /, '').trim();
}

const FETCH_ROWS = 10_000;

function rowCount(rowSet: ThriftRowSet | undefined): number {
  const first = rowSet?.columns?.[0];
  const values = first && Object.values(first).find((v) => v != null);
  return values?.values.length ?? 0;
}

// Commands whose result Spark leaves empty. Anything else (SELECT, SHOW, DESCRIBE, SET, EXPLAIN,
// a WITH or a comment in front) is fetched.
const NO_ROWS = /^\s*(MERGE|INSERT|CREATE|DROP|ALTER|UPDATE|DELETE|USE|TRUNCATE|REFRESH|CACHE|UNCACHE|RESET)\s/i;

/** Pure: whether a statement is a command whose result has no rows, so it need not be fetched. */
export function returnsNoRows(sql: string): boolean {
  return NO_ROWS.test(sql);
}

function abbreviate(sql: string, max = 2000): string {
  return sql.length > max ? `${sql.slice(0, max)}…` : sql;
}

/** A call got no answer in time; retrying would only wait as long again. */
class TimeoutError extends TransientError {}
