import type { JsonSchema } from '../singer/messages.js';
import type { Expr } from './expression.js';
export interface TypeContext {
    /** The source stream's schema (names and `record[...]` read from it). */
    readonly source: JsonSchema;
    /** Schema of the property being replaced, for `self`. */
    readonly self?: JsonSchema;
}
export declare function inferSchema(expr: Expr, context: TypeContext): JsonSchema | undefined;
