import { jsonSyntaxError } from '../json-syntax.js';
import { InputError } from '../errors.js';
import { parseJson, stringifyJson, isObject } from './json.js';

/** JSON Schema as sent by a tap; only the parts the target reads are typed. */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  [keyword: string]: unknown;
}

export type SchemaMessage = {
  type: 'SCHEMA';
  stream: string;
  schema: JsonSchema;
  /** `[]` when the message has none (see parseMessage). */
  key_properties: string[];
};
export type RecordMessage = {
  type: 'RECORD';
  stream: string;
  record: Record<string, unknown>;
  time_extracted?: string;
  version?: number;
};
type StateMessage = { type: 'STATE'; value: unknown };
export type ActivateVersionMessage = { type: 'ACTIVATE_VERSION'; stream: string; version: number };
type UnknownMessage = { type: 'UNKNOWN'; rawType: string };
/** A BATCH message, checked in detail by batching/batch-messages.ts. */
export type BatchEnvelope = { type: 'BATCH'; stream: string; raw: Record<string, unknown> };

export type SingerMessage = SchemaMessage | RecordMessage | StateMessage | ActivateVersionMessage | BatchEnvelope | UnknownMessage;

/** Messages nesting deeper than this are refused: no real record does, and every later step walks values recursively. */
const MAX_NESTING = 100;

export interface ParseOptions {
  /** Receives warnings about messages accepted leniently (a SCHEMA without key_properties). */
  warn?: (message: string) => void;
}

/**
 * Parses one input line into a typed message. Returns undefined for a blank line (taps and shells
 * emit them). Errors name the line number, and the stream when it is known, so the user can find
 * the bad message in the tap's output. Parsed objects are plain data: every later lookup of a
 * property uses own properties only, so names like `constructor` or `__proto__` are just names.
 */
export function parseMessage(line: string, lineNumber: number, options: ParseOptions = {}): SingerMessage | undefined {
  if (line.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = parseJson(line);
  } catch (e) {
    if (e instanceof RangeError) throw new InputError(`The message nests deeper than ${MAX_NESTING} levels of objects and arrays; such data is refused`, { line: lineNumber });
    // The position only: records hold data that has no place in a log.
    throw new InputError(`Invalid JSON: the message is broken at ${jsonSyntaxError(line).replace(/^line 1, /, '')}`, { line: lineNumber });
  }
  if (!isObject(parsed)) {
    throw new InputError(`A Singer message must be a JSON object, got ${parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`}`, { line: lineNumber });
  }
  if (nestsDeeperThan(parsed, MAX_NESTING)) {
    const stream = typeof parsed.stream === 'string' ? { stream: parsed.stream } : {};
    throw new InputError(`The message nests deeper than ${MAX_NESTING} levels of objects and arrays; such data is refused`, { line: lineNumber, ...stream });
  }
  const rawType = own(parsed, 'type');
  if (typeof rawType !== 'string') {
    throw new InputError("Message has no 'type' key", { line: lineNumber });
  }
  switch (rawType.toUpperCase()) {
    case 'SCHEMA':
      return schemaMessage(parsed, lineNumber, options);
    case 'RECORD':
      return recordMessage(parsed, lineNumber);
    case 'STATE':
      if (!Object.hasOwn(parsed, 'value')) throw new InputError("STATE message has no 'value'", { line: lineNumber });
      return { type: 'STATE', value: parsed.value };
    case 'ACTIVATE_VERSION': {
      const stream = requireStream(parsed, lineNumber);
      const version = tableVersion(own(parsed, 'version'), 'ACTIVATE_VERSION', { line: lineNumber, stream });
      if (version === undefined) throw new InputError("ACTIVATE_VERSION message has no integer 'version'", { line: lineNumber, stream });
      return { type: 'ACTIVATE_VERSION', stream, version };
    }
    case 'BATCH':
      return { type: 'BATCH', stream: requireStream(parsed, lineNumber), raw: parsed };
    default:
      return { type: 'UNKNOWN', rawType };
  }
}

/** A table version: a non-negative integer (the SDK sends milliseconds since the epoch). */
function tableVersion(value: unknown, what: string, where: { line: number; stream: string }): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new InputError(`${what} 'version' must be a non-negative integer (below 2^53), got ${preview(stringifyJson(value))}`, where);
}

/** True when `value` holds objects or arrays more than `limit` levels deep (stops looking at the limit). */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit === 0) return true;
  if (Array.isArray(value)) return value.some((v) => nestsDeeperThan(v, limit - 1));
  for (const key in value) if (Object.hasOwn(value, key) && nestsDeeperThan((value as Record<string, unknown>)[key], limit - 1)) return true;
  return false;
}

function own(o: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

function schemaMessage(o: Record<string, unknown>, line: number, options: ParseOptions): SchemaMessage {
  const stream = requireStream(o, line);
  const schema = own(o, 'schema');
  if (!isObject(schema)) throw new InputError("SCHEMA message has no 'schema' object", { line, stream });
  const keys = own(o, 'key_properties');
  if (keys !== undefined && keys !== null && !(Array.isArray(keys) && keys.every((k) => typeof k === 'string'))) {
    throw new InputError("'key_properties' must be an array of property names", { line, stream });
  }
  if (keys === undefined || keys === null) {
    // The Singer spec requires the field, but SDK taps and targets read its absence as "no keys".
    options.warn?.(`Line ${line}: SCHEMA of stream '${stream}' has no 'key_properties'; the stream is taken to have no key (primary_key_required decides whether that is allowed)`);
  }
  const empty = emptyPropertyName(schema);
  if (empty !== undefined) {
    throw new InputError(`The stream schema has a property with an empty name${empty === '' ? '' : ` inside '${empty}'`}; a column needs a name, rename it in the tap`, { line, stream });
  }
  return { type: 'SCHEMA', stream, schema: schema as JsonSchema, key_properties: (keys as string[] | undefined | null) ?? [] };
}

/** The path of the first object in the schema that declares a property named '', or undefined. */
function emptyPropertyName(schema: Record<string, unknown>, path = ''): string | undefined {
  const properties = own(schema, 'properties');
  if (!isObject(properties)) return undefined;
  for (const [name, child] of Object.entries(properties)) {
    if (name === '') return path;
    if (isObject(child)) {
      const inner = emptyPropertyName(child, path === '' ? name : `${path}.${name}`);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

function recordMessage(o: Record<string, unknown>, line: number): RecordMessage {
  const stream = requireStream(o, line);
  const record = own(o, 'record');
  if (!isObject(record)) throw new InputError("RECORD message has no 'record' object", { line, stream });
  const message: RecordMessage = { type: 'RECORD', stream, record };
  const extracted = own(o, 'time_extracted');
  if (typeof extracted === 'string') message.time_extracted = extracted;
  const version = tableVersion(own(o, 'version'), 'RECORD', { line, stream });
  if (version !== undefined) message.version = version;
  return message;
}

function requireStream(o: Record<string, unknown>, line: number): string {
  const stream = own(o, 'stream');
  if (typeof stream !== 'string' || stream === '') {
    throw new InputError(`${String(o.type)} message has no 'stream'`, { line });
  }
  return stream;
}


function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
