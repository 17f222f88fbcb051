import { parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';

/**
 * JSON that keeps integers beyond 2^53 exact. Native JSON.parse rounds them (an id of
 * 9007199254740993 would load as ...992), so lines that contain a long digit run are parsed with
 * lossless-json, which hands such integers over as BigInt. Other lines take the fast native path.
 */
const LONG_DIGIT_RUN = /\d{16,}/;

function parseNumber(text: string): number | bigint {
  const value = Number(text);
  if (Number.isSafeInteger(value) || !/^-?\d+$/.test(text)) return value;
  return BigInt(text);
}

export function parseJson(text: string): unknown {
  return LONG_DIGIT_RUN.test(text) ? parseLossless(text, null, parseNumber) : JSON.parse(text);
}

/** JSON text of a value that may hold BigInt integers (written as plain JSON numbers). */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return stringifyLossless(value) ?? 'null';
  }
}
