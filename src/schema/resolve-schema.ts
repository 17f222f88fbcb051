import { isObject } from '../singer/json.js';
import { InputError } from '../errors.js';
import type { JsonSchema } from '../singer/messages.js';

type Where = { stream: string; line?: number };

/** Deeper schemas are refused: no real stream nests this far, and the walk must stay bounded. */
const MAX_SCHEMA_DEPTH = 100;

/**
 * Pure: the stream schema as columns see it, with local `$ref` (`#/definitions/...`, `#/$defs/...`,
 * any JSON pointer into the schema) replaced by what they point to and `allOf` merged into one
 * schema. Only the keywords that decide columns are followed (properties, anyOf, oneOf); the
 * record validator still reads the schema as sent, with full JSON Schema meaning. A reference
 * back into itself (a tree of nodes) stops where it recurses: it keeps its type and format, so an
 * object stays one JSON column. References to other documents are refused: the target never
 * fetches schemas from elsewhere.
 *
 * Hand-written rather than a dereferencing library: those resolve files and URLs (which a tap's
 * schema must not make the target read) and are asynchronous, while this needs only JSON pointers.
 */
export function resolveSchema(schema: JsonSchema, where: Where): JsonSchema {
  const resolve = (node: unknown, depth: number, refs: readonly string[]): JsonSchema => {
    if (depth > MAX_SCHEMA_DEPTH) {
      throw new InputError(`The stream schema nests deeper than ${MAX_SCHEMA_DEPTH} levels (properties, $ref or allOf); flatten it in the tap`, where);
    }
    if (!isObject(node)) return {};
    let current: Record<string, unknown> = node;
    const ref = current.$ref;
    if (typeof ref === 'string') {
      const { $ref: _ignored, ...siblings } = current;
      if (refs.includes(ref)) return shallow(pointer(schema, ref, where));
      const target = resolve(pointer(schema, ref, where), depth + 1, [...refs, ref]);
      current = Object.keys(siblings).length === 0 ? target : merge([target, resolve(siblings, depth + 1, refs)]);
      return current as JsonSchema;
    }
    const out: Record<string, unknown> = { ...current };
    if (isObject(current.properties)) {
      const properties: Record<string, JsonSchema> = {};
      for (const [name, child] of Object.entries(current.properties)) {
        Object.defineProperty(properties, name, { value: resolve(child, depth + 1, refs), enumerable: true, writable: true, configurable: true });
      }
      out.properties = properties;
    }
    for (const keyword of ['anyOf', 'oneOf'] as const) {
      const options = current[keyword];
      if (Array.isArray(options)) out[keyword] = options.map((o) => resolve(o, depth + 1, refs));
    }
    if (Array.isArray(current.allOf)) {
      const { allOf, ...rest } = out;
      return merge([rest as JsonSchema, ...(allOf as unknown[]).map((o) => resolve(o, depth + 1, refs))]);
    }
    return out as JsonSchema;
  };
  return resolve(schema, 0, []);
}

/** The schema a local reference points to (RFC 6901 pointer after `#`). */
function pointer(root: JsonSchema, ref: string, where: Where): unknown {
  if (!ref.startsWith('#')) {
    throw new InputError(`The stream schema refers to another document ('$ref': '${ref}'); only references inside the schema (#/definitions/..., #/$defs/...) are resolved`, where);
  }
  let node: unknown = root;
  const path = ref.slice(1);
  if (path === '') return root;
  for (const raw of path.replace(/^\//, '').split('/')) {
    const step = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) && !Array.isArray(node)) node = undefined;
    else node = Object.hasOwn(node, step) ? (node as Record<string, unknown>)[step] : undefined;
    if (node === undefined) throw new InputError(`The stream schema's '$ref': '${ref}' points to nothing`, where);
  }
  return node;
}

/** A recursive reference's target without what recurses: its type and format still choose the column. */
function shallow(node: unknown): JsonSchema {
  if (!isObject(node)) return {};
  const out: JsonSchema = {};
  if (node.type !== undefined) out.type = node.type as JsonSchema['type'];
  if (typeof node.format === 'string') out.format = node.format;
  return out;
}

/**
 * `allOf` as one schema: a value must match every branch, so types intersect, properties of all
 * branches are combined (the same property in two branches merged again), and for other keywords
 * the first branch that sets one wins.
 */
function merge(branches: readonly JsonSchema[]): JsonSchema {
  const out: Record<string, unknown> = {};
  let types: Set<string> | undefined;
  const properties = new Map<string, JsonSchema[]>();
  for (const branch of branches) {
    for (const [keyword, value] of Object.entries(branch)) {
      if (keyword === 'type') {
        const these = new Set(Array.isArray(value) ? (value as string[]) : [value as string]);
        types = types === undefined ? these : intersect(types, these);
      } else if (keyword === 'properties' && isObject(value)) {
        for (const [name, child] of Object.entries(value)) properties.set(name, [...(properties.get(name) ?? []), child as JsonSchema]);
      } else if (!Object.hasOwn(out, keyword)) {
        out[keyword] = value;
      }
    }
  }
  if (types !== undefined) out.type = [...types];
  if (properties.size > 0) {
    const merged: Record<string, JsonSchema> = {};
    for (const [name, list] of properties) {
      Object.defineProperty(merged, name, { value: list.length === 1 ? list[0] : merge(list), enumerable: true, writable: true, configurable: true });
    }
    out.properties = merged;
  }
  return out as JsonSchema;
}

/** Types both sides allow; an integer is also a number. */
function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const t of a) {
    if (b.has(t)) out.add(t);
    else if ((t === 'number' && b.has('integer')) || (t === 'integer' && b.has('number'))) out.add('integer');
  }
  return out;
}

