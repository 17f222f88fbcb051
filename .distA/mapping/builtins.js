import { createHash } from 'node:crypto';
import { parseJson, stringifyJson } from '../singer/json.js';
import { PyCallable, PyDateTime, PyNamespace, checkLength, compare, fail, isDict, isNumeric, isoFormat, normalizeInt, ownValue, pyStr, truthy, typeName, } from './values.js';
/**
 * The functions, modules and methods expressions may use: a closed whitelist. Nothing here hands
 * out a JavaScript object, function or prototype; every callable is a PyCallable built below.
 */
function arity(name, args, min, max = min) {
    if (args.length < min || args.length > max) {
        const expected = min === max ? `${min}` : `${min} to ${max}`;
        fail('TypeError', `${name}() takes ${expected} argument${max === 1 ? '' : 's'} (${args.length} given)`);
    }
}
function needString(name, v, hint = '') {
    if (typeof v !== 'string')
        fail('TypeError', `${name}() needs a str, got ${typeName(v)}${hint}`);
    return v;
}
function needInt(name, v) {
    if (typeof v === 'boolean')
        return v ? 1 : 0;
    if (typeof v === 'number' && Number.isInteger(v))
        return v;
    if (typeof v === 'bigint')
        return Number(v);
    return fail('TypeError', `${name}() needs an int, got ${typeName(v)}`);
}
/**
 * Values in messages are described, never shown: they may be personal data (the reason to map a
 * stream) or `stream_map_config` secrets such as a hash seed.
 */
