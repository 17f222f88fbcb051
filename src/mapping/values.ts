/**
 * Python value semantics for stream-map expressions, over plain JSON values: None is null, ints
 * are numbers (BigInt beyond 2^53, as the input parser hands them over), lists are arrays and
 * dicts are plain objects read through their own keys only (never their prototype). Messages
 * follow Python's wording so users can search them.
 */

/** datetime.datetime / datetime.date values; turned into ISO-8601 text when they leave a map. */
export class PyDateTime {
  constructor(
    /** Wall-clock fields as UTC milliseconds (the offset is kept apart, as Python does). */
    readonly wallMs: number,
    readonly micro: number,
    /** Minutes east of UTC, or null for a naive datetime. */
    readonly offsetMinutes: number | null,
    readonly dateOnly = false,
  ) {}
}

export class MapEvaluationError extends Error {}

export type Dict = { [key: string]: PyValue };
export type PyValue = null | boolean | number | bigint | string | PyValue[] | Dict | PyDateTime | PyCallable | PyNamespace;

/** A function or bound method the expression may call; the only callables that exist. */
export class PyCallable {
  constructor(
    readonly name: string,
    readonly call: (args: PyValue[]) => PyValue,
  ) {}
}

/** A module-like object (`datetime`, `datetime.datetime`, `json`) with a fixed member table. */
export class PyNamespace {
  constructor(
    readonly name: string,
    readonly members: ReadonlyMap<string, PyValue>,
  ) {}
}

/** Largest string or list an expression may build (guards `'x' * 10**12`). */
const MAX_BUILT_LENGTH = 16 * 1024 * 1024;

export function fail(kind: string, message: string): never {
  throw new MapEvaluationError(`${kind}: ${message}`);
}

export function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyDateTime) && !(v instanceof PyCallable) && !(v instanceof PyNamespace);
}

export function ownValue(dict: Dict, key: string): PyValue | undefined {
  return Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : undefined;
}

export function typeName(v: PyValue | undefined): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyDateTime) return v.dateOnly ? 'date' : 'datetime';
  if (v instanceof PyCallable) return 'builtin_function_or_method';
  if (v instanceof PyNamespace) return 'module';
  return 'dict';
}

export function truthy(v: PyValue): boolean {
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  return true;
}

export function isNumeric(v: PyValue): v is number | bigint | boolean {
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
}

