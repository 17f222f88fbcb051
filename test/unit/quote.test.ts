import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { qualifiedName, quoteIdentifier, quoteString } from '../../src/sql/quote.js';

describe('quoteIdentifier', () => {
  const cases: Array<[string, string]> = [
    ['c_pk', '`c_pk`'],
    ['CAMELCASECOLUMN', '`CAMELCASECOLUMN`'],
    ['minus-column', '`minus-column`'],
    ['column name', '`column name`'],
    ['order', '`order`'],
    ['a`b', '`a``b`'],
    ['``', '``````'],
    ['`; DROP TABLE x; --', '```; DROP TABLE x; --`'],
    ['ünïcödé_列', '`ünïcödé_列`'],
    ['dots.in.name', '`dots.in.name`'],
    ["quote'inside", "`quote'inside`"],
    ['back\\slash', '`back\\slash`'],
  ];
  for (const [input, expected] of cases) {
    it(`quotes ${JSON.stringify(input)}`, () => assert.equal(quoteIdentifier(input), expected));
  }
  it('refuses an empty identifier', () => assert.throws(() => quoteIdentifier(''), /cannot be empty/));
  it('quotes each part of a qualified name', () => {
    assert.equal(qualifiedName('spark_catalog', 'my schema', 'ta`ble'), '`spark_catalog`.`my schema`.`ta``ble`');
  });
});

describe('quoteString', () => {
  const cases: Array<[string, string]> = [
    ['plain', "'plain'"],
    ['', "''"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ['line\nbreak', "'line\\nbreak'"],
    ['tab\there', "'tab\\there'"],
    ['cr\rhere', "'cr\\rhere'"],
    ['nul\0here', "'nul\\0here'"],
    ["\\'", "'\\\\\\''"],
    ['s3a://bucket/prefix/x.jsonl.gz', "'s3a://bucket/prefix/x.jsonl.gz'"],
    ['"double"', "'\"double\"'"],
    ['Ελληνικά 日本語', "'Ελληνικά 日本語'"],
  ];
  for (const [input, expected] of cases) {
    it(`escapes ${JSON.stringify(input)}`, () => assert.equal(quoteString(input), expected));
  }
});
