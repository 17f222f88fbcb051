import type { JsonSchema } from '../singer/messages.js';

/** One leaf of a (possibly nested) stream schema: its path in the record and its schema. */
export interface FlatProperty {
  path: readonly string[];
  schema: JsonSchema;
}

export const FLATTEN_SEPARATOR = '__';

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
