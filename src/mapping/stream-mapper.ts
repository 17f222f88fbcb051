import { ConfigError, InputError } from '../errors.js';
import { isObject } from '../singer/json.js';
import type { ActivateVersionMessage, JsonSchema, RecordMessage, SchemaMessage, SingerMessage } from '../singer/messages.js';
import { evaluate, type Scope } from './evaluate.js';
import { ExpressionSyntaxError, parseExpression, type Expr } from './expression.js';
import { inferSchema } from './infer-type.js';
import { MapEvaluationError, toRecordValue, truthy, type Dict, type PyValue } from './values.js';

/**
 * Meltano SDK stream maps (`stream_maps`, `stream_map_config`) as a pure message transformer that
 * sits between message parsing and the engine: a SCHEMA becomes zero or more SCHEMAs (removed,
 * aliased, duplicated with `__source__`), a RECORD zero or more RECORDs (filtered, properties
 * dropped, added or replaced by expressions), an ACTIVATE_VERSION follows its stream's outputs,
 * and every other message passes unchanged.
 *
 * Semantics follow the SDK's documentation: config entries are applied in order, an exact or
 * wildcard (`*`, `?`, `[...]`) key selects source streams and the last primary match wins,
 * `__else__: null` at the top drops unmapped streams and inside a map drops unmapped properties
 * (key properties stay), expressions see the original record. Two deliberate differences: a
 * property the schema declares but the record omits reads as None instead of failing, and
 * `__else__: null` keeps the key properties in the schema as the docs say (not only in records).
 */

const NULL_STRING = '__NULL__';
const ELSE = '__else__';
const FILTER = '__filter__';
const SOURCE = '__source__';
const ALIAS = '__alias__';
const KEY_PROPERTIES = '__key_properties__';
const OPTIONS = new Set([ELSE, FILTER, SOURCE, ALIAS, KEY_PROPERTIES]);

export interface StreamMapSettings {
  stream_maps?: Record<string, unknown>;
  stream_map_config?: Record<string, unknown>;
}

interface CompiledExpression {
  source: string;
  expr: Expr;
}

type PropertyRule = { property: string; drop: true } | { property: string; drop: false; expression: CompiledExpression };

/** One entry of `stream_maps`, checked and parsed once. */
interface MapEntry {
  key: string;
  /** Stream name or wildcard pattern of the streams it applies to. */
  selector: string;
  /** With `__source__`: an extra output stream named `key`; otherwise it replaces the stream's own output. */
  primary: boolean;
  alias?: string;
  /** `null` / `__NULL__`: the selected streams are not loaded. */
  remove: boolean;
  filter?: CompiledExpression;
  /** undefined: the source's keys; null: no keys. */
  keyProperties?: string[] | null;
  includeUnmapped: boolean;
  rules: PropertyRule[];
}

/** What one source stream turns into. */
interface Output {
  stream: string;
  schema: JsonSchema;
  keyProperties: string[];
  entry?: MapEntry;
}

interface SourceStream {
  /** Properties the source schema declares (a record that omits one reads it as None). */
  properties: ReadonlySet<string>;
  outputs: Output[];
  /** False when the stream leaves exactly as it came (one unchanged output of the same name). */
  transformed: boolean;
}

const isNullRule = (v: unknown) => v === null || v === NULL_STRING;

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty, not assignment: a property named `__proto__` must stay a plain key.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function own(target: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(target, key);
}

