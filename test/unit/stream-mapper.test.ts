import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/config.js';
import { ConfigError, InputError } from '../../src/errors.js';
import { StreamMapper, streamMapProblems, wildcardPattern } from '../../src/mapping/stream-mapper.js';
import type { RecordMessage, SchemaMessage, SingerMessage } from '../../src/singer/messages.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

const customersSchema: SchemaMessage = {
  type: 'SCHEMA',
  stream: 'customers',
  schema: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      name: { type: ['string', 'null'] },
      email: { type: ['string', 'null'] },
      age: { type: ['integer', 'null'] },
    },
    required: ['id', 'email'],
  },
  key_properties: ['id'],
};
const jane: RecordMessage = { type: 'RECORD', stream: 'customers', record: { id: 1, name: 'Jane', email: 'Jane@Example.com', age: 41 }, version: 3 };
const bob: RecordMessage = { type: 'RECORD', stream: 'customers', record: { id: 2, name: 'Bob', email: 'bob@other.org', age: 17 } };

/** Feeds messages through a mapper and returns what the engine would receive. */
function through(streamMaps: Record<string, unknown>, messages: SingerMessage[], config: Record<string, unknown> = {}): SingerMessage[] {
  const mapper = new StreamMapper({ stream_maps: streamMaps, stream_map_config: config });
  return messages.flatMap((m, i) => mapper.map(m, i + 1));
}

const schemas = (out: SingerMessage[]) => out.filter((m): m is SchemaMessage => m.type === 'SCHEMA');
const records = (out: SingerMessage[]) => out.filter((m): m is RecordMessage => m.type === 'RECORD').map((m) => [m.stream, m.record]);

describe('stream maps: properties', () => {
  it('null and "__NULL__" drop a property from schema, required and records', () => {
    for (const drop of [null, '__NULL__']) {
      const out = through({ customers: { email: drop } }, [customersSchema, jane]);
      const [schema] = schemas(out);
      assert.deepEqual(Object.keys(schema!.schema.properties!), ['id', 'name', 'age']);
      assert.deepEqual(schema!.schema.required, ['id']);
      assert.deepEqual(records(out), [['customers', { id: 1, name: 'Jane', age: 41 }]]);
    }
  });

  it('an expression adds a property (typed from the expression) and replaces one in place', () => {
    const out = through(
      { customers: { email_hash: "md5(config['seed'] + email)", email: 'email.lower()', age: "'x'", adult: 'age >= 18' } },
      [customersSchema, jane],
      { seed: 's' },
    );
    const [schema] = schemas(out);
    assert.deepEqual(Object.keys(schema!.schema.properties!), ['id', 'name', 'email', 'age', 'email_hash', 'adult']);
    assert.deepEqual(schema!.schema.properties!.email_hash, { type: ['string', 'null'] });
    assert.deepEqual(schema!.schema.properties!.age, { type: ['string', 'null'] });
    assert.deepEqual(schema!.schema.properties!.adult, { type: ['boolean', 'null'] });
    assert.deepEqual(records(out), [['customers', { id: 1, name: 'Jane', email: 'jane@example.com', age: 'x', email_hash: md5('sJane@Example.com'), adult: true }]]);
  });

  it('a replaced property of unknown expression type keeps its schema; a new one is a string', () => {
    const [schema] = schemas(through({ customers: { age: "config['x']", extra: "config['x']" } }, [customersSchema]));
    assert.deepEqual(schema!.schema.properties!.age, { type: ['integer', 'null'] });
    assert.deepEqual(schema!.schema.properties!.extra, { type: ['string', 'null'] });
  });

  it('expressions read the original record, `self` the replaced value', () => {
    const out = through({ customers: { name: 'name.upper()', shout: 'name + "!"' } }, [customersSchema, jane]);
    assert.deepEqual(records(out)[0]![1], { id: 1, name: 'JANE', email: 'Jane@Example.com', age: 41, shout: 'Jane!' });
    assert.throws(() => through({ customers: { doubled: 'self * 2' } }, [customersSchema, jane]), /NameError: name 'self' is not defined/);
    const withSelf = through({ customers: { age: 'self * 2' } }, [customersSchema, jane]);
    assert.equal((records(withSelf)[0]![1] as { age: number }).age, 82);
  });

  it('a declared property the record omits reads as None', () => {
    const out = through({ customers: { has_name: 'name is not None' } }, [customersSchema, { ...jane, record: { id: 1, email: 'x' } }]);
    assert.deepEqual(records(out), [['customers', { id: 1, email: 'x', has_name: false }]]);
  });

  it('__else__: null keeps only mapped properties and the key properties', () => {
    const out = through({ customers: { email: 'email', __else__: null } }, [customersSchema, jane]);
    const [schema] = schemas(out);
    assert.deepEqual(Object.keys(schema!.schema.properties!), ['id', 'email']);
    assert.deepEqual(schema!.key_properties, ['id']);
    assert.deepEqual(records(out), [['customers', { id: 1, email: 'Jane@Example.com' }]]);
  });

  it('__key_properties__ replaces the keys (null: no keys); a key cannot be dropped without it', () => {
    const out = through({ customers: { id: null, id_hash: 'md5(str(id))', __key_properties__: ['id_hash'] } }, [customersSchema, jane]);
    assert.deepEqual(schemas(out)[0]!.key_properties, ['id_hash']);
    assert.deepEqual(records(out)[0]![1], { name: 'Jane', email: 'Jane@Example.com', age: 41, id_hash: md5('1') });
    assert.deepEqual(schemas(through({ customers: { __key_properties__: null } }, [customersSchema]))[0]!.key_properties, []);
    assert.throws(() => through({ customers: { id: null } }, [customersSchema]), (e: Error) => e instanceof ConfigError && /cannot drop key property 'id'.*__key_properties__/.test(e.message));
    assert.throws(
      () => through({ customers: { __key_properties__: ['nope'] } }, [customersSchema]),
      (e: Error) => e instanceof ConfigError && /'stream_maps.customers' for stream 'customers': key property 'nope' is not in the mapped schema/.test(e.message),
    );
  });

  it('a property named __proto__ stays a plain key', () => {
    const out = through(JSON.parse('{"customers": {"__proto__": "1 + 1"}}') as Record<string, unknown>, [customersSchema, jane]);
    const record = records(out)[0]![1] as Record<string, unknown>;
    assert.ok(Object.prototype.hasOwnProperty.call(record, '__proto__'));
    assert.equal(Object.getPrototypeOf(record), Object.prototype);
    assert.ok(Object.prototype.hasOwnProperty.call(schemas(out)[0]!.schema.properties, '__proto__'));
  });
});

