import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { evaluate } from '../../src/mapping/evaluate.js';
import { ExpressionSyntaxError, parseExpression } from '../../src/mapping/expression.js';
import { inferSchema } from '../../src/mapping/infer-type.js';
import { MapEvaluationError, toRecordValue, type PyValue } from '../../src/mapping/values.js';

/** Evaluates like a stream map does: record properties as names, plus record/_/config. */
function run(source: string, record: Record<string, unknown> = {}, config: Record<string, unknown> = {}): unknown {
  const names = new Map<string, PyValue>(Object.entries(record) as Array<[string, PyValue]>);
  names.set('record', record as PyValue);
  names.set('_', record as PyValue);
  names.set('config', config as PyValue);
  return toRecordValue(evaluate(parseExpression(source), { names }));
}

function fails(source: string, pattern: RegExp, record: Record<string, unknown> = {}): void {
  assert.throws(
    () => run(source, record),
    (e: Error) => (e instanceof MapEvaluationError || e instanceof ExpressionSyntaxError) && pattern.test(e.message),
    source,
  );
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('stream map expressions: the Meltano docs examples', () => {
  const customer = { customer_id: 'ABC', owner_email: 'Jane@Example.com', email: 'jane@example.com', id: 7 };
  it("owner_email.split('@')[-1]", () => assert.equal(run("owner_email.split('@')[-1]", customer), 'Example.com'));
  it("md5(config['hash_seed'] + owner_email)", () =>
    assert.equal(run("md5(config['hash_seed'] + owner_email)", customer, { hash_seed: 'seed' }), md5('seedJane@Example.com')));
  it('customer_id.lower(), record[...] and _[...] are the same', () => {
    assert.equal(run('customer_id.lower()', customer), 'abc');
    assert.equal(run("record['customer_id'].lower()", customer), 'abc');
    assert.equal(run("_['customer_id'].lower()", customer), 'abc');
  });
  it("email.endswith('@example.com') as a filter", () => {
    assert.equal(run("email.endswith('@example.com')", customer), true);
    assert.equal(run("email.endswith('@other.com')", customer), false);
  });
  it('sha256, str, int, float, len', () => {
    assert.equal(run('sha256(email)', customer), sha256('jane@example.com'));
    assert.equal(run('md5(str(id))', customer), md5('7'));
    assert.equal(run("int('42') + 1"), 43);
    assert.equal(run("float('2.5') * 2"), 5);
    assert.equal(run('len(email)', customer), 16);
    assert.equal(run("len('héllo😀')"), 6);
  });
});

describe('stream map expressions: Python semantics', () => {
  const cases: Array<[string, unknown, Record<string, unknown>?]> = [
    ["'a' + 'b'", 'ab'],
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['7 / 2', 3.5],
    ['7 // 2', 3],
    ['-7 // 2', -4],
    ['-7 % 3', 2],
    ['2 ** 10', 1024],
    ['-2 ** 2', -4],
    ['2 ** 64', '18446744073709551616'],
    ["'ab' * 3", 'ababab'],
    ['[1, 2] + [3]', [1, 2, 3]],
    ['1 < 2', true],
    ["'b' > 'a'", true],
    ['1 == 1.0', true],
    ['True == 1', true],
    ["'1' == 1", false],
    ['not 1 == 2', true],
    ['not a and b', 5, { a: 0, b: 5 }],
    ['not (a and b)', true, { a: 0, b: 5 }],
    ["x if x else 'none'", 'none', { x: '' }],
    ["x if x else 'none'", 'y', { x: 'y' }],
    ["'big' if n > 10 else 'mid' if n > 5 else 'small'", 'mid', { n: 7 }],
    ["a or 'default'", 'default', { a: null }],
    ["a and a.upper()", null, { a: null }],
    ["'@' in email", true, { email: 'x@y' }],
    ["'z' not in email", true, { email: 'x@y' }],
    ['a is None', true, { a: null }],
    ['a is not None', true, { a: 0 }],
    ["'  Hi  '.strip()", 'Hi'],
    ["'  Hi  '.lstrip()", 'Hi  '],
    ["'xxHixx'.strip('x')", 'Hi'],
    ["'A b'.lower() + 'c'.upper()", 'a bC'],
    ["'a,b,,c'.split(',')", ['a', 'b', '', 'c']],
    ["'a b  c'.split()", ['a', 'b', 'c']],
    ["'a-b-c'.split('-', 1)", ['a', 'b-c']],
    ["'a-b-c'.replace('-', '+')", 'a+b+c'],
    ["'-'.join(['a', 'b'])", 'a-b'],
    ["'hello world'.title()", 'Hello World'],
    ["'42'.zfill(5)", '00042'],
    ["'abc'[0]", 'a'],
    ['items[-1]', 3, { items: [1, 2, 3] }],
    ["record['nested']['k']", 'v', { nested: { k: 'v' } }],
    ["nested.get('missing', 'd')", 'd', { nested: { k: 'v' } }],
    ['str(None)', 'None'],
    ['str(True)', 'True'],
    ['str(1.5)', '1.5'],
    ['str([1, \'a\'])', "[1, 'a']"],
    ['str(d)', "{'k': 1, 'q': \"it's\"}", { d: { k: 1, q: "it's" } }],
    ['int(3.9)', 3],
    ['int(-3.9)', -3],
    ['int(True)', 1],
    ["int(' 12 ')", 12],
    ["int('ff', 16)", 255],
    ["int('12345678901234567890')", '12345678901234567890'],
    ["float('1e3')", 1000],
    ['bool(0)', false],
    ["bool('x')", true],
    ['round(2.5)', 2],
    ['round(3.5)', 4],
    ['round(2.675, 1)', 2.7],
    ['abs(-3)', 3],
    ['min(3, 1, 2)', 1],
    ['max([3, 1, 2])', 3],
    ["datetime.datetime.fromisoformat('2024-03-01T10:20:30+02:00').isoformat()", '2024-03-01T10:20:30+02:00'],
    ["datetime.datetime.fromisoformat('2024-03-01 10:20:30.5').year", 2024],
    ["datetime.datetime.fromisoformat(ts)", '2024-03-01T10:20:30.123456', { ts: '2024-03-01T10:20:30.123456' }],
    ["str(datetime.datetime.fromisoformat('2024-03-01T10:20:30Z'))", '2024-03-01 10:20:30+00:00'],
    ["datetime.date.fromisoformat('2024-02-29')", '2024-02-29'],
    ["datetime.datetime.fromisoformat('2024-03-01T10:20:30').date()", '2024-03-01'],
    ["datetime.datetime.fromisoformat('2024-03-01T09:05:07.25+05:30').strftime('%Y-%m-%d %H:%M:%S.%f %z %a %b %j %I%p %%')", '2024-03-01 09:05:07.250000 +0530 Fri Mar 061 09AM %'],
    ["datetime.date.fromisoformat('2024-12-31').strftime('%A %d %B %y')", 'Tuesday 31 December 24'],
    ["json.dumps(d)", '{"k":[1,2]}', { d: { k: [1, 2] } }],
    ["json.loads('{\"a\": 1}')['a']", 1],
    ['this + 1', 2, { this: 1 }],
  ];
  for (const [source, expected, record] of cases) {
    it(`${source} -> ${JSON.stringify(expected)}`, () => {
      const value = run(source, record);
      assert.deepEqual(typeof value === 'bigint' ? value.toString() : value, expected);
    });
  }
});

describe('stream map expressions: errors say what went wrong', () => {
  it('Python error kinds and wording', () => {
    fails("'a' + 1", /TypeError: can only concatenate str \(not "int"\) to str/);
    fails('1 + None', /TypeError: unsupported operand type\(s\) for \+: 'int' and 'NoneType'/);
    fails('md5(None)', /md5\(\) needs a str, got NoneType.*str\(\)/);
    fails('md5(1)', /md5\(\) needs a str, got int/);
    fails('missing', /NameError: name 'missing' is not defined/);
    fails("record['missing']", /KeyError: 'missing'/);
    fails('items[5]', /IndexError: list index out of range/, { items: [1] });
    fails('1 / 0', /ZeroDivisionError/);
    fails("int('x1')", /ValueError: invalid literal for int\(\) with base 10 \(a str of 2 characters\)/);
    fails("1 < 'a'", /TypeError: '<' not supported between instances of 'int' and 'str'/);
    fails('n.lower()', /AttributeError: 'int' object has no attribute 'lower'/, { n: 1 });
    fails('len(5)', /TypeError: object of type 'int' has no len\(\)/);
    fails("datetime.datetime.fromisoformat('2024-02-30')", /ValueError: Invalid isoformat string/);
    fails("datetime.date.today().strftime('%Q')", /ValueError: strftime directive '%Q' is not supported/);
  });
  it('a failing value is described, never shown (it may be personal data or a hash seed)', () => {
    assert.throws(() => run("int(config['seed'])", {}, { seed: 'TOPSECRET' }), (e: Error) => !e.message.includes('TOPSECRET'));
  });
  it('syntax that is not Python is refused at parse time', () => {
    fails('a ? b : c', /'a if c else b'/);
    fails('a if b', /'if' without 'else'/);
    fails('a && b', /./);
    fails('!a', /./);
    fails('a === b', /./);
    fails('a, b', /one expression expected/);
    fails('', /empty/);
    fails('x'.repeat(10_001), /longer than/);
    fails('f(', /./);
  });
});

describe('stream map expressions: hostile input reaches nothing of the runtime', () => {
  const hostile = [
    'record.constructor',
    "record['constructor']",
    "record['__proto__']",
    'record.__proto__',
    "''.constructor",
    "''.constructor.constructor('return process')()",
    "md5.constructor('return process')()",
    "config['toString']",
    'config.hasOwnProperty',
    'process',
    'globalThis',
    'require',
    'eval',
    'Function',
    'this.constructor',
    "record.get('__proto__').constructor",
    "str.__class__",
    "len.call",
    "datetime.constructor",
    "datetime.datetime.__proto__",
    "[].constructor",
    "json.loads('{}').constructor",
    "__import__('os')",
    "'x'.__class__.__mro__",
  ];
  for (const source of hostile) {
    it(`refuses ${source}`, () => {
      assert.throws(
        () => run(source, { name: 'n' }, { seed: 's' }),
        (e: Error) => e instanceof MapEvaluationError || e instanceof ExpressionSyntaxError,
      );
    });
  }
  it("a record's own __proto__ key is data, not the prototype", () => {
    const record = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": "c"}') as Record<string, unknown>;
    assert.deepEqual(run("record['__proto__']", record), { polluted: 1 });
    assert.equal(run("record['constructor']", record), 'c');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
  it('bounds what an expression can build', () => {
    fails("'x' * 10 ** 9", /MemoryError/);
    fails('2 ** 100000', /OverflowError/);
    fails("[1] * 100000000", /MemoryError/);
    fails("'1'.zfill(10 ** 9)", /MemoryError/);
    fails("('a' * 1000000).replace('a', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb')", /MemoryError/);
  });
  it('a deeply nested expression is refused, not a stack overflow', () => {
    fails(`${'('.repeat(4000)}1${')'.repeat(4000)}`, /nested more than 100 levels/);
    fails(`1${'+1'.repeat(4000)}`, /nested more than 100 levels/);
    fails(`${'-'.repeat(9000)}1`, /nested more than 100 levels/);
    assert.equal(run(`${'('.repeat(50)}1${')'.repeat(50)}`), 1);
  });
});

describe('stream map expressions: types of new properties', () => {
  const source = { properties: { id: { type: 'integer' }, name: { type: ['string', 'null'] }, tags: { type: 'array', items: { type: 'string' } } } };
  const type = (expr: string) => inferSchema(parseExpression(expr), { source });
  const cases: Array<[string, unknown]> = [
    ['md5(name)', ['string', 'null']],
    ['sha256(name)', ['string', 'null']],
    ['str(id)', ['string', 'null']],
    ['int(name)', ['integer', 'null']],
    ['float(name)', ['number', 'null']],
    ['bool(name)', ['boolean', 'null']],
    ['len(name)', ['integer', 'null']],
    ['name.upper()', ['string', 'null']],
    ["name.startswith('a')", ['boolean', 'null']],
    ['id > 3', ['boolean', 'null']],
    ['id + 1', ['integer', 'null']],
    ['id / 2', ['number', 'null']],
    ["'x'", ['string', 'null']],
    ['1.5', ['number', 'null']],
    ['md5(name) if name else None', ['string', 'null']],
    ['id', 'integer'],
    ["record['id']", 'integer'],
    ['tags[0]', 'string'],
  ];
  for (const [expr, expected] of cases) it(`${expr}`, () => assert.deepEqual(type(expr)?.type, expected));
  it('unknown types are left to the caller (existing schema, else string)', () => {
    assert.equal(type("config['x']"), undefined);
    assert.equal(type("id if id else 'x'"), undefined);
  });
  it("datetime parsing is a date-time string", () => {
    assert.deepEqual(type('datetime.datetime.fromisoformat(name)'), { type: ['string', 'null'], format: 'date-time' });
  });
  it('record is the whole source object', () => assert.deepEqual(type('record')?.properties, source.properties));
});
