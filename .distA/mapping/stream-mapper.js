import { ConfigError, InputError } from '../errors.js';
import { evaluate } from './evaluate.js';
import { ExpressionSyntaxError, parseExpression } from './expression.js';
import { inferSchema } from './infer-type.js';
import { MapEvaluationError, toRecordValue, truthy } from './values.js';
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
export const NULL_STRING = '__NULL__';
const ELSE = '__else__';
const FILTER = '__filter__';
const SOURCE = '__source__';
const ALIAS = '__alias__';
const KEY_PROPERTIES = '__key_properties__';
const OPTIONS = new Set([ELSE, FILTER, SOURCE, ALIAS, KEY_PROPERTIES]);
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNullRule = (v) => v === null || v === NULL_STRING;
function setOwn(target, key, value) {
    // defineProperty, not assignment: a property named `__proto__` must stay a plain key.
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
function own(target, key) {
    return Object.prototype.hasOwnProperty.call(target, key);
}
/** fnmatch-style wildcard (Python's, as the SDK uses): `*` any run, `?` one character, `[...]` a set. */
export function wildcardPattern(selector) {
    if (!/[*?[]/.test(selector))
        return undefined;
    let source = '';
    for (let i = 0; i < selector.length; i += 1) {
        const c = selector[i];
        if (c === '*')
            source += '[\\s\\S]*';
        else if (c === '?')
            source += '[\\s\\S]';
        else if (c === '[') {
            const end = selector.indexOf(']', i + 2);
            if (end === -1)
                source += '\\[';
            else {
                let set = selector.slice(i + 1, end);
                const negate = set.startsWith('!');
                if (negate)
                    set = set.slice(1);
                source += `[${negate ? '^' : ''}${set.replace(/[\\\]^]/g, '\\$&')}]`;
                i = end;
            }
        }
        else
            source += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    }
    return new RegExp(`^${source}$`);
}
function compileExpression(source, where, problems) {
    try {
        return { source, expr: parseExpression(source) };
    }
    catch (e) {
        if (!(e instanceof ExpressionSyntaxError))
            throw e;
        problems.push(`${where}: cannot parse expression \`${source}\`: ${e.message}`);
        return undefined;
    }
}
function compileEntry(key, value, problems) {
    const where = `'stream_maps.${key}'`;
    const at = (sub) => `'stream_maps.${key}.${sub}'`;
    if (isNullRule(value))
        return { key, selector: key, primary: true, remove: true, includeUnmapped: true, rules: [] };
    if (!isObject(value)) {
        problems.push(`${where} must be an object of property rules, or null (or "${NULL_STRING}") to drop the stream`);
        return undefined;
    }
    const entry = { key, selector: key, primary: true, remove: false, includeUnmapped: true, rules: [] };
    const source = value[SOURCE];
    if (source !== undefined) {
        if (typeof source !== 'string' || source === '')
            problems.push(`${at(SOURCE)} must name the stream to copy`);
        else
            Object.assign(entry, { selector: source, primary: false });
    }
    else if (value[ALIAS] !== undefined) {
        const alias = value[ALIAS];
        if (typeof alias !== 'string' || alias === '')
            problems.push(`${at(ALIAS)} must be the new stream name`);
        else
            entry.alias = alias;
    }
    if (value[FILTER] !== undefined) {
        const filter = value[FILTER];
        if (typeof filter !== 'string')
            problems.push(`${at(FILTER)} must be an expression (a string)`);
        else
            entry.filter = compileExpression(filter, `${at(FILTER)}`, problems);
    }
    if (value[KEY_PROPERTIES] !== undefined) {
        const keys = value[KEY_PROPERTIES];
        if (keys === null)
            entry.keyProperties = null;
        else if (Array.isArray(keys) && keys.every((k) => typeof k === 'string'))
            entry.keyProperties = keys;
        else
            problems.push(`${at(KEY_PROPERTIES)} must be a list of property names, or null for no keys`);
    }
    if (own(value, ELSE)) {
        if (isNullRule(value[ELSE]))
            entry.includeUnmapped = false;
        else
            problems.push(`${at(ELSE)} supports only null (or "${NULL_STRING}"): drop the properties not mapped`);
    }
    for (const [property, rule] of Object.entries(value)) {
        if (OPTIONS.has(property))
            continue;
        if (isNullRule(rule))
            entry.rules.push({ property, drop: true });
        else if (typeof rule === 'string') {
            const expression = compileExpression(rule, `${at(property)}`, problems);
            if (expression)
                entry.rules.push({ property, drop: false, expression });
        }
        else
            problems.push(`${at(property)} must be an expression (a string), or null (or "${NULL_STRING}") to drop the property`);
    }
    return entry;
}
function compile(settings, problems) {
    const maps = settings.stream_maps ?? {};
    const entries = [];
    let dropUnmappedStreams = false;
    if (settings.stream_map_config !== undefined && !isObject(settings.stream_map_config))
        problems.push("'stream_map_config' must be an object");
    for (const [key, value] of Object.entries(maps)) {
        if (key === ELSE) {
            if (isNullRule(value))
                dropUnmappedStreams = true;
            else
                problems.push(`'stream_maps.${ELSE}' supports only null (or "${NULL_STRING}"): drop the streams not mapped`);
            continue;
        }
        if (key.startsWith('__')) {
            problems.push(`'stream_maps.${key}' is not a stream map option (stream-level options are ${ELSE}; ${[...OPTIONS].filter((o) => o !== ELSE).join(', ')} go inside a stream's map)`);
            continue;
        }
        const entry = compileEntry(key, value, problems);
        if (entry)
            entries.push(entry);
    }
    return { entries, dropUnmappedStreams };
}
/** Every problem of the `stream_maps` / `stream_map_config` settings, one line each (for config validation). */
export function streamMapProblems(settings) {
    const problems = [];
    compile(settings, problems);
    return problems;
}
export class StreamMapper {
    entries;
    dropUnmappedStreams;
    mapConfig;
    sources = new Map();
    constructor(settings) {
        const problems = [];
        const compiled = compile(settings, problems);
        if (problems.length > 0)
            throw new ConfigError(problems.join('; '));
        this.entries = compiled.entries;
        this.dropUnmappedStreams = compiled.dropUnmappedStreams;
        this.mapConfig = (settings.stream_map_config ?? {});
    }
    /** True when records of `stream` must go through `mapRecord` (it is dropped, renamed, copied or changed). */
    transforms(stream) {
        return this.sources.get(stream)?.transformed ?? false;
    }
    /** Messages the engine receives for one input message. */
    map(message, line) {
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
    mapSchema(message) {
        const outputs = this.outputsFor(message);
        const properties = new Set(Object.keys(message.schema.properties ?? {}));
        const transformed = !(outputs.length === 1 && outputs[0].entry === undefined && outputs[0].stream === message.stream);
        this.sources.set(message.stream, { properties, outputs, transformed });
        if (!transformed)
            return [message];
        return outputs.map((o) => ({ type: 'SCHEMA', stream: o.stream, schema: o.schema, key_properties: o.keyProperties }));
    }
    mapRecord(message, line) {
        const source = this.sources.get(message.stream);
        // Without a SCHEMA the engine reports the stream; an unchanged stream costs nothing here.
        if (!source || !source.transformed)
            return [message];
        const out = [];
        for (const output of source.outputs) {
            const record = output.entry ? this.transform(output, source, message.record, line, message.stream) : message.record;
            if (record)
                out.push({ ...message, stream: output.stream, record });
        }
        return out;
    }
    mapActivateVersion(message) {
        const source = this.sources.get(message.stream);
        if (!source || !source.transformed)
            return [message];
        return source.outputs.map((o) => ({ ...message, stream: o.stream }));
    }
    // --- schema -------------------------------------------------------------------------------
    /** The SDK's matching: entries in order, primary matches replace the stream's own output, `__source__` ones add outputs. */
    outputsFor(message) {
        const stream = message.stream;
        const keys = message.key_properties ?? [];
        let primary = this.dropUnmappedStreams ? null : { stream, schema: message.schema, keyProperties: keys };
        const extra = [];
        for (const entry of this.entries) {
            const pattern = wildcardPattern(entry.selector);
            if (entry.selector !== stream && !(pattern && pattern.test(stream)))
                continue;
            // A wildcard entry without an alias keeps each stream's own name.
            const name = entry.primary ? (entry.alias ?? stream) : entry.key;
            const output = entry.remove ? null : this.mappedOutput(entry, name, message);
            if (entry.primary)
                primary = output;
            else if (output)
                extra.push(output);
        }
        return primary ? [primary, ...extra] : extra;
    }
    mappedOutput(entry, stream, message) {
        const fail = (problem) => {
            throw new ConfigError(`'stream_maps.${entry.key}' for stream '${message.stream}': ${problem}`);
        };
        const raw = message.schema;
        const rawProperties = (raw.properties ?? {});
        const keyProperties = entry.keyProperties === undefined ? (message.key_properties ?? []) : (entry.keyProperties ?? []);
        const properties = {};
        for (const [name, schema] of Object.entries(rawProperties)) {
            if (entry.includeUnmapped || keyProperties.includes(name))
                setOwn(properties, name, schema);
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
            if (!own(properties, key))
                fail(`key property '${key}' is not in the mapped schema; map it, or set ${KEY_PROPERTIES}`);
        }
        const schema = { ...raw, type: 'object', properties };
        if (Array.isArray(raw.required))
            schema.required = raw.required.filter((r) => typeof r === 'string' && own(properties, r));
        return { stream, schema, keyProperties, entry };
    }
    // --- records ------------------------------------------------------------------------------
    transform(output, source, record, line, stream) {
        const entry = output.entry;
        if (entry.filter && !truthy(this.run(entry, entry.filter, FILTER, record, source, line, stream)))
            return undefined;
        const result = {};
        for (const [name, value] of Object.entries(record)) {
            if (entry.includeUnmapped || output.keyProperties.includes(name))
                setOwn(result, name, value);
        }
        for (const rule of entry.rules) {
            if (rule.drop)
                delete result[rule.property];
            else
                setOwn(result, rule.property, toRecordValue(this.run(entry, rule.expression, rule.property, record, source, line, stream)));
        }
        return result;
    }
    /** Evaluates one rule; a failure names the rule as the config does, the expression, the line and the stream. */
    run(entry, expression, property, record, source, line, stream) {
        try {
            return evaluate(expression.expr, new RecordScope(record, source.properties, this.mapConfig, property));
        }
        catch (e) {
            // A RangeError is V8 refusing a string or stack that large: the expression's fault, reported as such.
            if (!(e instanceof MapEvaluationError) && !(e instanceof RangeError))
                throw e;
            const reason = e instanceof RangeError ? `MemoryError: ${e.message}` : e.message;
            throw new InputError(`Stream map 'stream_maps.${entry.key}.${property}': expression \`${expression.source}\` failed: ${reason}`, { line, stream });
        }
    }
}
/** Names an expression sees, read on demand (no per-record copy of the record). */
class RecordScope {
    names;
    constructor(record, declared, config, property) {
        const value = (name) => {
            if (own(record, name))
                return record[name];
            // Taps often omit null properties; a declared property reads as None rather than failing.
            return declared.has(name) ? null : undefined;
        };
        this.names = {
            get(name) {
                switch (name) {
                    case 'record':
                    case '_':
                        return record;
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
//# sourceMappingURL=stream-mapper.js.map