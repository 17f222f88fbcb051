import { jsonSyntaxError } from '../json-syntax.js';
import { InputError } from '../errors.js';
import { parseJson } from './json.js';

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
  key_properties?: string[];
};
export type RecordMessage = {
  type: 'RECORD';
  stream: string;
  record: Record<string, unknown>;
  time_extracted?: string;
  version?: number;
};
export type StateMessage = { type: 'STATE'; value: unknown };
export type ActivateVersionMessage = { type: 'ACTIVATE_VERSION'; stream: string; version: number };
export type UnknownMessage = { type: 'UNKNOWN'; rawType: string };
/** A BATCH message, checked in detail by batching/batch-messages.ts. */
export type BatchEnvelope = { type: 'BATCH'; stream: string; raw: Record<string, unknown> };

export type SingerMessage = SchemaMessage | RecordMessage | StateMessage | ActivateVersionMessage | BatchEnvelope | UnknownMessage;

/**
 * Parses one input line into a typed message. Returns undefined for a blank line (taps and shells
 * emit them). Errors name the line number, and the stream when it is known, so the user can find
 * the bad message in the tap's output.
 */
export function parseMessage(line: string, lineNumber: number): SingerMessage | undefined {
  if (line.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = parseJson(line);
  } catch {
    // The position only: records hold data that has no place in a log.
    throw new InputError(`Invalid JSON: the message is broken at ${jsonSyntaxError(line).replace(/^line 1, /, '')}`, { line: lineNumber });
  }
  if (!isObject(parsed)) {
    throw new InputError(`A Singer message must be a JSON object, got ${parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`}`, { line: lineNumber });
  }
  const rawType = parsed.type;
  if (typeof rawType !== 'string') {
    throw new InputError("Message has no 'type' key", { line: lineNumber });
  }
  switch (rawType.toUpperCase()) {
    case 'SCHEMA':
      return schemaMessage(parsed, lineNumber);
    case 'RECORD':
      return recordMessage(parsed, lineNumber);
    case 'STATE':
      if (!('value' in parsed)) throw new InputError("STATE message has no 'value'", { line: lineNumber });
      return { type: 'STATE', value: parsed.value };
    case 'ACTIVATE_VERSION': {
      const stream = requireStream(parsed, lineNumber);
      if (typeof parsed.version !== 'number') {
        throw new InputError("ACTIVATE_VERSION message has no numeric 'version'", { line: lineNumber, stream });
      }
      return { type: 'ACTIVATE_VERSION', stream, version: parsed.version };
    }
    case 'BATCH':
      return { type: 'BATCH', stream: requireStream(parsed, lineNumber), raw: parsed };
    default:
      return { type: 'UNKNOWN', rawType };
  }
}

function schemaMessage(o: Record<string, unknown>, line: number): SchemaMessage {
  const stream = requireStream(o, line);
  if (!isObject(o.schema)) throw new InputError("SCHEMA message has no 'schema' object", { line, stream });
  const keys = o.key_properties;
  if (keys !== undefined && !(Array.isArray(keys) && keys.every((k) => typeof k === 'string'))) {
    throw new InputError("'key_properties' must be an array of property names", { line, stream });
  }
  return { type: 'SCHEMA', stream, schema: o.schema as JsonSchema, key_properties: keys as string[] | undefined };
}

function recordMessage(o: Record<string, unknown>, line: number): RecordMessage {
  const stream = requireStream(o, line);
  if (!isObject(o.record)) throw new InputError("RECORD message has no 'record' object", { line, stream });
  const message: RecordMessage = { type: 'RECORD', stream, record: o.record };
  if (typeof o.time_extracted === 'string') message.time_extracted = o.time_extracted;
  if (typeof o.version === 'number') message.version = o.version;
  return message;
}

function requireStream(o: Record<string, unknown>, line: number): string {
  if (typeof o.stream !== 'string' || o.stream === '') {
    throw new InputError(`${String(o.type)} message has no 'stream'`, { line });
  }
  return o.stream;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
