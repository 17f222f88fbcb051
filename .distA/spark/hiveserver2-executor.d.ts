import { type EndpointSettings } from './endpoint.js';
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
    /** Waits before each new attempt to open a session after a transient failure (compute starting, network). */
    connectRetryDelaysMs?: readonly number[];
}
/**
 * SqlExecutor over HiveServer2's thrift protocol on HTTP(S), the way iomete exposes Spark SQL.
 * Wraps hive-driver where it is unsafe for a long-running loader: a non-200 HTTP answer only emits
 * 'error' and leaves the call pending, so every call races a timeout and that event; statements
 * run asynchronously and are polled with backoff; operations and the session are always closed.
 */
export declare class HiveServer2Executor implements SqlExecutor {
    private readonly settings;
    private client?;
    private session?;
    private opening?;
    private readonly pending;
    private readonly rpcTimeoutMs;
    private readonly connectTimeoutMs;
    private readonly statementTimeoutMs;
    constructor(settings: HiveServer2Settings);
    query(sql: string): Promise<Row[]>;
    close(): Promise<void>;
    private openSession;
    /**
     * A lakehouse that is scaling up answers 502/503/504 for a while: wait it out. A refused
     * connection is retried briefly (a restarting server), a connect that hangs is not retried at
     * all: it already took the connect timeout. Opening a session changes nothing, so it is safe
     * to repeat; statements are never retried here.
     */
    private connectWithRetries;
    private connect;
    /**
     * Polls until the statement ends. The Spark Thrift Server long-polls: GetOperationStatus waits up
     * to hive.server2.long.polling.timeout (5 s by default) for the statement and answers as soon as
     * it ends, so a poll the server held is followed at once by the next one, without a sleep that
     * would only delay noticing the end. A server (or gateway) that answers at once is polled with
     * backoff instead, 50 ms rising to 1 s between the starts of two polls: iomete tokens may carry
     * a requests-per-second limit.
     */
    private waitUntilFinished;
    private fetchAll;
    /** Races a thrift call against its timeout (the RPC timeout unless given) and connection errors. */
    private call;
    private failPending;
    private describeConnectionError;
    private describeCallError;
}
/** Pure: whether a statement is a command whose result has no rows, so it need not be fetched. */
export declare function returnsNoRows(sql: string): boolean;
