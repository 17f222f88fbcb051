/**
 * hive-driver's HTTP connection with the gateway's rules applied to every thrift request (open
 * session, execute statement, status poll, fetch, close): each waits for the run's pacer, and one
 * the gateway refuses with HTTP 429 is sent again, byte for byte, after `Retry-After` (or a backoff)
 * within `rate_limit_retry_seconds` (retry-policy.ts). A 429 proves the request never reached Spark,
 * so repeating even a statement is safe.
 *
 * Why here: thrift's HttpConnection.write(data) posts one request per call and, for any answer
 * but 200, only emits 'error' and leaves the call pending. Taking over `write` puts the rules
 * under every call at once; any answer other than 429 goes to thrift's own response handler, so
 * the other statuses keep their handling (HiveServer2Executor turns them into errors).
 */
import http from 'node:http';
import https from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import hive from 'hive-driver';
import { retryAfterMs, withRetries } from '../retry-policy.js';
import { RATE_LIMIT_BACKOFF, RateLimited, type LakehouseGateway } from './gateway.js';

type HttpConnection = InstanceType<typeof hive.connections.HttpConnection>;
type ConnectArgs = Parameters<HttpConnection['connect']>;

/** The parts of thrift's HttpConnection (lib/nodejs/lib/thrift/http_connection.js) used here. */
interface ThriftHttpConnection {
  https: boolean;
  nodeOptions: http.RequestOptions & { headers: Record<string, string | number> };
  responseCallback(response: http.IncomingMessage): void;
  write(data: Buffer): void;
  emit(event: 'error', error: unknown): boolean;
}

export class GatewayConnection {
  private readonly http: HttpConnection = new hive.connections.HttpConnection();
  private held = 0;
  private holdingSince?: number;
  private holds = 0;

  constructor(
    private readonly gateway: LakehouseGateway,
    /** For the error line: the endpoint without credentials. */
    private readonly where: string,
  ) {}

  async connect(...args: ConnectArgs): Promise<HttpConnection> {
    await this.http.connect(...args);
    const connection = this.http.getConnection() as ThriftHttpConnection;
    connection.write = (data: Buffer) => void this.send(connection, data);
    return this.http;
  }

  /**
   * Milliseconds requests of this connection spent waiting for the pacer or a 429's retry (up to
   * now): a call's timeout counts only the time its request was on its way, not these waits.
   */
  heldMs(): number {
    return this.held + (this.holdingSince === undefined ? 0 : Date.now() - this.holdingSince);
  }

  private async send(connection: ThriftHttpConnection, data: Buffer): Promise<void> {
    let response: http.IncomingMessage;
    try {
      response = await withRetries(
        {
          classify: (e) => (e instanceof RateLimited ? (e.retryAfterMs === undefined ? {} : { afterMs: e.retryAfterMs }) : undefined),
          backoff: RATE_LIMIT_BACKOFF,
          budget: this.gateway.rateLimitBudget,
          onRetry: () => this.gateway.refused(),
          sleep: (ms) => this.holding(delay(ms)),
        },
        async () => {
          const left = await this.holding(this.gateway.pace());
          return post(connection, data, left);
        },
      );
    } catch (e) {
      connection.emit('error', e instanceof RateLimited ? this.gateway.gaveUp(this.where) : e);
      return;
    }
    connection.responseCallback(response);
  }

  private async holding<T>(wait: Promise<T>): Promise<T> {
    if (this.holds++ === 0) this.holdingSince = Date.now();
    try {
      return await wait;
    } finally {
      if (--this.holds === 0 && this.holdingSince !== undefined) {
        this.held += Date.now() - this.holdingSince;
        this.holdingSince = undefined;
      }
    }
  }
}

/**
 * One POST of a thrift message, as thrift's own write sends it; a 429 answer rejects (body
 * discarded). `left` is told when the request has been handed to the network (for the pacer).
 */
function post(connection: ThriftHttpConnection, data: Buffer, left: () => void): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const options = connection.nodeOptions;
    options.headers['Content-length'] = data.length;
    options.headers['Content-Type'] ??= 'application/x-thrift';
    let answered = false;
    const onResponse = (response: http.IncomingMessage) => {
      answered = true;
      if (response.statusCode !== 429) {
        resolve(response);
        return;
      }
      response.resume();
      reject(new RateLimited(retryAfterMs(response.headers['retry-after'], Date.now())));
    };
    const request = connection.https ? https.request(options, onResponse) : http.request(options, onResponse);
    // Before an answer: this attempt failed. After it: the connection's trouble, as thrift reports it.
    request.on('error', (e) => (answered ? connection.emit('error', e) : reject(e)));
    request.on('finish', left);
    request.end(data);
  });
}