function described(v) {
    return typeof v === 'string' ? ` (a str of ${[...v].length} characters)` : ` (a ${typeName(v)})`;
}
const HASH_HINT = " (hash text: wrap numbers in str(), and guard nulls: md5(x) if x is not None else None)";
function digest(algorithm) {
    return new PyCallable(algorithm, (args) => {
        arity(algorithm, args, 1);
        return createHash(algorithm).update(needString(algorithm, args[0], HASH_HINT), 'utf8').digest('hex');
    });
}
function toInt(args) {
    arity('int', args, 0, 2);
    if (args.length === 0)
        return 0;
    const [v, base] = args;
    if (base !== undefined) {
        const radix = needInt('int', base);
        const text = needString('int', v).trim().toLowerCase().replace(/_/g, '');
        const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, radix);
        const body = text.replace(/^[+-]/, '');
        if (radix < 2 || radix > 36 || body === '' || [...body].some((c) => !digits.includes(c))) {
            fail('ValueError', `invalid literal for int() with base ${radix}${described(v)}`);
        }
        const value = [...body].reduce((acc, c) => acc * BigInt(radix) + BigInt(digits.indexOf(c)), 0n);
        return normalizeInt(text.startsWith('-') ? -value : value);
    }
    if (typeof v === 'boolean')
        return v ? 1 : 0;
    if (typeof v === 'bigint')
        return v;
    if (typeof v === 'number') {
        if (!Number.isFinite(v))
            fail('ValueError', `cannot convert float ${pyStr(v)} to integer`);
        const truncated = Math.trunc(v);
        return Number.isSafeInteger(truncated) ? truncated : BigInt(truncated);
    }
    if (typeof v === 'string') {
        const text = v.trim();
        if (!/^[+-]?\d+(_\d+)*$/.test(text))
            fail('ValueError', `invalid literal for int() with base 10${described(v)}`);
        return normalizeInt(BigInt(text.replace(/_/g, '')));
    }
    return fail('TypeError', `int() argument must be a string or a number, not '${typeName(v)}'`);
}
function toFloat(args) {
    arity('float', args, 0, 1);
    if (args.length === 0)
        return 0;
    const v = args[0];
    if (isNumeric(v))
        return Number(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    if (typeof v === 'string') {
        const text = v.trim().toLowerCase();
        if (/^[+-]?(nan)$/.test(text))
            return NaN;
        if (/^[+-]?(inf|infinity)$/.test(text))
            return text.startsWith('-') ? -Infinity : Infinity;
        if (!/^[+-]?(\d+(_\d+)*\.?(\d+(_\d+)*)?|\.\d+(_\d+)*)(e[+-]?\d+)?$/.test(text)) {
            fail('ValueError', `could not convert string to float${described(v)}`);
        }
        return Number(text.replace(/_/g, ''));
    }
    return fail('TypeError', `float() argument must be a string or a real number, not '${typeName(v)}'`);
}
function length(args) {
    arity('len', args, 1);
    const v = args[0];
    // Python counts code points, not UTF-16 units.
    if (typeof v === 'string')
        return [...v].length;
    if (Array.isArray(v))
        return v.length;
    if (isDict(v))
        return Object.keys(v).length;
    return fail('TypeError', `object of type '${typeName(v)}' has no len()`);
}
/** Python's round(): halves go to the even neighbour. */
function round(args) {
    arity('round', args, 1, 2);
    const v = args[0];
    if (!isNumeric(v))
        fail('TypeError', `type ${typeName(v)} doesn't define __round__ method`);
    const n = Number(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    const digits = args[1] === undefined || args[1] === null ? 0 : needInt('round', args[1]);
    const scale = 10 ** digits;
    const scaled = n * scale;
    const floor = Math.floor(scaled);
    const diff = scaled - floor;
    const rounded = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
    return rounded / scale;
}
function extreme(name, args) {
    const items = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
    if (items.length === 0)
        fail('ValueError', `${name}() arg is an empty sequence`);
    return items.reduce((best, v) => {
        const order = compare(name === 'min' ? '<' : '>', v, best);
        return (name === 'min' ? order < 0 : order > 0) ? v : best;
    });
}
// --- datetime -------------------------------------------------------------------------------
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
function parseIso(name, v, dateOnly) {
    const text = needString(name, v);
    const m = ISO_DATETIME.exec(text.trim());
    const invalid = () => fail('ValueError', `Invalid isoformat string${described(text)}`);
    if (!m)
        return invalid();
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
    if (dateOnly && (m[4] !== undefined || zone !== undefined))
        return invalid();
    const wallMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    const check = new Date(wallMs);
    if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
        return invalid();
    }
    const micros = Number(frac.padEnd(6, '0') || '0');
    let offset = null;
    if (zone !== undefined) {
        if (zone.toUpperCase() === 'Z')
            offset = 0;
        else {
            const digits = zone.slice(1).replace(':', '');
            offset = (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
        }
    }
    return new PyDateTime(wallMs + Math.floor(micros / 1000), micros % 1000, offset, dateOnly);
}
function now(utc) {
    const ms = Date.now();
    return new PyDateTime(ms, 0, utc ? 0 : null);
}
const datetimeClass = new PyNamespace('datetime.datetime', new Map([
    ['fromisoformat', new PyCallable('fromisoformat', (args) => (arity('fromisoformat', args, 1), parseIso('fromisoformat', args[0], false)))],
    ['now', new PyCallable('now', (args) => (arity('now', args, 0), now(false)))],
    ['utcnow', new PyCallable('utcnow', (args) => (arity('utcnow', args, 0), now(false)))],
]));
const dateClass = new PyNamespace('datetime.date', new Map([
    ['fromisoformat', new PyCallable('fromisoformat', (args) => (arity('fromisoformat', args, 1), parseIso('fromisoformat', args[0], true)))],
    [
        'today',
        new PyCallable('today', (args) => {
            arity('today', args, 0);
            const t = new Date();
            return new PyDateTime(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()), 0, null, true);
        }),
    ],
]));
function datetimeAttribute(d, name) {
    const t = new Date(d.wallMs);
    switch (name) {
        case 'year':
            return t.getUTCFullYear();
        case 'month':
            return t.getUTCMonth() + 1;
        case 'day':
            return t.getUTCDate();
        case 'isoformat':
            return new PyCallable('isoformat', (args) => (arity('isoformat', args, 0, 1), isoFormat(d, args[0] === undefined ? 'T' : needString('isoformat', args[0]))));
        case 'weekday':
            return new PyCallable('weekday', () => (t.getUTCDay() + 6) % 7);
        case 'strftime':
            return new PyCallable('strftime', (args) => (arity('strftime', args, 1), strftime(d, needString('strftime', args[0]))));
    }
    if (d.dateOnly)
        return undefined;
    switch (name) {
        case 'hour':
            return t.getUTCHours();
        case 'minute':
            return t.getUTCMinutes();
        case 'second':
            return t.getUTCSeconds();
        case 'microsecond':
            return t.getUTCMilliseconds() * 1000 + d.micro;
        case 'date':
            return new PyCallable('date', () => new PyDateTime(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()), 0, null, true));
        case 'timestamp':
            return new PyCallable('timestamp', () => (d.wallMs - (d.offsetMinutes ?? 0) * 60_000) / 1000 + d.micro / 1e6);
    }
    return undefined;
}
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** Python's strftime for the directives that do not depend on the C locale (English names). */
function strftime(d, format) {
    const t = new Date(d.wallMs);
    const pad = (n, width = 2) => String(n).padStart(width, '0');
    const offset = d.offsetMinutes;
    return format.replace(/%(.)/gs, (_m, c) => {
        switch (c) {
            case 'Y':
                return pad(t.getUTCFullYear(), 4);
            case 'y':
                return pad(t.getUTCFullYear() % 100);
            case 'm':
                return pad(t.getUTCMonth() + 1);
            case 'd':
                return pad(t.getUTCDate());
            case 'H':
                return pad(t.getUTCHours());
            case 'I':
                return pad(((t.getUTCHours() + 11) % 12) + 1);
            case 'p':
                return t.getUTCHours() < 12 ? 'AM' : 'PM';
            case 'M':
                return pad(t.getUTCMinutes());
            case 'S':
                return pad(t.getUTCSeconds());
            case 'f':
                return pad(t.getUTCMilliseconds() * 1000 + d.micro, 6);
            case 'j':
                return pad(Math.floor((Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()) - Date.UTC(t.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, 3);
            case 'a':
                return DAYS[t.getUTCDay()].slice(0, 3);
            case 'A':
                return DAYS[t.getUTCDay()];
            case 'b':
                return MONTHS[t.getUTCMonth()].slice(0, 3);
            case 'B':
                return MONTHS[t.getUTCMonth()];
            case 'z':
                return offset === null ? '' : `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
            case 'Z':
                return offset === null ? '' : offset === 0 ? 'UTC' : '';
            case '%':
                return '%';
            default:
                return fail('ValueError', `strftime directive '%${c}' is not supported`);
        }
    });
}
// --- json -----------------------------------------------------------------------------------
const jsonModule = new PyNamespace('json', new Map([
    ['dumps', new PyCallable('dumps', (args) => (arity('dumps', args, 1), stringifyJson(args[0]) ?? 'null'))],
    [
        'loads',
        new PyCallable('loads', (args) => {
            arity('loads', args, 1);
            try {
                return parseJson(needString('loads', args[0]));
            }
            catch (e) {
                return fail('JSONDecodeError', e.message);
            }
        }),
    ],
]));
/** Names callable as `f(...)`; like simpleeval, record properties never shadow them in calls. */
export const FUNCTIONS = new Map([
    ['md5', digest('md5')],
    ['sha256', digest('sha256')],
    ['str', new PyCallable('str', (args) => (arity('str', args, 0, 1), args.length === 0 ? '' : pyStr(args[0])))],
    ['int', new PyCallable('int', toInt)],
    ['float', new PyCallable('float', toFloat)],
    ['bool', new PyCallable('bool', (args) => (arity('bool', args, 0, 1), args.length > 0 && truthy(args[0])))],
    ['len', new PyCallable('len', length)],
    ['abs', new PyCallable('abs', (args) => (arity('abs', args, 1), absolute(args[0])))],
    ['round', new PyCallable('round', round)],
    ['min', new PyCallable('min', (args) => extreme('min', args))],
    ['max', new PyCallable('max', (args) => extreme('max', args))],
    ['datetime', new PyNamespace('datetime', new Map([['datetime', datetimeClass], ['date', dateClass]]))],
    ['json', jsonModule],
]);
function absolute(v) {
    if (typeof v === 'bigint')
        return v < 0n ? -v : v;
    if (isNumeric(v))
        return Math.abs(Number(typeof v === 'boolean' ? (v ? 1 : 0) : v));
    return fail('TypeError', `bad operand type for abs(): '${typeName(v)}'`);
}
// --- methods --------------------------------------------------------------------------------
function stripChars(s, chars, side) {
    const set = chars === undefined || chars === null ? null : [...needString('strip', chars)];
    const strip = (c) => (set ? set.includes(c) : /\s/.test(c));
    const cps = [...s];
    let start = 0;
    let end = cps.length;
    if (side !== 'right')
        while (start < end && strip(cps[start]))
            start += 1;
    if (side !== 'left')
        while (end > start && strip(cps[end - 1]))
            end -= 1;
    return cps.slice(start, end).join('');
}
function split(s, args) {
    arity('split', args, 0, 2);
    const [sep, maxArg] = args;
    const max = maxArg === undefined ? -1 : needInt('split', maxArg);
    if (sep === undefined || sep === null) {
        const parts = s.trim().split(/\s+/).filter((p) => p !== '');
        if (max < 0 || parts.length <= max + 1)
            return parts;
        // Python keeps the rest (from the first unsplit word on) whole.
        let rest = s.trimStart();
        const head = [];
        for (let i = 0; i < max; i += 1) {
            const m = /^(\S+)\s+/.exec(rest);
            head.push(m[1]);
            rest = rest.slice(m[0].length);
        }
        return [...head, rest.trimEnd()];
    }
    const separator = needString('split', sep);
    if (separator === '')
        fail('ValueError', 'empty separator');
    const parts = s.split(separator);
    if (max < 0 || parts.length <= max + 1)
        return parts;
    return [...parts.slice(0, max), parts.slice(max).join(separator)];
}
function affix(name, s, args) {
    arity(name, args, 1);
    const arg = args[0];
    const options = Array.isArray(arg) ? arg : [arg];
    return options.some((o) => (name === 'startswith' ? s.startsWith(needString(name, o)) : s.endsWith(needString(name, o))));
}
function stringMethod(s, name) {
    const method = (fn) => new PyCallable(name, fn);
    switch (name) {
        case 'lower':
            return method((a) => (arity(name, a, 0), s.toLowerCase()));
        case 'upper':
            return method((a) => (arity(name, a, 0), s.toUpperCase()));
        case 'strip':
            return method((a) => (arity(name, a, 0, 1), stripChars(s, a[0], 'both')));
        case 'lstrip':
            return method((a) => (arity(name, a, 0, 1), stripChars(s, a[0], 'left')));
        case 'rstrip':
            return method((a) => (arity(name, a, 0, 1), stripChars(s, a[0], 'right')));
        case 'split':
            return method((a) => split(s, a));
        case 'replace':
            return method((a) => {
                arity(name, a, 2, 3);
                const [from, to] = [needString(name, a[0]), needString(name, a[1])];
                const count = a[2] === undefined ? -1 : needInt(name, a[2]);
                const parts = s.split(from);
                checkLength(s.length + (parts.length - 1) * Math.max(0, to.length - from.length));
                if (count < 0 || parts.length - 1 <= count)
                    return parts.join(to);
                return parts.slice(0, count + 1).join(to) + from + parts.slice(count + 1).join(from);
            });
        case 'startswith':
        case 'endswith':
            return method((a) => affix(name, s, a));
        case 'find':
            return method((a) => (arity(name, a, 1), s.indexOf(needString(name, a[0]))));
        case 'count':
            return method((a) => (arity(name, a, 1), s.split(needString(name, a[0])).length - 1));
        case 'join':
            return method((a) => {
                arity(name, a, 1);
                const items = a[0];
                if (!Array.isArray(items))
                    fail('TypeError', 'can only join a list');
                const texts = items.map((item) => needString(name, item));
                checkLength(texts.reduce((n, t) => n + t.length, 0) + s.length * Math.max(0, texts.length - 1));
                return texts.join(s);
            });
        case 'title':
            return method((a) => (arity(name, a, 0), s.toLowerCase().replace(/(^|[^\p{L}])(\p{L})/gu, (_m, p, c) => p + c.toUpperCase())));
        case 'capitalize':
            return method((a) => (arity(name, a, 0), s.charAt(0).toUpperCase() + s.slice(1).toLowerCase()));
        case 'zfill':
            return method((a) => {
                arity(name, a, 1);
                const width = needInt(name, a[0]);
                checkLength(width);
                const sign = /^[+-]/.test(s) ? s[0] : '';
                return sign + s.slice(sign.length).padStart(width - sign.length, '0');
            });
        case 'isdigit':
            return method((a) => (arity(name, a, 0), /^\d+$/.test(s)));
        case 'isalpha':
            return method((a) => (arity(name, a, 0), /^\p{L}+$/u.test(s)));
    }
    return undefined;
}
function dictMethod(d, name) {
    switch (name) {
        case 'get':
            return new PyCallable('get', (a) => {
                arity('get', a, 1, 2);
                const key = a[0];
                const found = typeof key === 'string' ? ownValue(d, key) : undefined;
                return found === undefined ? (a[1] ?? null) : found;
            });
        case 'keys':
            return new PyCallable('keys', (a) => (arity('keys', a, 0), Object.keys(d)));
        case 'values':
            return new PyCallable('values', (a) => (arity('values', a, 0), Object.keys(d).map((k) => d[k])));
        case 'items':
            return new PyCallable('items', (a) => (arity('items', a, 0), Object.keys(d).map((k) => [k, d[k]])));
    }
    return undefined;
}
/** `value.name`: a whitelisted method or attribute, else Python's AttributeError. */
export function attribute(value, name) {
    let found;
    if (typeof value === 'string')
        found = stringMethod(value, name);
    else if (value instanceof PyDateTime)
        found = datetimeAttribute(value, name);
    else if (value instanceof PyNamespace)
        found = value.members.get(name);
    else if (isDict(value))
        found = dictMethod(value, name);
    if (found === undefined)
        fail('AttributeError', `'${typeName(value)}' object has no attribute '${name}'`);
    return found;
}
//# sourceMappingURL=builtins.js.map