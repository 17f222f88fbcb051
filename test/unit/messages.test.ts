import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { InputError } from '../../src/errors.js';
import { parseMessage } from '../../src/singer/messages.js';

describe('parseMessage', () => {
  it('skips blank lines', () => {
    assert.equal(parseMessage('', 1), undefined);
    assert.equal(parseMessage('   \t', 2), undefined);
  });
  it('matches the type case-insensitively', () => {
    assert.deepEqual(parseMessage('{"type":"state","value":{"a":1}}', 1), { type: 'STATE', value: { a: 1 } });
  });
  it('parses SCHEMA with key_properties', () => {
    const m = parseMessage('{"type":"SCHEMA","stream":"s","schema":{"properties":{"id":{"type":"integer"}}},"key_properties":["id"]}', 1);
    assert.deepEqual(m, { type: 'SCHEMA', stream: 's', schema: { properties: { id: { type: 'integer' } } }, key_properties: ['id'] });
  });
  it('parses RECORD with time_extracted and version', () => {
    const m = parseMessage('{"type":"RECORD","stream":"s","record":{"id":1},"time_extracted":"2020-01-01T00:00:00Z","version":3}', 1);
    assert.deepEqual(m, { type: 'RECORD', stream: 's', record: { id: 1 }, time_extracted: '2020-01-01T00:00:00Z', version: 3 });
  });
  it('reports unknown types instead of failing', () => {
    assert.deepEqual(parseMessage('{"type":"BOOKMARK"}', 1), { type: 'UNKNOWN', rawType: 'BOOKMARK' });
  });
  it('names the line of invalid JSON', () => {
    assert.throws(() => parseMessage('{"type": "RECORD", bad', 7), (e: Error) => e instanceof InputError && /Invalid JSON.*\(line 7\)/s.test(e.message));
  });
  it('names line and stream of a RECORD without record', () => {
    assert.throws(() => parseMessage('{"type":"RECORD","stream":"orders"}', 3), /no 'record' object \(line 3, stream 'orders'\)/);
  });
  it('refuses non-object messages and missing type', () => {
    assert.throws(() => parseMessage('[1,2]', 1), /must be a JSON object/);
    assert.throws(() => parseMessage('{"stream":"s"}', 1), /no 'type'/);
  });
  it('refuses key_properties that are not a list of names', () => {
    assert.throws(() => parseMessage('{"type":"SCHEMA","stream":"s","schema":{},"key_properties":"id"}', 1), /key_properties/);
  });
});

describe('parseMessage reads plain data and refuses what cannot be loaded', () => {
  it('takes a SCHEMA without key_properties as no keys, with a warning', () => {
    const warnings: string[] = [];
    const m = parseMessage('{"type":"SCHEMA","stream":"s","schema":{"properties":{"v":{}}}}', 4, { warn: (w) => warnings.push(w) });
    assert.deepEqual(m, { type: 'SCHEMA', stream: 's', schema: { properties: { v: {} } }, key_properties: [] });
    assert.match(warnings[0] ?? '', /Line 4: SCHEMA of stream 's' has no 'key_properties'/);
  });
  it('refuses non-integer versions naming line and stream', () => {
    assert.throws(() => parseMessage('{"type":"ACTIVATE_VERSION","stream":"s","version":1.5}', 9), /ACTIVATE_VERSION 'version' must be a non-negative integer.*got 1\.5 \(line 9, stream 's'\)/);
    assert.throws(() => parseMessage('{"type":"ACTIVATE_VERSION","stream":"s"}', 9), /no integer 'version'/);
    assert.throws(() => parseMessage('{"type":"RECORD","stream":"s","record":{},"version":"7"}', 2), /RECORD 'version' must be a non-negative integer/);
  });
  it('refuses empty property names and deep nesting', () => {
    assert.throws(() => parseMessage('{"type":"SCHEMA","stream":"s","schema":{"properties":{"o":{"properties":{"":{}}}}},"key_properties":[]}', 1), /empty name inside 'o'.*\(line 1, stream 's'\)/);
    const deep = `{"type":"RECORD","stream":"s","record":{"a":${'['.repeat(200)}${']'.repeat(200)}}}`;
    assert.throws(() => parseMessage(deep, 3), /nests deeper than 100 levels.*\(line 3, stream 's'\)/);
    assert.ok(parseMessage(`{"type":"RECORD","stream":"s","record":{"a":${'['.repeat(90)}${']'.repeat(90)}}}`, 3));
  });
  it('keeps __proto__ and constructor as data', () => {
    const m = parseMessage('{"type":"RECORD","stream":"s","record":{"__proto__":{"x":1},"constructor":"c"}}', 1) as { record: Record<string, unknown> };
    assert.deepEqual(Object.keys(m.record), ['__proto__', 'constructor']);
    assert.equal(Object.getPrototypeOf(m.record), Object.prototype);
    assert.throws(() => parseMessage('{"type":"RECORD","record":{},"stream":{"toString":1}}', 1), /no 'stream'/);
  });
});
