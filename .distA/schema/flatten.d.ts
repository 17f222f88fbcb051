import type { JsonSchema } from '../singer/messages.js';
/** One leaf of a (possibly nested) stream schema: its path in the record and its schema. */
export interface FlatProperty {
    path: readonly string[];
    schema: JsonSchema;
}
export declare const FLATTEN_SEPARATOR = "__";
/**
 * The properties that become columns. Objects with declared properties are opened up to
 * `maxLevel` levels deep (`parent__child`); deeper objects, objects without declared properties
 * and arrays stay whole as JSON, so no value is lost.
 */
export declare function flattenSchema(schema: JsonSchema, maxLevel: number, parent?: readonly string[]): FlatProperty[];
/**
 * The name of a flattened property: its path joined with `__`. With a maximum key length (the
 * SDK's `flattening_max_key_length`), a name that reaches it is shortened as the SDK does: path
 * steps, outermost first, are abbreviated to their initials (`customer_address` -> `ca`, or the
 * first three letters when there is a single word) until the name is short enough. Top-level
 * properties are the tap's own names and are never shortened.
 */
export declare function flattenedKey(path: readonly string[], maxKeyLength?: number): string;
/** The value at `path`, or undefined when a step is missing or not an object. */
export declare function valueAt(record: Record<string, unknown>, path: readonly string[]): unknown;