describe('stream maps: streams', () => {
  it('without a map for it, a stream passes untouched (the same message objects)', () => {
    const mapper = new StreamMapper({ stream_maps: { other: { x: null } } });
    assert.equal(mapper.map(customersSchema, 1)[0], customersSchema);
    assert.equal(mapper.map(jane, 2)[0], jane);
    assert.equal(mapper.transforms('customers'), false);
  });

  it('__alias__ renames the stream for SCHEMA, RECORD and ACTIVATE_VERSION; version and time are kept', () => {
    const mapper = new StreamMapper({ stream_maps: { customers: { __alias__: 'clients' } } });
    assert.equal((mapper.map(customersSchema, 1)[0] as SchemaMessage).stream, 'clients');
    assert.deepEqual(mapper.map(jane, 2), [{ ...jane, stream: 'clients' }]);
    assert.deepEqual(mapper.map({ type: 'ACTIVATE_VERSION', stream: 'customers', version: 3 }, 3), [{ type: 'ACTIVATE_VERSION', stream: 'clients', version: 3 }]);
    assert.equal(mapper.transforms('customers'), true);
  });

  it('__filter__ drops records for which the expression is falsy', () => {
    const out = through({ customers: { __filter__: "email.endswith('@example.com') or age > 30" } }, [customersSchema, { ...jane, record: { ...jane.record, email: 'jane@example.com' } }, bob]);
    assert.deepEqual(records(out).map(([, r]) => (r as { id: number }).id), [1]);
  });

  it('__source__ adds a copy with its own rules; ACTIVATE_VERSION goes to both', () => {
    const out = through(
      { customers: { email: null }, customers_pii: { __source__: 'customers', id: 'id', email: 'email', __else__: null } },
      [customersSchema, jane, { type: 'ACTIVATE_VERSION', stream: 'customers', version: 3 }],
    );
    assert.deepEqual(schemas(out).map((s) => [s.stream, Object.keys(s.schema.properties!)]), [
      ['customers', ['id', 'name', 'age']],
      ['customers_pii', ['id', 'email']],
    ]);
    assert.deepEqual(records(out), [
      ['customers', { id: 1, name: 'Jane', age: 41 }],
      ['customers_pii', { id: 1, email: 'Jane@Example.com' }],
    ]);
    assert.deepEqual(out.filter((m) => m.type === 'ACTIVATE_VERSION').map((m) => (m as { stream: string }).stream), ['customers', 'customers_pii']);
  });

  it('null removes a stream: no SCHEMA, no RECORD; STATE passes', () => {
    const state: SingerMessage = { type: 'STATE', value: { bookmarks: {} } };
    const out = through({ customers: null }, [customersSchema, jane, state]);
    assert.deepEqual(out, [state]);
  });

  it('top-level __else__: null drops every stream not mapped', () => {
    const orders: SchemaMessage = { type: 'SCHEMA', stream: 'orders', schema: { properties: { id: { type: 'integer' } } }, key_properties: ['id'] };
    const out = through({ customers: {}, __else__: null }, [customersSchema, orders, jane, { type: 'RECORD', stream: 'orders', record: { id: 5 } }]);
    assert.deepEqual(schemas(out).map((s) => s.stream), ['customers']);
    assert.deepEqual(records(out).map(([s]) => s), ['customers']);
  });

  it('the * wildcard selects every stream; later exact entries win; wildcard patterns match like fnmatch', () => {
    const orders: SchemaMessage = { type: 'SCHEMA', stream: 'orders', schema: { properties: { id: { type: 'integer' }, email: { type: 'string' } } }, key_properties: ['id'] };
    const out = through({ '*': { email: null }, orders: { email: 'email.upper()' } }, [customersSchema, orders, jane, { type: 'RECORD', stream: 'orders', record: { id: 5, email: 'a@b' } }]);
    assert.deepEqual(records(out), [
      ['customers', { id: 1, name: 'Jane', age: 41 }],
      ['orders', { id: 5, email: 'A@B' }],
    ]);
    assert.ok(wildcardPattern('public-*')!.test('public-users'));
    assert.ok(!wildcardPattern('public-*')!.test('private-users'));
    assert.ok(wildcardPattern('s?')!.test('s1'));
    assert.ok(wildcardPattern('s[!0-4]')!.test('s7'));
    assert.ok(!wildcardPattern('s[!0-4]')!.test('s3'));
    assert.ok(wildcardPattern('a.b*')!.test('a.bc') && !wildcardPattern('a.b*')!.test('axbc'));
    assert.equal(wildcardPattern('plain'), undefined);
  });
});

