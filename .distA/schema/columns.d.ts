import type { JsonSchema } from '../singer/messages.js';
/** Spark column types the target creates. */
export type SparkType = 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'STRING' | 'TIMESTAMP' | 'DATE' | DecimalType;
export type DecimalType = `DECIMAL(${number},${number})`;
/** Spark's widest exact decimal; every decimal column gets it, so a narrower schema later never needs a change. */
export declare const DECIMAL_PRECISION = 38;
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
}
export declare function decimalType(scale: number): DecimalType;
/**
 * Chooses how a property is stored. Mixed types fall back to STRING so no value is rejected;
 * objects and arrays are kept whole as JSON text. A date-time is a TIMESTAMP only when every
 * string it may be is a date-time: `anyOf [date-time, string]` also allows `"n/a"`, so it is text.
 */
export declare function valueKindFor(schema: JsonSchema): ValueKind;
/**
 * The scale of a decimal column, or undefined for a DOUBLE. A `number` with `multipleOf` has
 * exact values: `multipleOf: 0.01` gives scale 2 (the digits after the point of multipleOf). The
 * column is DECIMAL(38, scale) unless `maximum`/`minimum` (or their exclusive forms) allow more
 * integer digits than the 38 - scale left, as for PostgreSQL's unconstrained `numeric`
 * (multipleOf 1e-38, maximum 1e38): no exact Spark type holds those, so they stay DOUBLE.
 */
export declare function decimalScale(schema: JsonSchema | undefined): number | undefined;
export declare function columnOf(path: readonly string[], kind: ValueKind, scale?: number, maxKeyLength?: number): Column;
/** The column of one property schema. */
export declare function columnFor(path: readonly string[], schema: JsonSchema, maxKeyLength?: number): Column;
/** The table columns of a stream schema, in the order the tap lists its properties. */
export declare function columnsFor(schema: JsonSchema, stream: string, flatteningMaxLevel?: number, line?: number, flatteningMaxKeyLength?: number): Column[];
