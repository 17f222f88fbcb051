import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadTableOf, type StatementRecord } from './flush-stats.js';
import { decodeExecuteReply, decodeThriftCall, statementKind, type ThriftCall } from './thrift-messages.js';

/** What went through the proxy. */
export interface ThriftTraffic {
  /** Every HTTP request (one thrift call each: open session, execute, status polls, fetches...). */
  calls: number;
  statements: number;
  /** Statements by kind (MERGE INTO, CREATE OR REPLACE TEMPORARY VIEW, ...). */
  statementKinds: Map<string, number>;
  /** Calls by thrift method (ExecuteStatement, GetOperationStatus, ...). */
  methods: Map<string, number>;
  /** Every statement in the order it was sent, with the calls its operation took. */
  log: StatementRecord[];
  /** Statements by operation handle, to count the calls made on each. */
  operations: Map<string, StatementRecord>;
  /** Milliseconds of each OpenSession call, request to reply. */
  sessionOpenMs: number[];
}

/** An answer given in place of the endpoint's (e.g. a gateway's 429); undefined forwards the request. */
export type Intercept = (call: ThriftCall | undefined) => { status: number; headers?: Record<string, string> } | undefined;

export interface ThriftProxy {
  port: number;
  traffic: ThriftTraffic;
  close(): Promise<void>;
}

/**
 * An HTTP proxy on 127.0.0.1 in front of the lakehouse's thrift endpoint. The target is pointed at
 * it instead of the endpoint, and every request body (one thrift call, small) is decoded before it
 * is forwarded unchanged (or answered by `intercept`: test/support/fake-gateway.ts); responses are
 * streamed back untouched. This counts statements exactly
 * without a debug hook in the target.
 */
export async function startThriftProxy(upstream: { host: string; port: number }, intercept?: Intercept): Promise<ThriftProxy> {
  const traffic: ThriftTraffic = { calls: 0, statements: 0, statementKinds: new Map(), methods: new Map(), log: [], operations: new Map(), sessionOpenMs: [] };
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const call = decodeThriftCall(body);
      const answer = intercept?.(call);
      if (answer) {
        res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
        res.end(`HTTP ${answer.status}`);
        return;
      }
      const statement = record(traffic, call);
      const sent = performance.now();
      const forward = http.request(
        { host: upstream.host, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: `${upstream.host}:${upstream.port}` }, agent },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          // The reply names the operation, so the status polls and fetches that follow can be
          // counted against the statement. Read before piping: the client cannot ask about the
          // operation before this reply has reached it.
          if (statement) {
            const reply: Buffer[] = [];
            answer.on('data', (c: Buffer) => reply.push(c));
            answer.on('end', () => {
              const operation = decodeExecuteReply(Buffer.concat(reply));
              if (operation !== undefined) traffic.operations.set(operation, statement);
            });
          }
          if (call?.method === 'OpenSession') answer.on('end', () => traffic.sessionOpenMs.push(performance.now() - sent));
          answer.pipe(res);
        },
      );
      forward.on('error', (e) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`bench proxy: upstream failed: ${e.message}`);
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    traffic,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

/** Counts one call; returns the new statement's record when it is an ExecuteStatement. */
function record(traffic: ThriftTraffic, call: ThriftCall | undefined): StatementRecord | undefined {
  traffic.calls += 1;
  const method = call?.method ?? 'undecoded';
  traffic.methods.set(method, (traffic.methods.get(method) ?? 0) + 1);
  if (call?.method === 'ExecuteStatement') {
    traffic.statements += 1;
    const kind = call.statement === undefined ? 'unknown' : statementKind(call.statement);
    traffic.statementKinds.set(kind, (traffic.statementKinds.get(kind) ?? 0) + 1);
    const loadTable = call.statement === undefined ? undefined : loadTableOf(call.statement);
    const entry: StatementRecord = { session: call.handle ?? 'unknown', kind, calls: 1, startedMs: performance.now(), ...(loadTable !== undefined ? { loadTable } : {}) };
    traffic.log.push(entry);
    return entry;
  }
  const statement = call?.handle === undefined ? undefined : traffic.operations.get(call.handle);
  if (statement) {
    statement.calls += 1;
    if (call?.method === 'CloseOperation' && statement.startedMs !== undefined) statement.ms = performance.now() - statement.startedMs;
  }
  return undefined;
}
