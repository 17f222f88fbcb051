import { LosslessNumber, parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';
import { exactAsDouble } from './decimal-text.js';
/**
 * A JSON number that no double holds exactly (`12345678901234567.89`), kept as its text. Only
 * decimal columns read the text; other consumers see it through Number(). It is a lossless-json
 * number, so stringifyJson writes its digits back unchanged; JSON.stringify refuses it (toJSON
 * throws), which sends stringifyJson down the lossless path instead of writing an object.
 */
export class ExactNumber extends LosslessNumber {
    toJSON() {
        throw new TypeError('ExactNumber is written by stringifyJson');
    }
}
/**
 * JSON that keeps numbers exact. Native JSON.parse rounds integers beyond 2^53 (an id of
 * 9007199254740993 would load as ...992) and decimals of more than 15 significant digits, so
 * lines that contain a run of 16 or more digits (a decimal point may sit inside it) are parsed with
 * lossless-json: such integers become BigInt, such decimals ExactNumber. Other lines take the fast
 * native path, where every number is exact as a double.
 */
const LONG_DIGIT_RUN = /\d(?:\.?\d){15}/;
/** Characters a long digit run is made of: 0-9 and '.'. */
function inRun(code) {
    return (code >= 48 && code <= 57) || code === 46;
}
/**
 * The same answer as LONG_DIGIT_RUN.test(text), looking at one character in 16. A run spans at
 * least 16 characters of [0-9.], and any 16 consecutive positions include one that is 15 more
 * than a multiple of 16; only the stretch of [0-9.] around such a position is searched, and only
 * when it is 16 characters or longer. A line is thus mostly read a sixteenth of the way: a fifth
 * of the regular expression's time on the benchmark input.
 */
export function hasLongDigitRun(text) {
    for (let i = 15; i < text.length; i += 16) {
        if (!inRun(text.charCodeAt(i)))
            continue;
        let start = i;
        let end = i + 1;
        while (start > 0 && inRun(text.charCodeAt(start - 1)))
            start -= 1;
        while (end < text.length && inRun(text.charCodeAt(end)))
            end += 1;
        if (end - start >= 16 && LONG_DIGIT_RUN.test(text.slice(start, end)))
            return true;
        // On from the last sampled position inside the stretch: the next one is past its end.
        i = end - 1 - ((end - 16) % 16);
    }
    return false;
}
function parseNumber(text) {
    const value = Number(text);
    if (/^-?\d+$/.test(text))
        return Number.isSafeInteger(value) ? value : BigInt(text);
    return exactAsDouble(text) ? value : new ExactNumber(text);
}
export function parseJson(text) {
    return hasLongDigitRun(text) ? parseLossless(text, null, parseNumber) : JSON.parse(text);
}
/** True for numbers kept as text by parseJson. */
export function isExactNumber(value) {
    return value instanceof ExactNumber;
}
/** JSON text of a value that may hold BigInt integers or ExactNumber decimals (written as plain JSON numbers). */
export function stringifyJson(value) {
    try {
        return JSON.stringify(value);
    }
    catch (e) {
        if (!(e instanceof TypeError))
            throw e;
        return stringifyLossless(value) ?? 'null';
    }
}
//# sourceMappingURL=json.js.map