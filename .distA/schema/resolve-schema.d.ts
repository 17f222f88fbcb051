import type { JsonSchema } from '../singer/messages.js';
type Where = {
    stream: string;
    line?: number;
};
/** Deeper schemas are refused: no real stream nests this far, and the walk must stay bounded. */
export declare const MAX_SCHEMA_DEPTH = 100;
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
export declare function resolveSchema(schema: JsonSchema, where: Where): JsonSchema;
export {};