/** fnmatch-style wildcard (Python's, as the SDK uses): `*` any run, `?` one character, `[...]` a set. */
export function wildcardPattern(selector: string): RegExp | undefined {
  if (!/[*?[]/.test(selector)) return undefined;
  let source = '';
  for (let i = 0; i < selector.length; i += 1) {
    const c = selector[i]!;
    if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else if (c === '[') {
      const end = selector.indexOf(']', i + 2);
      if (end === -1) source += '\\[';
      else {
        let set = selector.slice(i + 1, end);
        const negate = set.startsWith('!');
        if (negate) set = set.slice(1);
        source += `[${negate ? '^' : ''}${set.replace(/[\\\]^]/g, '\\$&')}]`;
        i = end;
      }
    } else source += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** True when a stream map key (an exact name or a wildcard pattern) selects `stream`. */
export function selectsStream(selector: string, stream: string): boolean {
  if (selector === stream) return true;
  const pattern = wildcardPattern(selector);
  return pattern !== undefined && pattern.test(stream);
}

function compileExpression(source: string, where: string, problems: string[]): CompiledExpression | undefined {
  try {
    return { source, expr: parseExpression(source) };
  } catch (e) {
    if (!(e instanceof ExpressionSyntaxError)) throw e;
    problems.push(`${where}: cannot parse expression \`${source}\`: ${e.message}`);
    return undefined;
  }
}

function compileEntry(key: string, value: unknown, problems: string[]): MapEntry | undefined {
  const where = `'stream_maps.${key}'`;
  const at = (sub: string) => `'stream_maps.${key}.${sub}'`;
  if (isNullRule(value)) return { key, selector: key, primary: true, remove: true, includeUnmapped: true, rules: [] };
  if (!isObject(value)) {
    problems.push(`${where} must be an object of property rules, or null (or "${NULL_STRING}") to drop the stream`);
    return undefined;
  }
  const entry: MapEntry = { key, selector: key, primary: true, remove: false, includeUnmapped: true, rules: [] };
  const source = value[SOURCE];
  if (source !== undefined) {
    if (typeof source !== 'string' || source === '') problems.push(`${at(SOURCE)} must name the stream to copy`);
    else Object.assign(entry, { selector: source, primary: false });
  } else if (value[ALIAS] !== undefined) {
    const alias = value[ALIAS];
    if (typeof alias !== 'string' || alias === '') problems.push(`${at(ALIAS)} must be the new stream name`);
    else entry.alias = alias;
  }
  if (value[FILTER] !== undefined) {
    const filter = value[FILTER];
    if (typeof filter !== 'string') problems.push(`${at(FILTER)} must be an expression (a string)`);
    else entry.filter = compileExpression(filter, `${at(FILTER)}`, problems);
  }
  if (value[KEY_PROPERTIES] !== undefined) {
    const keys = value[KEY_PROPERTIES];
    if (keys === null) entry.keyProperties = null;
    else if (Array.isArray(keys) && keys.every((k) => typeof k === 'string')) entry.keyProperties = keys as string[];
    else problems.push(`${at(KEY_PROPERTIES)} must be a list of property names, or null for no keys`);
  }
  if (own(value, ELSE)) {
    if (isNullRule(value[ELSE])) entry.includeUnmapped = false;
    else problems.push(`${at(ELSE)} supports only null (or "${NULL_STRING}"): drop the properties not mapped`);
  }
  for (const [property, rule] of Object.entries(value)) {
    if (OPTIONS.has(property)) continue;
    if (isNullRule(rule)) entry.rules.push({ property, drop: true });
    else if (typeof rule === 'string') {
      const expression = compileExpression(rule, `${at(property)}`, problems);
      if (expression) entry.rules.push({ property, drop: false, expression });
    } else problems.push(`${at(property)} must be an expression (a string), or null (or "${NULL_STRING}") to drop the property`);
  }
  return entry;
}

interface Compiled {
  entries: MapEntry[];
  dropUnmappedStreams: boolean;
}

function compile(settings: StreamMapSettings, problems: string[]): Compiled {
  const maps = settings.stream_maps ?? {};
  const entries: MapEntry[] = [];
  let dropUnmappedStreams = false;
  if (settings.stream_map_config !== undefined && !isObject(settings.stream_map_config)) problems.push("'stream_map_config' must be an object");
  for (const [key, value] of Object.entries(maps)) {
    if (key === ELSE) {
      if (isNullRule(value)) dropUnmappedStreams = true;
      else problems.push(`'stream_maps.${ELSE}' supports only null (or "${NULL_STRING}"): drop the streams not mapped`);
      continue;
    }
    if (key.startsWith('__')) {
      problems.push(`'stream_maps.${key}' is not a stream map option (stream-level options are ${ELSE}; ${[...OPTIONS].filter((o) => o !== ELSE).join(', ')} go inside a stream's map)`);
      continue;
    }
    const entry = compileEntry(key, value, problems);
    if (entry) entries.push(entry);
  }
  return { entries, dropUnmappedStreams };
}

/** Every problem of the `stream_maps` / `stream_map_config` settings, one line each (for config validation). */
export function streamMapProblems(settings: StreamMapSettings): string[] {
  const problems: string[] = [];
  compile(settings, problems);
  return problems;
}

export class StreamMapper {
  private readonly entries: MapEntry[];
  private readonly dropUnmappedStreams: boolean;
  private readonly mapConfig: Dict;
  private readonly sources = new Map<string, SourceStream>();

  constructor(settings: StreamMapSettings) {
    const problems: string[] = [];
    const compiled = compile(settings, problems);
    if (problems.length > 0) throw new ConfigError(problems.join('; '));
    this.entries = compiled.entries;
    this.dropUnmappedStreams = compiled.dropUnmappedStreams;
    this.mapConfig = (settings.stream_map_config ?? {}) as Dict;
  }

  /** True when records of `stream` must go through `mapRecord` (it is dropped, renamed, copied or changed). */
  transforms(stream: string): boolean {
    return this.sources.get(stream)?.transformed ?? false;
  }

  /** Messages the engine receives for one input message. */
  map(message: SingerMessage, line: number): SingerMessage[] {
    switch (message.type) {
      case 'SCHEMA':
        return this.mapSchema(message);
      case 'RECORD':
        return this.mapRecord(message, line);
      case 'ACTIVATE_VERSION':
        return this.mapActivateVersion(message);
      default:
        return [message];
    }
  }

  mapSchema(message: SchemaMessage): SchemaMessage[] {
    const outputs = this.outputsFor(message);
    const properties = new Set(Object.keys(message.schema.properties ?? {}));
    const transformed = !(outputs.length === 1 && outputs[0]!.entry === undefined && outputs[0]!.stream === message.stream);
    this.sources.set(message.stream, { properties, outputs, transformed });
    if (!transformed) return [message];
    return outputs.map((o) => ({ type: 'SCHEMA', stream: o.stream, schema: o.schema, key_properties: o.keyProperties }));
  }

  mapRecord(message: RecordMessage, line: number): RecordMessage[] {
    const source = this.sources.get(message.stream);
    // Without a SCHEMA the engine reports the stream; an unchanged stream costs nothing here.
    if (!source || !source.transformed) return [message];
    const out: RecordMessage[] = [];
    for (const output of source.outputs) {
      const record = output.entry ? this.transform(output, source, message.record, line, message.stream) : message.record;
      if (record) out.push({ ...message, stream: output.stream, record });
    }
    return out;
  }

  mapActivateVersion(message: ActivateVersionMessage): ActivateVersionMessage[] {
    const source = this.sources.get(message.stream);
    if (!source || !source.transformed) return [message];
    return source.outputs.map((o) => ({ ...message, stream: o.stream }));
  }

  // --- schema -------------------------------------------------------------------------------

  /** The SDK's matching: entries in order, primary matches replace the stream's own output, `__source__` ones add outputs. */
  private outputsFor(message: SchemaMessage): Output[] {
    const stream = message.stream;
    const keys = message.key_properties ?? [];
    let primary: Output | null = this.dropUnmappedStreams ? null : { stream, schema: message.schema, keyProperties: keys };
    const extra: Output[] = [];
    for (const entry of this.entries) {
      if (!selectsStream(entry.selector, stream)) continue;
      // A wildcard entry without an alias keeps each stream's own name.
      const name = entry.primary ? (entry.alias ?? stream) : entry.key;
      const output = entry.remove ? null : this.mappedOutput(entry, name, message);
      if (entry.primary) primary = output;
      else if (output) extra.push(output);
    }
    return primary ? [primary, ...extra] : extra;
  }

  private mappedOutput(entry: MapEntry, stream: string, message: SchemaMessage): Output {
    const fail = (problem: string): never => {
      throw new ConfigError(`'stream_maps.${entry.key}' for stream '${message.stream}': ${problem}`);
    };
    const raw = message.schema;
    const rawProperties = (raw.properties ?? {}) as Record<string, JsonSchema>;
    const keyProperties = entry.keyProperties === undefined ? (message.key_properties ?? []) : (entry.keyProperties ?? []);
    const properties: Record<string, JsonSchema> = {};
    for (const [name, schema] of Object.entries(rawProperties)) {
      if (entry.includeUnmapped || keyProperties.includes(name)) setOwn(properties, name, schema);
    }
    for (const rule of entry.rules) {
      if (rule.drop) {
        if (keyProperties.includes(rule.property)) {
          fail(`cannot drop key property '${rule.property}'; set ${KEY_PROPERTIES} to the new key list (or null for none)`);
        }
        delete properties[rule.property];
        continue;
      }
      const existing = own(properties, rule.property) ? properties[rule.property] : own(rawProperties, rule.property) ? rawProperties[rule.property] : undefined;
      const inferred = inferSchema(rule.expression.expr, { source: raw, ...(existing ? { self: existing } : {}) });
      setOwn(properties, rule.property, inferred ?? existing ?? { type: ['string', 'null'] });
    }
    for (const key of keyProperties) {
      if (!own(properties, key)) fail(`key property '${key}' is not in the mapped schema; map it, or set ${KEY_PROPERTIES}`);
    }
    const schema: JsonSchema = { ...raw, type: 'object', properties };
    if (Array.isArray(raw.required)) schema.required = (raw.required as unknown[]).filter((r) => typeof r === 'string' && own(properties, r));
    return { stream, schema, keyProperties, entry };
  }

  // --- records ------------------------------------------------------------------------------

  private transform(output: Output, source: SourceStream, record: Record<string, unknown>, line: number, stream: string): Record<string, unknown> | undefined {
    const entry = output.entry!;
    if (entry.filter && !truthy(this.run(entry, entry.filter, FILTER, record, source, line, stream))) return undefined;
    const result: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(record)) {
      if (entry.includeUnmapped || output.keyProperties.includes(name)) setOwn(result, name, value);
    }
    for (const rule of entry.rules) {
      if (rule.drop) delete result[rule.property];
      else setOwn(result, rule.property, toRecordValue(this.run(entry, rule.expression, rule.property, record, source, line, stream)));
    }
    return result;
  }

  /** Evaluates one rule; a failure names the rule as the config does, the expression, the line and the stream. */
  private run(entry: MapEntry, expression: CompiledExpression, property: string, record: Record<string, unknown>, source: SourceStream, line: number, stream: string): PyValue {
    try {
      return evaluate(expression.expr, new RecordScope(record, source.properties, this.mapConfig, property));
    } catch (e) {
      // A RangeError is V8 refusing a string or stack that large: the expression's fault, reported as such.
      if (!(e instanceof MapEvaluationError) && !(e instanceof RangeError)) throw e;
      const reason = e instanceof RangeError ? `MemoryError: ${e.message}` : e.message;
      throw new InputError(`Stream map 'stream_maps.${entry.key}.${property}': expression \`${expression.source}\` failed: ${reason}`, { line, stream });
    }
  }
}

/** Names an expression sees, read on demand (no per-record copy of the record). */
class RecordScope implements Scope {
  readonly names: { get(name: string): PyValue | undefined };

  constructor(record: Record<string, unknown>, declared: ReadonlySet<string>, config: Dict, property: string) {
    const value = (name: string): PyValue | undefined => {
      if (own(record, name)) return record[name] as PyValue;
      // Taps often omit null properties; a declared property reads as None rather than failing.
      return declared.has(name) ? null : undefined;
    };
    this.names = {
      get(name: string): PyValue | undefined {
        switch (name) {
          case 'record':
          case '_':
            return record as Dict;
          case 'config':
            return config;
          case 'self':
            return value(property) ?? undefined;
          default:
            return value(name);
        }
      },
    };
  }
}
