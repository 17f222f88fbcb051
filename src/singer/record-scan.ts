import { hasLongDigitRunIn } from './json.js';
import { sameBytes } from './same-bytes.js';

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
 *  K5  Lines the ordinary path reads differently are refused: numbers of 16 or more digits or an
 *      exponent of three or more digits
 *      (parsed exactly there, see json.ts), nesting deeper than SCAN_MAX_DEPTH, a `version`, a
 *      string `time_extracted` with escapes, keys with escapes, a repeated top-level key.
 */

/** A string without escapes: the bytes between its quotes are its text. */
export const TOKEN_STRING = 1;
/** A string with at least one escape. */
export const TOKEN_ESCAPED = 2;
/** An integer of at most 15 digits, no fraction or exponent: exact as a double. */
export const TOKEN_INTEGER = 3;
/** Any other number. */
export const TOKEN_NUMBER = 4;
export const TOKEN_TRUE = 5;
export const TOKEN_FALSE = 6;
export const TOKEN_NULL = 7;
export const TOKEN_OBJECT = 8;
export const TOKEN_ARRAY = 9;

/** Deeper lines take the ordinary path, which refuses beyond MAX_NESTING (messages.ts). */
const SCAN_MAX_DEPTH = 64;
/** Objects with more keys than this are not checked for repeated keys, so never canonical. */
const CANONICAL_MAX_KEYS = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The result of scanning one line; reused from line to line (grown as needed). */
export class ScannedRecord {
  bytes: Buffer = Buffer.alloc(0);
  streamStart = 0;
  streamEnd = 0;
  /** Span of `time_extracted` (the text between the quotes), or -1 when the message has none. */
  extractedStart = -1;
  extractedEnd = -1;
  /** Number of fields of the record (a repeated key counts each time). */
  fields = 0;
  keyStart = new Int32Array(64);
  keyEnd = new Int32Array(64);
  /** For strings the text between the quotes, for other tokens the whole token. */
  valueStart = new Int32Array(64);
  valueEnd = new Int32Array(64);
  kind = new Uint8Array(64);
  /** 1 when the token's text is exactly JSON.stringify(JSON.parse(text)) (K4). */
  canonical = new Uint8Array(64);

  grow(): void {
    const size = this.kind.length * 2;
    const grown = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.keyStart = grown(this.keyStart);
    this.keyEnd = grown(this.keyEnd);
    this.valueStart = grown(this.valueStart);
    this.valueEnd = grown(this.valueEnd);
    const kind = new Uint8Array(size);
    kind.set(this.kind);
    this.kind = kind;
    const canonical = new Uint8Array(size);
    canonical.set(this.canonical);
    this.canonical = canonical;
  }
}

/** The scan gave up: the line is not certain to be a plain RECORD (or not valid JSON). */
class NotScannable extends Error {}
const GIVE_UP = new NotScannable();

const TYPE = bytesOf('type');
const STREAM = bytesOf('stream');
const RECORD = bytesOf('record');
const TIME_EXTRACTED = bytesOf('time_extracted');
const VERSION = bytesOf('version');
const RECORD_TYPE = bytesOf('RECORD');
const FALSE = bytesOf('false');
/** The start of nearly every RECORD line, up to the quote that opens the stream's name. */
const COMMON_START = bytesOf('{"type":"RECORD","stream":"');

/**
 * Scans `bytes[start, end)` (one line, without its newline) into `out`. True when the line is a
 * RECORD in the sense of K2; false when the ordinary path must read it.
 */
export function scanRecordLine(bytes: Buffer, start: number, end: number, out: ScannedRecord): boolean {
  if (hasLongNumber(bytes, start, end)) return false;
  scanner.reset(bytes, start, end, out);
  try {
    return scanner.message();
  } catch (e) {
    if (e === GIVE_UP) return false;
    throw e;
  }
}

/** One scanner for all lines (the scan is synchronous): no allocation per line. */
class Scanner {
  private b: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;
  private out = new ScannedRecord();
  /** Cleared by anything inside the current field's value that JSON.stringify would write otherwise. */
  private canon = true;
  /** Key spans (start, end) of the objects being scanned, for repeated keys: a stack up to `keyTop`. */
  private keyStack = new Int32Array(2 * CANONICAL_MAX_KEYS * 8);
  private keyTop = 0;
  private keyStart = 0;
  private keyEnd = 0;

