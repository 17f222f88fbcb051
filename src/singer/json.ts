/**
 * JSON that keeps numbers exact. Native JSON.parse rounds integers beyond 2^53 (an id of
 * 9007199254740993 would load as ...992) and decimals of more than 15 significant digits, so
 * lines that contain a run of 16 or more digits (a decimal point may sit inside it) are parsed with
 * lossless-json: such integers become BigInt, such decimals ExactNumber. Other lines take the fast
 * native path, where every number is exact as a double (so are lines with an exponent of three
 * or more digits: hasLongExponent).
 */

import { LosslessNumber, parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';
import { exactAsDouble } from './decimal-text.js';

/**
 * A JSON number that no double holds exactly (`12345678901234567.89`), kept as its text. Only
 * decimal columns read the text; other consumers see it through Number(). It is a lossless-json
 * number, so stringifyJson writes its digits back unchanged; JSON.stringify refuses it (toJSON
 * throws), which sends stringifyJson down the lossless path instead of writing an object.
 */
export class ExactNumber extends LosslessNumber {
  toJSON(): never {
    throw new TypeError('ExactNumber is written by stringifyJson');
  }
}

/** Characters a long digit run is made of: 0-9 and '.'. */
function inRun(code: number): boolean {
  return (code >= 48 && code <= 57) || code === 46;
}

/**
 * The same answer as /\d(?:\.?\d){15}/.test(text), looking at one character in 16. A run spans
 * at least 16 characters of [0-9.], and any 16 consecutive positions include one that is 15 more
 * than a multiple of 16; only the stretch of [0-9.] around such a position is searched, and only
 * when it is 16 characters or longer. A line is thus mostly read a sixteenth of the way: a fifth
 * of the regular expression's time on the benchmark input.
 */
export function hasLongDigitRun(text: string): boolean {
  return hasLongDigitRunIn(text.length, (i) => text.charCodeAt(i));
}

/**
 * hasLongDigitRun over `length` character codes given by `codeAt`: the text of a line, or its
 * UTF-8 bytes (record-scan.ts) — digits and '.' are ASCII, and no byte of a multi-byte UTF-8
 * character is one of them, so runs are the same in bytes and in characters.
 */
export function hasLongDigitRunIn(length: number, codeAt: (i: number) => number): boolean {
  for (let i = 15; i < length; i += 16) {
    if (!inRun(codeAt(i))) continue;
    let start = i;
    let end = i + 1;
    while (start > 0 && inRun(codeAt(start - 1))) start -= 1;
    while (end < length && inRun(codeAt(end))) end += 1;
    if (end - start >= 16 && hasSixteenDigits(start, end, codeAt)) return true;
    // On from the last sampled position inside the stretch: the next one is past its end.
    i = end - 1 - ((end - 16) % 16);
  }
  return false;
}

/** The regular expression on a stretch of [0-9.]: 16 digits with at most one '.' between neighbours. */
function hasSixteenDigits(start: number, end: number, codeAt: (i: number) => number): boolean {
  let run = 0;
  for (let i = start; i < end; i += 1) {
    if (codeAt(i) === 46) {
      // A '.' may sit between two digits of the run, not start it or follow another '.'.
      if (run === 0 || codeAt(i - 1) === 46) run = 0;
      continue;
    }
    run += 1;
    if (run >= 16) return true;
  }
  return false;
}

/** A JSON number's text as parseJson hands it over: a number when exact as one, else BigInt or ExactNumber. */
export function parseNumber(text: string): number | bigint | ExactNumber {
  const value = Number(text);
  if (/^-?\d+$/.test(text)) return Number.isSafeInteger(value) ? value : BigInt(text);
  return exactAsDouble(text) ? value : new ExactNumber(text);
}

/**
 * True when the text holds an exponent of three or more digits (`1e-400`, `2E+308`). A number of
 * at most 15 digits is exact as a double only within the double's normal range (about 1e-308 to
 * 1e308): beyond it JSON.parse gives a rounded subnormal, 0 or Infinity. An exponent of at most two
 * digits cannot leave that range without a run of 16 digits (hasLongDigitRun) to shift it, so
 * such lines are parsed losslessly too. Digits of text (`"id e123"`) only cost the slower parse.
 */
export function hasLongExponent(text: string): boolean {
  return LONG_EXPONENT.test(text);
}

const LONG_EXPONENT = /[eE][+-]?\d{3}/;

export function parseJson(text: string): unknown {
  return hasLongDigitRun(text) || hasLongExponent(text) ? parseLossless(text, null, parseNumber) : JSON.parse(text);
}

/** True for numbers kept as text by parseJson. */
export function isExactNumber(value: unknown): value is ExactNumber {
  return value instanceof ExactNumber;
}

/** JSON text of a value that may hold BigInt integers or ExactNumber decimals (written as plain JSON numbers). */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return stringifyLossless(value) ?? 'null';
  }
}

/** A JSON object: not null, not an array (the one test every reader of parsed JSON uses). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
