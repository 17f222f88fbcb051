/**
 * Pure: exact decimal arithmetic on number text, so decimals never pass through a double.
 * A JSON number `-12.3400e2` is held as sign, digits without leading/trailing zeros and the power
 * of ten of the last digit: (-, "1234", 1 - 4 + 2 = -1 ... ) i.e. value = sign * digits * 10^exponent.
 */
export interface DecimalParts {
    negative: boolean;
    /** Significant digits, no leading or trailing zeros ('' for zero). */
    digits: string;
    /** Power of ten of the last digit. */
    exponent: number;
}
/** The parts of a decimal number text (JSON syntax, also `+1`, `1.`, `.5`), or undefined. */
export declare function decimalParts(text: string): DecimalParts | undefined;
/** Digits after the decimal point the value needs (0 for integers). */
export declare function fractionDigits(parts: DecimalParts): number;
/** Digits before the decimal point the value needs (0 for |value| < 1). */
export declare function integerDigits(parts: DecimalParts): number;
/** Plain decimal text without exponent, e.g. `-1234.5`, `0.001`, `1200`. */
export declare function plainText(parts: DecimalParts): string;
/** True when the double nearest to `text` prints back as the same decimal value (JS prints the shortest round-trip text). */
export declare function exactAsDouble(text: string): boolean;