  reset(bytes: Buffer, start: number, end: number, out: ScannedRecord): void {
    this.b = bytes;
    this.pos = start;
    this.end = end;
    this.out = out;
    this.keyTop = 0;
    out.bytes = bytes;
    out.fields = 0;
    out.extractedStart = -1;
    out.extractedEnd = -1;
  }

  message(): boolean {
    const { out } = this;
    let seen = 0;
    let more: boolean;
    if (this.pos + COMMON_START.length <= this.end && this.is(this.pos, this.pos + COMMON_START.length, COMMON_START)) {
      // How nearly every tap begins a record: type and stream checked in one comparison.
      this.pos += COMMON_START.length - 1;
      this.streamValue();
      seen = 3;
      more = this.more(0x7d, false);
    } else {
      this.ws();
      this.expect(0x7b);
      this.ws();
      if (this.peek() === 0x7d) return false;
      more = true;
    }
    while (more) {
      this.memberKey();
      const keyStart = this.keyStart;
      const keyEnd = this.keyEnd;
      if (this.is(keyStart, keyEnd, TYPE)) {
        seen = this.once(seen, 1);
        const s = this.pos + 1;
        if (this.peek() !== QUOTE || this.string() !== TOKEN_STRING || !this.is(s, this.pos - 1, RECORD_TYPE)) throw GIVE_UP;
      } else if (this.is(keyStart, keyEnd, STREAM)) {
        seen = this.once(seen, 2);
        this.streamValue();
      } else if (this.is(keyStart, keyEnd, RECORD)) {
        seen = this.once(seen, 4);
        if (this.peek() !== 0x7b) throw GIVE_UP;
        this.record();
      } else if (this.is(keyStart, keyEnd, TIME_EXTRACTED)) {
        seen = this.once(seen, 8);
        if (this.peek() === QUOTE) {
          out.extractedStart = this.pos + 1;
          if (this.string() !== TOKEN_STRING) throw GIVE_UP;
          out.extractedEnd = this.pos - 1;
        } else {
          // Not a string: the ordinary path ignores it too.
          this.value(2);
        }
      } else if (this.is(keyStart, keyEnd, VERSION)) {
        throw GIVE_UP;
      } else {
        this.value(2);
      }
      more = this.more(0x7d, false);
    }
    this.ws();
    if (this.pos !== this.end) throw GIVE_UP;
    return (seen & 7) === 7;
  }

  /** The stream's name: a non-empty string without escapes. */
  private streamValue(): void {
    const { out } = this;
    out.streamStart = this.pos + 1;
    if (this.peek() !== QUOTE || this.string() !== TOKEN_STRING) throw GIVE_UP;
    out.streamEnd = this.pos - 1;
    if (out.streamEnd === out.streamStart) throw GIVE_UP;
  }

  /** The record object: its top-level fields go to `out`. */
  private record(): void {
    const { out } = this;
    if (this.empty(2, 0x7d, false)) return;
    for (;;) {
      this.memberKey();
      const keyStart = this.keyStart;
      const keyEnd = this.keyEnd;
      const f = out.fields;
      if (f === out.kind.length) out.grow();
      out.keyStart[f] = keyStart;
      out.keyEnd[f] = keyEnd;
      const valueStart = this.pos;
      this.canon = true;
      const kind = this.value(3);
      const isString = kind === TOKEN_STRING || kind === TOKEN_ESCAPED;
      out.valueStart[f] = isString ? valueStart + 1 : valueStart;
      out.valueEnd[f] = isString ? this.pos - 1 : this.pos;
      out.kind[f] = kind;
      out.canonical[f] = this.canon ? 1 : 0;
      out.fields = f + 1;
      if (this.more(0x7d, false)) continue;
      return;
    }
  }

