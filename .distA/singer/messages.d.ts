/** JSON Schema as sent by a tap; only the parts the target reads are typed. */
export interface JsonSchema {
    type?: string | string[];
    format?: string;
    properties?: Record<string, JsonSchema>;
    items?: JsonSchema;
    anyOf?: JsonSchema[];
    [keyword: string]: unknown;
}
export type SchemaMessage = {
    type: 'SCHEMA';
    stream: string;
    schema: JsonSchema;
    /** `[]` when the message has none (see parseMessage). */
    key_properties: string[];
};
export type RecordMessage = {
    type: 'RECORD';
    stream: string;
    record: Record<string, unknown>;
    time_extracted?: string;
    version?: number;
};
export type StateMessage = {
    type: 'STATE';
    value: unknown;
};
export type ActivateVersionMessage = {
    type: 'ACTIVATE_VERSION';
    stream: string;
    version: number;
};
export type UnknownMessage = {
    type: 'UNKNOWN';
    rawType: string;
};
/** A BATCH message, checked in detail by batching/batch-messages.ts. */
export type BatchEnvelope = {
    type: 'BATCH';
    stream: string;
    raw: Record<string, unknown>;
};
export type SingerMessage = SchemaMessage | RecordMessage | StateMessage | ActivateVersionMessage | BatchEnvelope | UnknownMessage;
/** Messages nesting deeper than this are refused: no real record does, and every later step walks values recursively. */
export declare const MAX_NESTING = 100;
export interface ParseOptions {
    /** Receives warnings about messages accepted leniently (a SCHEMA without key_properties). */
    warn?: (message: string) => void;
}
/**
 * Parses one input line into a typed message. Returns undefined for a blank line (taps and shells
 * emit them). Errors name the line number, and the stream when it is known, so the user can find
 * the bad message in the tap's output. Parsed objects are plain data: every later lookup of a
 * property uses own properties only, so names like `constructor` or `__proto__` are just names.
 */
export declare function parseMessage(line: string, lineNumber: number, options?: ParseOptions): SingerMessage | undefined;