function asNumberish(v: number | bigint | boolean): number | bigint {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

/** Both as BigInt when both are integers and either is a BigInt, else both as numbers. */
function align(a: number | bigint | boolean, b: number | bigint | boolean): [number, number] | [bigint, bigint] {
  const x = asNumberish(a);
  const y = asNumberish(b);
  if (typeof x === 'bigint' || typeof y === 'bigint') {
    const xi = typeof x === 'bigint' || Number.isInteger(x);
    const yi = typeof y === 'bigint' || Number.isInteger(y);
    if (xi && yi) return [BigInt(x), BigInt(y)];
    return [Number(x), Number(y)];
  }
  return [x, y];
}

/** A BigInt result back to a number when it fits exactly. */
export function normalizeInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

export function checkLength(length: number): void {
  if (length > MAX_BUILT_LENGTH) fail('MemoryError', `result longer than ${MAX_BUILT_LENGTH} items`);
}

function unsupported(op: string, a: PyValue, b: PyValue): never {
  fail('TypeError', `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

function add(a: PyValue, b: PyValue): PyValue {
  if (typeof a === 'string') {
    if (typeof b !== 'string') fail('TypeError', `can only concatenate str (not "${typeName(b)}") to str`);
    checkLength(a.length + b.length);
    return a + b;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b)) fail('TypeError', `can only concatenate list (not "${typeName(b)}") to list`);
    checkLength(a.length + b.length);
    return [...a, ...b];
  }
  if (isNumeric(a) && isNumeric(b)) {
    const [x, y] = align(a, b);
    return typeof x === 'bigint' ? normalizeInt(x + (y as bigint)) : x + (y as number);
  }
  return unsupported('+', a, b);
}

function repeat(sequence: string | PyValue[], times: number | bigint | boolean): PyValue {
  const n = Number(asNumberish(times));
  const count = Math.max(0, n);
  checkLength(sequence.length * count);
  if (typeof sequence === 'string') return sequence.repeat(count);
  const out: PyValue[] = [];
  for (let i = 0; i < count; i += 1) out.push(...sequence);
  return out;
}

function isIntegral(v: PyValue): v is number | bigint | boolean {
  return typeof v === 'boolean' || typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
}

export function arithmetic(op: string, a: PyValue, b: PyValue): PyValue {
  if (op === '+') return add(a, b);
  if (op === '*') {
    if ((typeof a === 'string' || Array.isArray(a)) && isIntegral(b)) return repeat(a, b);
    if ((typeof b === 'string' || Array.isArray(b)) && isIntegral(a)) return repeat(b, a);
  }
  if (op === '%' && typeof a === 'string') fail('TypeError', "'%' string formatting is not supported; use '+' and str()");
  if (!isNumeric(a) || !isNumeric(b)) return unsupported(op, a, b);
  const [x, y] = align(a, b);
  const zero = typeof y === 'bigint' ? y === 0n : y === 0;
  if ((op === '/' || op === '//' || op === '%') && zero) fail('ZeroDivisionError', 'division by zero');
  if (typeof x === 'bigint' && typeof y === 'bigint') {
    switch (op) {
      case '-':
        return normalizeInt(x - y);
      case '*':
        return normalizeInt(x * y);
      case '/':
        return Number(x) / Number(y);
      case '//': {
        const q = x / y;
        return normalizeInt(x % y !== 0n && x < 0n !== y < 0n ? q - 1n : q);
      }
      case '%': {
        const r = x % y;
        return normalizeInt(r !== 0n && r < 0n !== y < 0n ? r + y : r);
      }
      case '**':
        if (y < 0n) return Number(x) ** Number(y);
        if (y > 4096n) fail('OverflowError', 'exponent too large');
        return normalizeInt(x ** y);
      default:
        return bitwise(op, x, y);
    }
  }
  const [p, q] = [Number(x), Number(y)];
  switch (op) {
    case '-':
      return p - q;
    case '*':
      return p * q;
    case '/':
      return p / q;
    case '//':
      return Math.floor(p / q);
    case '%':
      return ((p % q) + q) % q;
    case '**': {
      const result = p ** q;
      if (Number.isInteger(p) && Number.isInteger(q) && q >= 0 && !Number.isSafeInteger(result)) {
        return arithmetic('**', BigInt(p), BigInt(q));
      }
      return result;
    }
    default:
      if (!Number.isInteger(p) || !Number.isInteger(q)) return unsupported(op, a, b);
      return bitwise(op, BigInt(p), BigInt(q));
  }
}

function bitwise(op: string, x: bigint, y: bigint): PyValue {
  switch (op) {
    case '|':
      return normalizeInt(x | y);
    case '&':
      return normalizeInt(x & y);
    case '^':
      return normalizeInt(x ^ y);
    case '<<':
      if (y > 4096n) fail('OverflowError', 'shift count too large');
      return normalizeInt(x << y);
    case '>>':
      return normalizeInt(x >> y);
    default:
      return fail('TypeError', `unsupported operator '${op}'`);
  }
}

export function negate(v: PyValue): PyValue {
  if (typeof v === 'bigint') return normalizeInt(-v);
  if (isNumeric(v)) return -Number(asNumberish(v));
  return fail('TypeError', `bad operand type for unary -: '${typeName(v)}'`);
}

export function equals(a: PyValue, b: PyValue): boolean {
  if (isNumeric(a) && isNumeric(b)) {
    const [x, y] = align(a, b);
    return x === y;
  }
  if (a === null || b === null) return a === b;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => equals(item, b[i]!));
  }
  if (a instanceof PyDateTime || b instanceof PyDateTime) {
    return a instanceof PyDateTime && b instanceof PyDateTime && instant(a) === instant(b) && a.dateOnly === b.dateOnly;
  }
  if (isDict(a) && isDict(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => ownValue(b, k) !== undefined && equals(a[k]!, b[k]!));
  }
  return a === b;
}

function instant(d: PyDateTime): number {
  return d.wallMs - (d.offsetMinutes ?? 0) * 60_000 + d.micro / 1000;
}

/** -1, 0 or 1 like Python's ordering, or a TypeError for types Python cannot order. */
export function compare(op: string, a: PyValue, b: PyValue): number {
  if (isNumeric(a) && isNumeric(b)) {
    const [x, y] = align(a, b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
      if (!equals(a[i]!, b[i]!)) return compare(op, a[i]!, b[i]!);
    }
    return Math.sign(a.length - b.length);
  }
  if (a instanceof PyDateTime && b instanceof PyDateTime && a.dateOnly === b.dateOnly) return Math.sign(instant(a) - instant(b));
  return fail('TypeError', `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export function contains(container: PyValue, item: PyValue): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') fail('TypeError', `'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((v) => equals(v, item));
  if (isDict(container)) return typeof item === 'string' && ownValue(container, item) !== undefined;
  return fail('TypeError', `argument of type '${typeName(container)}' is not iterable`);
}

function two(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function isoFormat(d: PyDateTime, separator = 'T'): string {
  const t = new Date(d.wallMs);
  const date = `${two(t.getUTCFullYear(), 4)}-${two(t.getUTCMonth() + 1)}-${two(t.getUTCDate())}`;
  if (d.dateOnly) return date;
  let text = `${date}${separator}${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())}`;
  const micro = t.getUTCMilliseconds() * 1000 + d.micro;
  if (micro > 0) text += `.${two(micro, 6)}`;
  if (d.offsetMinutes !== null) {
    const abs = Math.abs(d.offsetMinutes);
    text += `${d.offsetMinutes < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
  }
  return text;
}

function floatText(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  return String(n);
}

/** Python's str(). Numbers are JSON numbers, so 1.0 reads as 1 (JSON does not keep the difference). */
export function pyStr(v: PyValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof PyDateTime) return isoFormat(v, ' ');
  return pyRepr(v);
}

function pyRepr(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return floatText(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return quote(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof PyDateTime) return `'${isoFormat(v, ' ')}'`;
  if (v instanceof PyCallable) return `<built-in function ${v.name}>`;
  if (v instanceof PyNamespace) return `<module '${v.name}'>`;
  return `{${Object.keys(v)
    .map((k) => `${quote(k)}: ${pyRepr(v[k]!)}`)
    .join(', ')}}`;
}

function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const escaped = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return q + (q === "'" ? escaped.replace(/'/g, "\\'") : escaped) + q;
}

/**
 * A value as it leaves a map into a record: datetimes become ISO text, as the SDK's JSON writer
 * does. Only lists can hold values an expression made (there are no dict literals), so dicts are
 * passed on as they are.
 */
export function toRecordValue(v: PyValue): unknown {
  if (v instanceof PyDateTime) return isoFormat(v);
  if (v instanceof PyCallable || v instanceof PyNamespace) fail('TypeError', `a ${typeName(v)} cannot be stored in a record`);
  if (Array.isArray(v)) return v.map(toRecordValue);
  return v;
}
