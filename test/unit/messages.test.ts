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
