/** The value of a TOKEN_INTEGER (`-?digits`, at most 15 digits). */
export declare function integerAt(b: Uint8Array, start: number, end: number): number;
/**
 * The double of a decimal `-?digits.digits` of at most 15 digits in all, or undefined for other
 * forms (an exponent, more digits). The digits are an integer below 2^53 and 10^k is exact, so one
 * IEEE division gives the correctly rounded result, the double JSON.parse gives.
 */
export declare function decimalAt(b: Uint8Array, start: number, end: number): number | undefined;
/**
 * Microseconds since the epoch of `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (the form fastUtcTimestamp
 * takes, with the same checks): a number where it is exact (within about ±285 years of 1970), a
 * BigInt beyond; undefined for any other text.
 */
export declare function utcMicrosAt(b: Uint8Array, start: number, end: number): number | bigint | undefined;
