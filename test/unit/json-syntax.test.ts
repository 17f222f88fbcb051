import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { jsonSyntaxError } from '../../src/json-syntax.js';

describe('jsonSyntaxError', () => {
  it('names line and column and never quotes the text', () => {
    const text = '{\n  "user": "me",\n  "password": PW-Zq81-s3\n}';
    const message = jsonSyntaxError(text);
    assert.equal(message, 'line 3, column 15: invalid symbol');
    assert.doesNotMatch(message, /PW|Zq81|password/);
  });

  it('reports truncated input and trailing commas', () => {
    assert.equal(jsonSyntaxError('{"a": 1'), 'line 1, column 8: close brace expected');
    assert.equal(jsonSyntaxError('{"a": 1,}'), 'line 1, column 9: property name expected');
    assert.equal(jsonSyntaxError(''), 'line 1, column 1: value expected');
  });
});
