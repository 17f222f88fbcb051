/**
 * A byte-level reader for the one message shape that makes up nearly every line of a real input:
 * a RECORD whose `record` is an object. It checks the line's JSON syntax completely and finds the
 * spans of the record's top-level values without building any object, so the record path can
 * stage most values straight from the input bytes (see StreamSink.addScanned): no UTF-8 decoding
 * of the line, no JSON.parse, no garbage per value.
 *
 * It answers only when the answer is certain, and says no (returns false) otherwise; the line
 * then takes the ordinary path (parseMessage), which owns every rule and every error message.
 * Invariants (test/unit/record-scan.test.ts checks them over generated lines):
 *
 *  K1  Only valid JSON is accepted: a line the scanner accepts, JSON.parse accepts.
 *  K2  An accepted line is a RECORD as parseMessage reads it: `type` is exactly "RECORD",
 *      `stream` a non-empty string, `record` an object, and the fields are those of
 *      `JSON.parse(line).record` (a repeated key: the last one counts, as in JSON.parse).
 *  K3  A field's span holds exactly its value: a string token's bytes between the quotes are its
 *      UTF-8 text when it has no escapes; any other token parses (JSON.parse) to the value.
 *  K4  `canonical` is only set for a token whose text is what JSON.stringify writes for its value.
 *  K5  Lines the ordinary path reads differently are refused: numbers of 16 or more digits
 *      (parsed exactly there, see json.ts), nesting deeper than SCAN_MAX_DEPTH, a `version`, a
 *      string `time_extracted` with escapes, keys with escapes, a repeated top-level key.
 */
/** A string without escapes: the bytes between its quotes are its text. */
export declare const TOKEN_STRING = 1;
/** A string with at least one escape. */
export declare const TOKEN_ESCAPED = 2;
/** An integer of at most 15 digits, no fraction or exponent: exact as a double. */
export declare const TOKEN_INTEGER = 3;
/** Any other number. */
export declare const TOKEN_NUMBER = 4;
export declare const TOKEN_TRUE = 5;
export declare const TOKEN_FALSE = 6;
export declare const TOKEN_NULL = 7;
export declare const TOKEN_OBJECT = 8;
export declare const TOKEN_ARRAY = 9;
/** Deeper lines take the ordinary path, which refuses beyond MAX_NESTING (messages.ts). */
export declare const SCAN_MAX_DEPTH = 64;
/** The result of scanning one line; reused from line to line (grown as needed). */
export declare class ScannedRecord {
    bytes: Buffer;
    streamStart: number;
    streamEnd: number;
    /** Span of `time_extracted` (the text between the quotes), or -1 when the message has none. */
    extractedStart: number;
    extractedEnd: number;
    /** Number of fields of the record (a repeated key counts each time). */
    fields: number;
    keyStart: Int32Array<ArrayBuffer>;
    keyEnd: Int32Array<ArrayBuffer>;
    /** For strings the text between the quotes, for other tokens the whole token. */
    valueStart: Int32Array<ArrayBuffer>;
    valueEnd: Int32Array<ArrayBuffer>;
    kind: Uint8Array<ArrayBuffer>;
    /** 1 when the token's text is exactly JSON.stringify(JSON.parse(text)) (K4). */
    canonical: Uint8Array<ArrayBuffer>;
    grow(): void;
}
/**
 * Scans `bytes[start, end)` (one line, without its newline) into `out`. True when the line is a
 * RECORD in the sense of K2; false when the ordinary path must read it.
 */
export declare function scanRecordLine(bytes: Buffer, start: number, end: number, out: ScannedRecord): boolean;
/**
 * True when the line holds a run of 16 or more characters of digits and '.' with 16 digits in it:
 * the lines parseJson reads with lossless-json. The same sampling as hasLongDigitRun (json.ts),
 * on bytes: digits and '.' are ASCII, and no byte of a multi-byte UTF-8 character is one of them,
 * so runs are the same in bytes and characters.
 */
export declare function hasLongNumber(b: Uint8Array, start: number, end: number): boolean;
