import { InputError } from '../errors.js';
import type { JsonSchema } from '../singer/messages.js';
import { flattenSchema, flattenedKey } from './flatten.js';
import { columnKey, columnNameFor } from './naming.js';
import type { StreamColumnTypes } from './column-types.js';
import { resolveSchema } from './resolve-schema.js';
import { decimalParts, fractionDigits, integerDigits, plainText } from '../singer/decimal-text.js';

/** Spark column types the target creates. */
export type SparkType = 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'STRING' | 'TIMESTAMP' | 'DATE' | DecimalType;
export type DecimalType = `DECIMAL(${number},${number})`;

/** Spark's widest exact decimal; every decimal column gets it, so a narrower schema later never needs a change. */
export const DECIMAL_PRECISION = 38;

/**
 * How a record value becomes a staged value: `json` columns hold objects and arrays as JSON text,
 * `timestamp` and `date` values are normalised to UTC text and `decimal` values to exact decimal
 * text, cast by Spark when loaded.
 */
export type ValueKind = 'integer' | 'number' | 'decimal' | 'boolean' | 'string' | 'timestamp' | 'date' | 'json';

export interface Column {
  /** Record property the value comes from; nested properties are joined with `__`. */
  readonly property: string;
  /** Path of the value in the record (one step unless flattened). */
  readonly path: readonly string[];
  /** Column name in the table. */
  readonly name: string;
  readonly type: SparkType;
  readonly kind: ValueKind;
  /** For `decimal`: digits after the decimal point. */
  readonly scale?: number;
  /** For `decimal`: digits in all (38 unless a setting or the schema's bounds choose fewer). */
  readonly precision?: number;
}

const KIND_TYPES: Record<Exclude<ValueKind, 'decimal'>, SparkType> = {
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  string: 'STRING',
  timestamp: 'TIMESTAMP',
  date: 'DATE',
  json: 'STRING',
};

export function decimalType(scale: number, precision = DECIMAL_PRECISION): DecimalType {
  return `DECIMAL(${precision},${scale})`;
}

const DECIMAL_TYPE = /^DECIMAL\((\d+),(\d+)\)$/;

/** Precision and scale of a type as decimalType writes it (and normaliseType gives it), or undefined for another type. */
export function decimalOf(type: string): { precision: number; scale: number } | undefined {
  const match = DECIMAL_TYPE.exec(type);
  return match ? { precision: Number(match[1]), scale: Number(match[2]) } : undefined;
}

/** What a property schema says about its values: JSON types (`null` left out) and the keywords that choose a column type. */
interface TypeInfo {
  types: Set<string>;
  /** Formats of the branches that allow strings; `undefined` inside stands for a string branch without format. */
  stringFormats: Set<string | undefined>;
  /** The schema that carries the number keywords (multipleOf, maximum, minimum). */
  numberSchema?: JsonSchema;
  /** The first schema allowing integers that gives a minimum or maximum. */
  integerBounds?: JsonSchema;
}

function typesOf(schema: JsonSchema, info: TypeInfo = { types: new Set(), stringFormats: new Set() }): TypeInfo {
  const own = new Set<string>();
  const add = (t: unknown) => {
    if (typeof t === 'string' && t !== 'null') own.add(t);
  };
  if (Array.isArray(schema.type)) schema.type.forEach(add);
  else add(schema.type);
  own.forEach((t) => info.types.add(t));
  if (own.has('string')) info.stringFormats.add(typeof schema.format === 'string' ? schema.format : undefined);
  if ((own.has('number') || own.has('integer')) && info.numberSchema === undefined && schema.multipleOf !== undefined) info.numberSchema = schema;
  if (own.has('integer') && info.integerBounds === undefined && (schema.minimum !== undefined || schema.maximum !== undefined)) info.integerBounds = schema;
  for (const option of [...arrayOf(schema.anyOf), ...arrayOf(schema.oneOf)]) typesOf(option, info);
  return info;
}

function arrayOf(value: unknown): JsonSchema[] {
  return Array.isArray(value) ? (value as JsonSchema[]) : [];
}

/**
 * Chooses how a property is stored. Mixed types fall back to STRING so no value is rejected;
 * objects and arrays are kept whole as JSON text. A date-time is a TIMESTAMP only when every
 * string it may be is a date-time: `anyOf [date-time, string]` also allows `"n/a"`, so it is text.
 */
export function valueKindFor(schema: JsonSchema): ValueKind {
  const { types, stringFormats, numberSchema } = typesOf(schema);
  if (types.has('object') || types.has('array')) return 'json';
  const numeric = types.size > 0 && [...types].every((t) => t === 'integer' || t === 'number');
  if (numeric && types.has('number')) return decimalScale(numberSchema) !== undefined ? 'decimal' : 'number';
  if (types.size > 1) return 'string';
  const [only] = types;
  switch (only) {
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'string': {
      const [format] = stringFormats;
      if (stringFormats.size !== 1) return 'string';
      if (format === 'date-time') return 'timestamp';
      if (format === 'date') return 'date';
      return 'string';
    }
    default:
      return 'string';
  }
}

/**
 * The scale of a decimal column, or undefined for a DOUBLE. A `number` with `multipleOf` has
 * exact values: `multipleOf: 0.01` gives scale 2 (the digits after the point of multipleOf). The
 * column is DECIMAL(38, scale) unless `maximum`/`minimum` (or their exclusive forms) allow more
 * integer digits than the 38 - scale left, as for PostgreSQL's unconstrained `numeric`
 * (multipleOf 1e-38, maximum 1e38): no exact Spark type holds those, so they stay DOUBLE.
 */