  /** Any JSON value at `depth` (the message object is depth 1). */
  private value(depth: number): number {
    const c = this.peek();
    switch (c) {
      case QUOTE: {
        const kind = this.string();
        if (kind === TOKEN_ESCAPED) this.canon = false;
        return kind;
      }
      case 0x7b:
        this.object(depth);
        return TOKEN_OBJECT;
      case 0x5b:
        this.array(depth);
        return TOKEN_ARRAY;
      case 0x74:
        this.literal(0x72, 0x75, 0x65);
        return TOKEN_TRUE;
      case 0x66:
        this.expectSeq(FALSE);
        return TOKEN_FALSE;
      case 0x6e:
        this.literal(0x75, 0x6c, 0x6c);
        return TOKEN_NULL;
      default:
        return this.number(depth);
    }
  }

  private object(depth: number): void {
    if (this.empty(depth, 0x7d, true)) return;
    const base = this.keyTop;
    for (;;) {
      this.inner();
      if (this.peek() !== QUOTE) throw GIVE_UP;
      const keyStart = this.pos + 1;
      const keyKind = this.string();
      const keyEnd = this.pos - 1;
      if (keyKind !== TOKEN_STRING) this.canon = false;
      else if (this.canon) this.checkKey(keyStart, keyEnd, base);
      this.inner();
      this.expect(0x3a);
      this.inner();
      this.value(depth + 1);
      if (this.more(0x7d, true)) continue;
      this.keyTop = base;
      return;
    }
  }

  /**
   * JSON.parse puts keys that are array indices first, in numeric order, and keeps the last of
   * repeated keys: either way JSON.stringify writes something else, so the text is not canonical.
   */
  private checkKey(start: number, end: number, base: number): void {
    const { b } = this;
    const top = this.keyTop;
    if (isIndexKey(b, start, end) || top - base >= CANONICAL_MAX_KEYS * 2 || top + 2 > this.keyStack.length) {
      this.canon = false;
      return;
    }
    for (let k = base; k < top; k += 2) if (sameBytes(b, this.keyStack[k]!, this.keyStack[k + 1]!, b, start, end)) {
      this.canon = false;
      return;
    }
    this.keyStack[top] = start;
    this.keyStack[top + 1] = end;
    this.keyTop = top + 2;
  }

  private array(depth: number): void {
    if (this.empty(depth, 0x5d, true)) return;
    for (;;) {
      this.inner();
      this.value(depth + 1);
      if (this.more(0x5d, true)) continue;
      return;
    }
  }

