import type { JsonSchema } from '../singer/messages.js';
export type Validate = (record: unknown) => string | undefined;
/**
 * Compiles a stream schema into a validator that returns the first problem in words (field path
 * and rule), or undefined for a valid record. Taps add keywords of their own (`inclusion`, ...),
 * so unknown keywords are ignored.
 */
export declare function compileValidator(schema: JsonSchema, stream: string): Validate;