export function decimalScale(schema: JsonSchema | undefined): number | undefined {
  if (schema === undefined) return undefined;
  const step = decimalParts(String(schema.multipleOf));
  if (!step || step.digits === '' || step.negative) return undefined;
  const scale = fractionDigits(step);
  if (scale > DECIMAL_PRECISION) return undefined;
  let integer = 0;
  for (const keyword of ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum']) {
    const bound = schema[keyword];
    if (typeof bound === 'boolean' || bound === undefined) continue;
    const parts = decimalParts(String(bound));
    if (!parts) continue;
    // An exclusive bound of 10^k needs k integer digits, an inclusive one k + 1.
    const exclusive = keyword.startsWith('exclusive') || schema[keyword.includes('aximum') ? 'exclusiveMaximum' : 'exclusiveMinimum'] === true;
    const powerOfTen = parts.digits === '1';
    integer = Math.max(integer, integerDigits(parts) - (exclusive && powerOfTen ? 1 : 0));
  }
  return integer + scale > DECIMAL_PRECISION ? undefined : scale;
}

/** A column of `kind` for the value at `path` (named like `like` when given: the same property, another type). */
export function columnOf(path: readonly string[], kind: ValueKind, scale = 0, maxKeyLength?: number, precision = DECIMAL_PRECISION, like?: Pick<Column, 'property' | 'name'>): Column {
  const property = like?.property ?? flattenedKey(path, maxKeyLength);
  const name = like?.name ?? columnNameFor(property);
  if (kind === 'decimal') return { property, path, name, type: decimalType(scale, precision), kind, scale, precision };
  return { property, path, name, type: KIND_TYPES[kind], kind };
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The digits an integer column needs when its schema's bounds leave the 64-bit range (as
 * pipelinewise-tap-mysql declares BIGINT UNSIGNED: minimum 0, maximum 18446744073709551615), else
 * undefined (BIGINT holds every value).
 */
function integerDigitsBeyondInt64(schema: JsonSchema | undefined): number | undefined {
  if (schema === undefined) return undefined;
  let digits = 0;
  let beyond = false;
  for (const keyword of ['minimum', 'maximum']) {
    const bound = schema[keyword];
    const parts = typeof bound === 'number' || typeof bound === 'bigint' || typeof bound === 'object' ? decimalParts(String(bound)) : undefined;
    if (!parts) continue;
    const whole = BigInt(plainText(parts).split('.')[0]!);
    if (whole < INT64_MIN || whole > INT64_MAX) beyond = true;
    digits = Math.max(digits, integerDigits(parts));
  }
  return beyond ? digits : undefined;
}

/**
 * The column of one property schema. A type chosen in the settings (`column_types`) wins; else
 * the schema decides, and a plain `number` takes `default_number_type` when set. An integer whose
 * bounds leave 64 bits gets DECIMAL(digits,0), or STRING beyond 38 digits (no exact number type).
 */
function columnFor(path: readonly string[], schema: JsonSchema, maxKeyLength?: number, types?: StreamColumnTypes): Column {
  const kind = valueKindFor(schema);
  const chosen = types?.properties.get(flattenedKey(path, maxKeyLength)) ?? (kind === 'number' ? types?.defaultNumber : undefined);
  if (chosen) {
    // Objects and arrays chosen as STRING stay JSON text.
    const chosenKind = chosen.kind === 'string' && kind === 'json' ? 'json' : chosen.kind;
    return columnOf(path, chosenKind, chosen.scale, maxKeyLength, chosen.precision);
  }
  if (kind === 'integer') {
    const digits = integerDigitsBeyondInt64(typesOf(schema).integerBounds);
    if (digits !== undefined) return digits > DECIMAL_PRECISION ? columnOf(path, 'string', 0, maxKeyLength) : columnOf(path, 'decimal', 0, maxKeyLength, digits);
  }
  return columnOf(path, kind, kind === 'decimal' ? decimalScale(typesOf(schema).numberSchema) : 0, maxKeyLength);
}

/** The table columns of a stream schema, in the order the tap lists its properties. */
export function columnsFor(schema: JsonSchema, stream: string, flatteningMaxLevel = 0, line?: number, flatteningMaxKeyLength?: number, types?: StreamColumnTypes): Column[] {
  const where = line === undefined ? { stream } : { line, stream };
  const columns: Column[] = [];
  const byName = new Map<string, string>();
  for (const { path, schema: propertySchema } of flattenSchema(resolveSchema(schema, where), flatteningMaxLevel)) {
    if (path.some((step) => step === '')) {
      throw new InputError(`The stream schema has a property with an empty name${path.length > 1 ? ` inside '${path.slice(0, -1).join('.')}'` : ''}; a column needs a name, rename it in the tap`, where);
    }
    const column = columnFor(path, propertySchema, flatteningMaxKeyLength, types);
    const clash = byName.get(columnKey(column.name));
    if (clash !== undefined) {
      throw new InputError(
        `Properties '${clash}' and '${column.property}' both map to column ${column.name} (Spark column names are case-insensitive); rename one in the tap`,
        where,
      );
    }
    byName.set(columnKey(column.name), column.property);
    columns.push(column);
  }
  if (columns.length === 0) throw new InputError('The stream schema has no properties, so its table would have no columns', where);
  return columns;
}