describe('stream maps: errors', () => {
  it('a failing expression names the stream, the property, the expression and the line', () => {
    const mapper = new StreamMapper({ stream_maps: { customers: { h: 'md5(age)' } } });
    mapper.map(customersSchema, 1);
    assert.throws(
      () => mapper.map(jane, 7),
      (e: Error) =>
        e instanceof InputError &&
        e.message === "Stream map 'stream_maps.customers.h': expression `md5(age)` failed: TypeError: md5() needs a str, got int (hash text: wrap numbers in str(), and guard nulls: md5(x) if x is not None else None) (line 7, stream 'customers')",
    );
  });

  it('an expression building something V8 cannot hold fails like any other expression', () => {
    const mapper = new StreamMapper({ stream_maps: { customers: { big: "str([name * 4000000] * 64)" } } });
    mapper.map(customersSchema, 1);
    assert.throws(() => mapper.map(jane, 2), (e: Error) => e instanceof InputError && /'stream_maps.customers.big'.*failed: MemoryError: Invalid string length/.test(e.message));
  });

    it('a failing filter says so', () => {
    const mapper = new StreamMapper({ stream_maps: { customers: { __filter__: 'age > name' } } });
    mapper.map(customersSchema, 1);
    assert.throws(() => mapper.map(jane, 2), /Stream map 'stream_maps\.customers\.__filter__': expression `age > name` failed: TypeError: '>' not supported/);
  });

  it('config problems are all listed, each naming the setting path and the expression', () => {
    assert.deepEqual(
      streamMapProblems({
        stream_maps: { a: { x: 'md5(', y: 5, __else__: 'keep', __filter__: 3 }, b: 'text', __other__: null, __else__: 'x' },
        stream_map_config: [] as unknown as Record<string, unknown>,
      }),
      [
        "'stream_map_config' must be an object",
        "'stream_maps.a.__filter__' must be an expression (a string)",
        "'stream_maps.a.__else__' supports only null (or \"__NULL__\"): drop the properties not mapped",
        "'stream_maps.a.x': cannot parse expression `md5(`: Expected ) at character 4",
        "'stream_maps.a.y' must be an expression (a string), or null (or \"__NULL__\") to drop the property",
        "'stream_maps.b' must be an object of property rules, or null (or \"__NULL__\") to drop the stream",
        "'stream_maps.__other__' is not a stream map option (stream-level options are __else__; __filter__, __source__, __alias__, __key_properties__ go inside a stream's map)",
        "'stream_maps.__else__' supports only null (or \"__NULL__\"): drop the streams not mapped",
      ],
    );
  });

  it('resolveConfig reports stream map problems with the other config problems', () => {
    const base = { host: 'h', lakehouse: 'l', user: 'u', password: 'p', s3_bucket: 'b', default_target_schema: 's' };
    assert.throws(() => resolveConfig({ ...base, stream_maps: { a: { x: 'a ? b : c' } } }), /'stream_maps.a.x': cannot parse expression `a \? b : c`: 'c \? a : b' is not Python syntax/);
    assert.equal(resolveConfig({ ...base, stream_maps: { a: { x: 'md5(y)' } } }).config.stream_maps !== undefined, true);
  });
});
