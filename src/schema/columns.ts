import { InputError } from '../errors.js';
import type { JsonSchema } from '../singer/messages.js';
import { flattenSchema, flattenedKey } from './flatten.js';
import { columnNameFor } from './naming.js';

/** Spark column types the target creates. */
export type SparkType = 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'STRING' | 'TIMESTAMP' | 'DATE';

/**
 * How a record value becomes a staged value: `json` columns hold objects and arrays as JSON text,
 * `timestamp` and `date` values are normalised to UTC text and cast by Spark when loaded.
 */
export type ValueKind = 'integer' | 'number' | 'boolean' | 'string' | 'timestamp' | 'date' | 'json';

export interface Column {
  /** Record property the value comes from; nested properties are joined with `__`. */
  readonly property: string;
  /** Path of the value in the record (one step unless flattened). */
  readonly path: readonly string[];
  /** Column name in the table. */
  readonly name: string;
  readonly type: SparkType;
  readonly kind: ValueKind;
}

export const KIND_TYPES: Record<ValueKind, SparkType> = {
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  string: 'STRING',
  timestamp: 'TIMESTAMP',
  date: 'DATE',
  json: 'STRING',
};

/** The JSON types a property may take, `null` left out, and the format that applies. */
function typesOf(schema: JsonSchema): { types: Set<string>; format?: string } {
  const types = new Set<string>();
  let format = schema.format;
  const add = (t: unknown) => {
    if (typeof t === 'string' && t !== 'null') types.add(t);
  };
  if (Array.isArray(schema.type)) schema.type.forEach(add);
  else add(schema.type);
  for (const option of [...(schema.anyOf ?? []), ...((schema.oneOf as JsonSchema[] | undefined) ?? [])]) {
    const inner = typesOf(option);
    inner.types.forEach(add);
    if (format === undefined && inner.types.has('string')) format = inner.format;
  }
  return format === undefined ? { types } : { types, format };
}

/**
 * Chooses how a property is stored. Mixed types fall back to STRING so no value is rejected;
 * objects and arrays are kept whole as JSON text.
 */
export function valueKindFor(schema: JsonSchema): ValueKind {
  const { types, format } = typesOf(schema);
  if (types.has('object') || types.has('array')) return 'json';
  if (types.size === 2 && types.has('integer') && types.has('number')) return 'number';
  if (types.size > 1) return 'string';
  const [only] = types;
  switch (only) {
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'string':
      if (format === 'date-time') return 'timestamp';
      if (format === 'date') return 'date';
      return 'string';
    default:
      return 'string';
  }
}

export function columnOf(path: readonly string[], kind: ValueKind, maxKeyLength?: number): Column {
  const property = flattenedKey(path, maxKeyLength);
  return { property, path, name: columnNameFor(property), type: KIND_TYPES[kind], kind };
}

/** The table columns of a stream schema, in the order the tap lists its properties. */
export function columnsFor(schema: JsonSchema, stream: string, flatteningMaxLevel = 0, flatteningMaxKeyLength?: number): Column[] {
  const columns: Column[] = [];
  const byName = new Map<string, string>();
  for (const { path, schema: propertySchema } of flattenSchema(schema, flatteningMaxLevel)) {
    const column = columnOf(path, valueKindFor(propertySchema), flatteningMaxKeyLength);
    const clash = byName.get(column.name);
    if (clash !== undefined) {
      throw new InputError(
        `Properties '${clash}' and '${column.property}' both map to column ${column.name} (Spark column names are case-insensitive); rename one in the tap`,
        { stream },
      );
    }
    byName.set(column.name, column.property);
    columns.push(column);
  }
  if (columns.length === 0) throw new InputError('The stream schema has no properties, so its table would have no columns', { stream });
  return columns;
}
