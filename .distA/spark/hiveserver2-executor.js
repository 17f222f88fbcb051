import hive from 'hive-driver';
import { LoadError, TransientError, asError } from '../errors.js';
import { qualifiedName, quoteIdentifier } from '../sql/quote.js';
import { endpointUrl, httpPath } from './endpoint.js';
import { rowsOf } from './result-rows.js';
// TOperationState of the HiveServer2 protocol.
const FINISHED = 2;
const FAILED_STATES = { 3: 'was cancelled', 4: 'was closed', 5: 'failed', 6: 'is in an unknown state', 8: 'timed out' };
/**
 * SqlExecutor over HiveServer2's thrift protocol on HTTP(S), the way iomete exposes Spark SQL.
 * Wraps hive-driver where it is unsafe for a long-running loader: a non-200 HTTP answer only emits
 * 'error' and leaves the call pending, so every call races a timeout and that event; statements
 * run asynchronously and are polled with backoff; operations and the session are always closed.
 */
export class HiveServer2Executor {
    settings;
    client;
    session;
    opening;
    pending = new Set();
    rpcTimeoutMs;
    connectTimeoutMs;
    statementTimeoutMs;
    constructor(settings) {
        this.settings = settings;
        this.rpcTimeoutMs = settings.rpcTimeoutMs ?? 120_000;
        this.connectTimeoutMs = (settings.connect_timeout_seconds ?? 30) * 1000;
        this.statementTimeoutMs = (settings.statement_timeout_seconds ?? 10_800) * 1000;
    }
    async query(sql) {
        const session = await this.openSession();
        this.settings.onStatement?.(abbreviate(sql, 1000));
        const op = await this.call('execute statement', session.executeStatement(sql, { runAsync: true }));
        try {
            const hasResultSet = await this.waitUntilFinished(op, sql);
            // Spark reports a result set for every statement (a made-up 'Result' column for commands);
            // asking for it costs two more requests and yields no row for DML and DDL.
            return hasResultSet && !returnsNoRows(sql) ? await this.fetchAll(op) : [];
        }
        finally {
            await this.call('close operation', op.close()).catch(() => undefined);
        }
    }
    async close() {
        const session = this.session;
        this.session = undefined;
        this.opening = undefined;
        try {
            if (session)
                await this.call('close session', session.close()).catch(() => undefined);
        }
        finally {
            this.client?.close();
            this.client = undefined;
        }
    }
    openSession() {
        if (this.session)
            return Promise.resolve(this.session);
        this.opening ??= this.connectWithRetries().catch((e) => {
            this.opening = undefined;
            throw e;
        });
        return this.opening;
    }
    /**
     * A lakehouse that is scaling up answers 502/503/504 for a while: wait it out. A refused
     * connection is retried briefly (a restarting server), a connect that hangs is not retried at
     * all: it already took the connect timeout. Opening a session changes nothing, so it is safe
     * to repeat; statements are never retried here.
     */
    async connectWithRetries() {
        const busyDelays = this.settings.connectRetryDelaysMs ?? [2_000, 5_000, 10_000];
        const refusedDelays = [500, 1_000, 2_000];
        for (let attempt = 0;; attempt += 1) {
            try {
                return await this.connect();
            }
            catch (e) {
                this.client?.close();
                this.client = undefined;
                if (!(e instanceof TransientError) || e instanceof TimeoutError)
                    throw e;
                // 502/503/504 (and 405 from some gateways) while compute starts: wait longer.
                const delays = /HTTP (5\d\d|405)/.test(e.message) ? busyDelays : refusedDelays;
                const delay = delays[attempt];
                if (delay === undefined)
                    throw attempt === 0 ? e : new TransientError(`${e.message} (gave up after ${attempt + 1} attempts)`);
                this.settings.onRetry?.(`Opening a lakehouse session failed (attempt ${attempt + 1}), retrying in ${delay / 1000} s: ${e.message}`);
                await sleep(delay);
            }
        }
    }
    async connect() {
        const { TCLIService, TCLIService_types } = hive.thrift;
        const client = new hive.HiveClient(TCLIService, TCLIService_types);
        client.on('error', (e) => this.failPending(this.describeConnectionError(asError(e))));
        this.client = client;
        const https = this.settings.scheme === 'https';
        await this.call('connect', client.connect({
            host: this.settings.host,
            port: this.settings.port,
            options: {
                path: httpPath(this.settings),
                https,
                nodeOptions: https
                    ? { rejectUnauthorized: this.settings.tls_verify, ...(this.settings.ca ? { ca: this.settings.ca } : {}) }
                    : {},
            },
        }, new hive.connections.HttpConnection(), new hive.auth.PlainHttpAuthentication({ username: this.settings.user, password: this.settings.password })), this.connectTimeoutMs);
        const session = (await this.call('open session', client.openSession({ client_protocol: TCLIService_types.TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10 }), this.connectTimeoutMs));
        this.session = session;
        for (const statement of this.settings.sessionStatements ?? [])
            await this.query(statement);
        if (this.settings.database) {
            const database = this.settings.catalog ? qualifiedName(this.settings.catalog, this.settings.database) : quoteIdentifier(this.settings.database);
            await this.query(`USE ${database}`);
        }
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
    async waitUntilFinished(op, sql) {
        let interval = 50;
        const deadline = Date.now() + this.statementTimeoutMs;
        for (;;) {
            if (Date.now() > deadline) {
                await this.call('cancel operation', op.cancel()).catch(() => undefined);
                throw new LoadError(`Statement still running after ${this.statementTimeoutMs / 1000} s (statement_timeout_seconds); cancelled it. Raise 'statement_timeout_seconds' for bigger batches, or lower 'batch_size_rows'.\nStatement: ${abbreviate(sql, 300)}`, sql);
            }
            const polled = Date.now();
            const status = await this.call('get operation status', op.status(false));
            if (status.operationState === FINISHED)
                return status.hasResultSet !== false;
            const failure = FAILED_STATES[status.operationState];
            if (failure !== undefined) {
                const server = serverMessage(status.errorMessage);
                throw new LoadError(`Statement ${failure} on the lakehouse: ${server}\nStatement: ${abbreviate(sql)}`, sql, server);
            }
            const wait = Math.min(interval - (Date.now() - polled), deadline - Date.now() + 1);
            if (wait > 0)
                await sleep(wait);
            interval = Math.min(interval * 2, 1000);
        }
    }
    async fetchAll(op) {
        op.setMaxRows(FETCH_ROWS);
        const rows = [];
        do {
            await this.call('fetch results', op.fetch());
            // The server never sets hasMoreRows, so hive-driver asks again after any non-empty batch;
            // a batch shorter than asked for is the last one, and the empty answer after it is skipped.
        } while (op.hasMoreRows() && rowCount(op.getData().at(-1)) >= FETCH_ROWS);
        const columns = op.getSchema()?.columns ?? [];
        for (const rowSet of op.getData())
            rows.push(...rowsOf(columns, rowSet));
        return rows;
    }
    /** Races a thrift call against its timeout (the RPC timeout unless given) and connection errors. */
    call(what, promise, timeoutMs = this.rpcTimeoutMs) {
        return new Promise((resolve, reject) => {
            const fail = (e) => {
                clearTimeout(timer);
                this.pending.delete(fail);
                reject(e);
            };
            const timer = setTimeout(() => fail(new TimeoutError(`No answer from ${endpointUrl(this.settings)} to '${what}' within ${timeoutMs / 1000} s` +
                (timeoutMs === this.connectTimeoutMs ? " (connect_timeout_seconds); check 'host', 'port' and 'scheme'" : ''))), timeoutMs);
            this.pending.add(fail);
            promise.then((value) => {
                clearTimeout(timer);
                this.pending.delete(fail);
                resolve(value);
            }, (e) => fail(this.describeCallError(what, e)));
        });
    }
    failPending(error) {
        for (const fail of [...this.pending])
            fail(error);
        // The connection is unusable after a transport error; the next query reconnects.
        this.session = undefined;
        this.opening = undefined;
    }
    describeConnectionError(e) {
        const where = endpointUrl(this.settings);
        const status = /status code: (\d{3})/.exec(e.message)?.[1];
        if (status === '401' || status === '403') {
            return new LoadError(`The lakehouse at ${where} refused the credentials (HTTP ${status}). Check 'user' and 'password' (a personal access token that has not expired).`);
        }
        if (status === '404') {
            return new LoadError(`No SQL endpoint at ${where} (HTTP 404). Check 'data_plane', 'lakehouse' or 'http_path'.`);
        }
        if (status !== undefined)
            return new TransientError(`The lakehouse at ${where} answered HTTP ${status}; it may be starting or overloaded.`);
        // Nothing listening, an unknown host or a TLS mismatch do not heal by waiting: fail at once.
        if (PERMANENT_CONNECT_FAILURE.test(e.message))
            return new LoadError(`Cannot reach the lakehouse at ${where}: ${e.message}`);
        return new TransientError(`Cannot reach the lakehouse at ${where}: ${e.message}`);
    }
    describeCallError(what, e) {
        if (e instanceof Error && (e instanceof LoadError || e instanceof TransientError))
            return e;
        const message = asError(e).message;
        if (/ECONNREFUSED|ENOTFOUND|ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up/.test(message)) {
            return new TransientError(`Cannot reach the lakehouse at ${endpointUrl(this.settings)} during '${what}': ${message}`);
        }
        return new LoadError(`The lakehouse failed to '${what}': ${serverMessage(message)}`, undefined, message);
    }
}
const PERMANENT_CONNECT_FAILURE = /ECONNREFUSED|ENOTFOUND|EPROTO|wrong version number|self[- ]signed|unable to verify|UNABLE_TO_VERIFY|CERT_/i;
/** The server's message without the Java stack trace that follows it. */
function serverMessage(message) {
    if (!message)
        return 'no message from the server';
    // A row stopped by raise_error() (a value that does not fit its column, a null key): that text,
    // which names stream, column and value, is the message, wherever it sits in the cause chain.
    const raised = /java\.lang\.RuntimeException: ([^\n]+)/.exec(message);
    if (raised?.[1])
        return raised[1].trim();
    const cut = message.split(/\n\s*at |\n\tat /)[0] ?? message;
    return cut.replace(/^org\.apache\.hive\.service\.cli\.HiveSQLException: /, '').trim();
}
const FETCH_ROWS = 10_000;
function rowCount(rowSet) {
    const first = rowSet?.columns?.[0];
    const values = first && Object.values(first).find((v) => v != null);
    return values?.values.length ?? 0;
}
// Commands whose result Spark leaves empty. Anything else (SELECT, SHOW, DESCRIBE, SET, EXPLAIN,
// a WITH or a comment in front) is fetched.
const NO_ROWS = /^\s*(MERGE|INSERT|CREATE|DROP|ALTER|UPDATE|DELETE|USE|TRUNCATE|REFRESH|CACHE|UNCACHE|RESET)\s/i;
/** Pure: whether a statement is a command whose result has no rows, so it need not be fetched. */
export function returnsNoRows(sql) {
    return NO_ROWS.test(sql);
}
function abbreviate(sql, max = 2000) {
    return sql.length > max ? `${sql.slice(0, max)}…` : sql;
}
/** A call got no answer in time; retrying would only wait as long again. */
class TimeoutError extends TransientError {
}
function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
//# sourceMappingURL=hiveserver2-executor.js.map