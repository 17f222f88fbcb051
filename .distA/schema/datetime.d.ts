/**
 * Date and time normalisation for staging. Spark casts `YYYY-MM-DD HH:MM:SS.ffffffZ` text exactly,
 * so every accepted timestamp is rewritten to that UTC form here. Accepted: RFC 3339 and the ISO
 * 8601 forms taps emit — `T`, `t` or a space between date and time, seconds optional, a fraction of
 * any length after `.` or `,` (kept to the microsecond, what Spark stores; JS Date would cut it to
 * milliseconds), `Z` or an offset `±hh:mm`/`±hhmm`/`±hh` (none: UTC), the basic format
 * `20200101T000000Z`, `24:00:00` (the end of the day, i.e. the next day's midnight) and the leap
 * second `:60` (stored as `:59.999999`, the last storable instant of that minute, so the order of
 * values is kept). Anything else — an offset of `+99:99`, text after the value, a 13th month — is
 * invalid and refused; nothing is guessed.
 */
/** Largest value Spark and Iceberg store; the original target used it for out-of-range input. */
export declare const MAX_TIMESTAMP = "9999-12-31 23:59:59.999999Z";
export declare const MAX_DATE = "9999-12-31";
/**
 * `invalid`: not a date-time. `beyond-9999`: a well-formed value after the year 9999, which Spark
 * does not store; the caller stores the largest value instead (the original target's rule).
 */
export type TimestampResult = {
    ok: true;
    value: string;
} | {
    ok: false;
    problem: 'invalid' | 'beyond-9999';
};
export declare function normaliseTimestamp(text: string): TimestampResult;
/** `YYYY-MM-DD` of a date or a date-time value (the calendar date as written, no zone shift). */
export declare function normaliseDate(text: string): TimestampResult;
export declare function daysIn(year: number, month: number): number;
/**
 * The staged text of the form nearly every tap sends, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, checked
 * and rewritten by character position (no regular expression, no Date); undefined for any other
 * form or an out-of-range field, which then takes the full rules of normaliseTimestamp (which
 * also refuses the invalid ones).
 */
export declare function fastUtcTimestamp(text: string): string | undefined;
/** The decimal value of `length` digits at `start`, or -1 if one of them is not a digit. */
export declare function digits(text: string, start: number, length: number): number;
