/**
 * Retries an idempotent operation (an upload to a fixed key, a delete) with exponential backoff
 * while its errors are transient and the time budget lasts. Never used for SQL statements: a
 * MERGE whose answer was lost may have committed, and repeating it blindly is not safe.
 */
export interface RetryPolicy {
    /** Total time after the first failure during which retries are made. */
    budgetMs: number;
    /** First wait; each next one doubles, up to `maxDelayMs`. */
    firstDelayMs?: number;
    maxDelayMs?: number;
    isTransient(error: unknown): boolean;
    /** Told of every retry, with the error and the wait (logged at WARN by the caller). */
    onRetry?(error: unknown, attempt: number, delayMs: number): void;
    sleep?(ms: number): Promise<void>;
    now?(): number;
}
export declare function withRetries<T>(policy: RetryPolicy, operation: () => Promise<T>): Promise<T>;
