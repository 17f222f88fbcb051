/**
 * Pure: turns values decoded from a Parquet batch file into what the same record would hold had
 * it arrived as a JSON line, so BATCH records take the ordinary RECORD path unchanged. Dates and
 * timestamps become ISO text (a Singer `date-time` is a string), 64-bit integers become numbers
 * when they are exact as numbers and stay BigInt otherwise (as parseJson hands them over), bytes
 * become base64 text.
 */
/**
 * ISO 8601 UTC text of a count of `unitsPerSecond` units since the epoch, with microsecond digits:
 * JS Date would cut Parquet's microseconds to milliseconds, and the target keeps microseconds.
 * Nanoseconds are truncated to microseconds (what Spark TIMESTAMP stores).
 */
export declare function isoTimestamp(units: bigint, unitsPerSecond: bigint): string;
/** `YYYY-MM-DD` of a Parquet DATE (days since the epoch). */
export declare function isoDate(days: number): string;
/**
 * The decimal as the nearest double to its exact value. The reader computes `unscaled * 10^-scale`
 * in floating point, which is off by an ulp for values like 0.3 (0.30000000000000004); rounding
 * to `scale` digits restores the double a JSON tap would have sent.
 */
export declare function roundDecimal(value: number, scale: number): number;
/** A record value in the shape the JSON path produces (recursively for lists and structs). */
export declare function jsonShaped(value: unknown): unknown;
