/**
 * One root error for everything the target reports on purpose. Subclasses say what happens next,
 * so the command can map them to exit codes and messages without inspecting text.
 */
export class TargetError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The configuration is unusable; nothing was loaded. Fix the config and run again. */
export class ConfigError extends TargetError {
  /** Each problem on its own, when there are several (printed one per line). */
  readonly problems: readonly string[];

  constructor(message: string, options?: { cause?: unknown; problems?: readonly string[] }) {
    super(message, options);
    this.problems = options?.problems ?? [message];
  }
}

/** The command line cannot start anything (a missing or unreadable file, a wrong flag): exit 2. */
export class UsageError extends TargetError {}

/** A Singer message is malformed or out of order; the run stops before loading anything after it. */
export class InputError extends TargetError {
  constructor(
    message: string,
    readonly where: { line?: number; stream?: string } = {},
  ) {
    super(InputError.locate(message, where));
  }

  private static locate(message: string, where: { line?: number; stream?: string }): string {
    const parts: string[] = [];
    if (where.line !== undefined) parts.push(`line ${where.line}`);
    if (where.stream !== undefined) parts.push(`stream '${where.stream}'`);
    return parts.length > 0 ? `${message} (${parts.join(', ')})` : message;
  }
}

/** The table cannot take the stream's new schema under the configured policy. */
export class SchemaEvolutionError extends TargetError {}

/** The lakehouse or S3 failed in a way worth retrying (network, compute starting). */
export class TransientError extends TargetError {}

/** A statement failed on the lakehouse; carries the statement and the server's message. */
export class LoadError extends TargetError {
  constructor(
    message: string,
    readonly sql?: string,
    readonly serverMessage?: string,
  ) {
    super(message);
  }
}

/** Turns anything thrown (hive-driver throws non-Error objects) into an Error with a message. */
export function asError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (thrown && typeof thrown === 'object' && 'message' in thrown) {
    return new Error(String((thrown as { message: unknown }).message));
  }
  return new Error(String(thrown));
}

/** The first line of what was thrown (a server's message is followed by a Java stack): for WARN lines. */
export function firstLine(thrown: unknown): string {
  return asError(thrown).message.split('\n')[0]!;
}
