import { LosslessNumber } from 'lossless-json';
/**
 * A JSON number that no double holds exactly (`12345678901234567.89`), kept as its text. Only
 * decimal columns read the text; other consumers see it through Number(). It is a lossless-json
 * number, so stringifyJson writes its digits back unchanged; JSON.stringify refuses it (toJSON
 * throws), which sends stringifyJson down the lossless path instead of writing an object.
 */
export declare class ExactNumber extends LosslessNumber {
    toJSON(): never;
}
/**
 * The same answer as LONG_DIGIT_RUN.test(text), looking at one character in 16. A run spans at
 * least 16 characters of [0-9.], and any 16 consecutive positions include one that is 15 more
 * than a multiple of 16; only the stretch of [0-9.] around such a position is searched, and only
 * when it is 16 characters or longer. A line is thus mostly read a sixteenth of the way: a fifth
 * of the regular expression's time on the benchmark input.
 */
export declare function hasLongDigitRun(text: string): boolean;
export declare function parseJson(text: string): unknown;
/** True for numbers kept as text by parseJson. */
export declare function isExactNumber(value: unknown): value is ExactNumber;
/** JSON text of a value that may hold BigInt integers or ExactNumber decimals (written as plain JSON numbers). */
export declare function stringifyJson(value: unknown): string;
