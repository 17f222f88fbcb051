import type { JsonSchema } from '../singer/messages.js';

/** One leaf of a (possibly nested) stream schema: its path in the record and its schema. */
export interface FlatProperty {
  path: readonly string[];
  schema: JsonSchema;
}

const FLATTEN_SEPARATOR = '__';

function isObjectWithProperties(schema: JsonSchema): boolean {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.includes('object') && typeof schema.properties === 'object' && schema.properties !== null && Object.keys(schema.properties).length > 0;
}

/**
 * The properties that become columns. Objects with declared properties are opened up to
 * `maxLevel` levels deep (`parent__child`); deeper objects, objects without declared properties
 * and arrays stay whole as JSON, so no value is lost.
 */
export function flattenSchema(schema: JsonSchema, maxLevel: number, parent: readonly string[] = []): FlatProperty[] {
  const flat: FlatProperty[] = [];
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    const path = [...parent, name];
    const childSchema = child ?? {};
    if (parent.length < maxLevel && isObjectWithProperties(childSchema)) flat.push(...flattenSchema(childSchema, maxLevel, path));
    else flat.push({ path, schema: childSchema });
  }
  return flat;
}

/**
 * The name of a flattened property: its path joined with `__`. With a maximum key length (the
 * SDK's `flattening_max_key_length`), a name that reaches it is shortened as the SDK does: path
 * steps, outermost first, are abbreviated to their initials (`customer_address` -> `ca`, or the
 * first three letters when there is a single word) until the name is short enough. Top-level
 * properties are the tap's own names and are never shortened.
 */
export function flattenedKey(path: readonly string[], maxKeyLength?: number): string {
  const parts = [...path];
  if (maxKeyLength === undefined || parts.length < 2) return parts.join(FLATTEN_SEPARATOR);
  for (let i = 0; i < parts.length && parts.join(FLATTEN_SEPARATOR).length >= maxKeyLength; i += 1) {
    const part = parts[i]!;
    const initials = part.replace(/(?:^|_)(.)/g, (_m, c: string) => c.toUpperCase()).replace(/[a-z]/g, '');
    parts[i] = (initials.length > 1 ? initials : part.slice(0, 3)).toLowerCase();
  }
  return parts.join(FLATTEN_SEPARATOR);
}

/** The value at `path`, or undefined when a step is missing or not an object. */
export function valueAt(record: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = record;
  for (const step of path) {
    // Own properties only: a record without `constructor` has no value for it, whatever Object.prototype holds.
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, step)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}