  /** A string token starting at the quote; leaves `pos` after the closing quote. */
  private string(): number {
    const { b, end } = this;
    let i = this.pos + 1;
    let kind = TOKEN_STRING;
    for (;;) {
      if (i >= end) throw GIVE_UP;
      const c = b[i]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        kind = TOKEN_ESCAPED;
        const e = b[i + 1];
        if (e === 0x75) {
          for (let h = i + 2; h < i + 6; h += 1) if (h >= end || !isHex(b[h]!)) throw GIVE_UP;
          i += 6;
          continue;
        }
        // " \ / b f n r t
        if (e !== QUOTE && e !== BACKSLASH && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) throw GIVE_UP;
        i += 2;
        continue;
      }
      if (c < 0x20) throw GIVE_UP;
      i += 1;
    }
    this.pos = i + 1;
    return kind;
  }

  /**
   * A number token (JSON grammar); TOKEN_INTEGER for a plain integer of at most 15 digits. Whether
   * any other number is written canonically is only worked out inside objects and arrays; a
   * field that is a number of that kind is never taken as canonical.
   */
  private number(depth: number): number {
    const { b, end } = this;
    const start = this.pos;
    let i = start;
    if (b[i] === 0x2d) i += 1;
    const first = i;
    if (i < end && b[i] === 0x30) i += 1;
    else if (i < end && b[i]! >= 0x31 && b[i]! <= 0x39) while (i < end && isDigit(b[i]!)) i += 1;
    else throw GIVE_UP;
    let plain = true;
    if (i < end && b[i] === 0x2e) {
      plain = false;
      i += 1;
      const digitsStart = i;
      while (i < end && isDigit(b[i]!)) i += 1;
      if (i === digitsStart) throw GIVE_UP;
    }
    if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
      plain = false;
      i += 1;
      if (i < end && (b[i] === 0x2b || b[i] === 0x2d)) i += 1;
      const digitsStart = i;
      while (i < end && isDigit(b[i]!)) i += 1;
      // Three exponent digits may leave the double's range: parseJson reads such lines losslessly (hasLongExponent).
      if (i === digitsStart || i - digitsStart >= 3) throw GIVE_UP;
    }
    this.pos = i;
    // hasLongNumber ruled out 16 or more digits, so a plain integer is exact as a double.
    if (plain) {
      // JSON.stringify writes -0 as 0.
      if (i - first === 1 && b[first] === 0x30 && first !== start) this.canon = false;
      return TOKEN_INTEGER;
    }
    if (this.canon) {
      if (depth <= 3) this.canon = false;
      else {
        const text = latin1(b, start, i);
        this.canon = String(Number(text)) === text;
      }
    }
    return TOKEN_NUMBER;
  }

  /** Past an opening bracket: true when the object or array is empty (its closing bracket read too). */
  private empty(depth: number, close: number, inner: boolean): boolean {
    if (depth > SCAN_MAX_DEPTH) throw GIVE_UP;
    this.pos += 1;
    if (inner) this.inner();
    else this.ws();
    if (this.peek() !== close) return false;
    this.pos += 1;
    return true;
  }

  /** A key without escapes and its colon, at the message's or the record's level: its span goes to keyStart/keyEnd. */
  private memberKey(): void {
    this.ws();
    if (this.peek() !== QUOTE) throw GIVE_UP;
    this.keyStart = this.pos + 1;
    if (this.string() !== TOKEN_STRING) throw GIVE_UP;
    this.keyEnd = this.pos - 1;
    this.ws();
    this.expect(0x3a);
    this.ws();
  }

  /** The byte at the position, or -1 at the end of the line: nothing past `end` is read. */
  private peek(): number {
    return this.pos < this.end ? this.b[this.pos]! : -1;
  }

  /** After a member: true past a comma (another follows), false past the closing `close`. */
  private more(close: number, inner: boolean): boolean {
    if (inner) this.inner();
    else this.ws();
    const c = this.peek();
    this.pos += 1;
    if (c === 0x2c) return true;
    if (c !== close) throw GIVE_UP;
    return false;
  }

  private literal(c1: number, c2: number, c3: number): void {
    const { b, pos } = this;
    if (pos + 4 > this.end || b[pos + 1] !== c1 || b[pos + 2] !== c2 || b[pos + 3] !== c3) throw GIVE_UP;
    this.pos = pos + 4;
  }

  private expectSeq(seq: Uint8Array): void {
    if (this.pos + seq.length > this.end || !this.is(this.pos, this.pos + seq.length, seq)) throw GIVE_UP;
    this.pos += seq.length;
  }

  private expect(c: number): void {
    if (this.peek() !== c || this.pos >= this.end) throw GIVE_UP;
    this.pos += 1;
  }

  /** Whitespace between the message's and the record's own tokens. */
  private ws(): void {
    const { b, end } = this;
    let i = this.pos;
    while (i < end && isSpace(b[i]!)) i += 1;
    this.pos = i;
  }

  /** Whitespace inside a field's value: JSON.stringify writes none. */
  private inner(): void {
    const before = this.pos;
    this.ws();
    if (this.pos !== before) this.canon = false;
  }

  private is(start: number, end: number, word: Uint8Array): boolean {
    return sameBytes(this.b, start, end, word, 0, word.length);
  }

  private once(seen: number, bit: number): number {
    if (seen & bit) throw GIVE_UP;
    return seen | bit;
  }
}

const scanner = new Scanner();

/**
 * True when the line holds a run of 16 or more digits (a '.' may sit between two of them): the
 * lines parseJson reads with lossless-json (hasLongDigitRun, on the line's bytes).
 */
export function hasLongNumber(b: Uint8Array, start: number, end: number): boolean {
  return hasLongDigitRunIn(end - start, (i) => b[start + i]!);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** A key JSON.parse orders first: an array index (0 .. 2^32-2, no leading zero). */
function isIndexKey(b: Uint8Array, start: number, end: number): boolean {
  const n = end - start;
  if (n === 0 || n > 10) return false;
  if (b[start] === 0x30) return n === 1;
  let value = 0;
  for (let i = start; i < end; i += 1) {
    if (!isDigit(b[i]!)) return false;
    value = value * 10 + (b[i]! - 0x30);
  }
  return value <= 4_294_967_294;
}

function latin1(b: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...b.subarray(start, end));
}

function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
