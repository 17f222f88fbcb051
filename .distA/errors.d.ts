/**
 * One root error for everything the target reports on purpose. Subclasses say what happens next,
 * so the command can map them to exit codes and messages without inspecting text.
 */
export declare class TargetError extends Error {
    constructor(message: string, options?: {
        cause?: unknown;
    });
}
/** The configuration is unusable; nothing was loaded. Fix the config and run again. */
export declare class ConfigError extends TargetError {
    /** Each problem on its own, when there are several (printed one per line). */
    readonly problems: readonly string[];
    constructor(message: string, options?: {
        cause?: unknown;
        problems?: readonly string[];
    });
}
/** A Singer message is malformed or out of order; the run stops before loading anything after it. */
export declare class InputError extends TargetError {
    readonly where: {
        line?: number;
        stream?: string;
    };
    constructor(message: string, where?: {
        line?: number;
        stream?: string;
    });
    private static locate;
}
/** The table cannot take the stream's new schema under the configured policy. */
export declare class SchemaEvolutionError extends TargetError {
}
/** The lakehouse or S3 failed in a way worth retrying (network, compute starting). */
export declare class TransientError extends TargetError {
}
/** A statement failed on the lakehouse; carries the statement and the server's message. */
export declare class LoadError extends TargetError {
    readonly sql?: string | undefined;
    readonly serverMessage?: string | undefined;
    constructor(message: string, sql?: string | undefined, serverMessage?: string | undefined);
}
/** Turns anything thrown (hive-driver throws non-Error objects) into an Error with a message. */
export declare function asError(thrown: unknown): Error;
