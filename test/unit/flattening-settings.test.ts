import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/config.js';
import { resolveFlattening } from '../../src/config/flattening.js';
import { columnsFor } from '../../src/schema/columns.js';
import { flattenedKey } from '../../src/schema/flatten.js';

const minimal = { host: 'h', lakehouse: 'l', user: 'u', token: 'p', s3_bucket: 'b', default_target_schema: 's' };

describe('flattening settings: SDK and original spellings', () => {
  const cases: Array<[string, Record<string, unknown>, number]> = [
    ['nothing set: objects stay whole', {}, 0],
    ['data_flattening_max_level alone (original meaning)', { data_flattening_max_level: 3 }, 3],
    ['flattening_enabled with flattening_max_depth (SDK meaning)', { flattening_enabled: true, flattening_max_depth: 2 }, 2],
    ['flattening_enabled false keeps objects whole whatever the depth', { flattening_enabled: false, flattening_max_depth: 1 }, 0],
    ['both spellings agreeing', { flattening_enabled: true, flattening_max_depth: 2, data_flattening_max_level: 2 }, 2],
    ['flattening_enabled false with data_flattening_max_level 0', { flattening_enabled: false, data_flattening_max_level: 0 }, 0],
  ];
  for (const [name, settings, depth] of cases) {
    it(name, () => {
      assert.equal(resolveFlattening(settings).depth, depth);
      assert.equal(resolveConfig({ ...minimal, ...settings }).config.data_flattening_max_level, depth);
    });
  }

  it('flattening_max_depth without flattening_enabled has no effect and says so', () => {
    const { config, warnings } = resolveConfig({ ...minimal, flattening_max_depth: 2 });
    assert.equal(config.data_flattening_max_level, 0);
    assert.deepEqual(warnings, ["'flattening_max_depth' has no effect without 'flattening_enabled: true' (as in Meltano SDK targets); objects are kept whole"]);
  });

  it('contradictions are config errors naming both settings', () => {
    assert.throws(
      () => resolveConfig({ ...minimal, flattening_enabled: true, flattening_max_depth: 1, data_flattening_max_level: 3 }),
      /'flattening_max_depth' \(1\) and 'data_flattening_max_level' \(3\) disagree; keep one of them/,
    );
    assert.throws(
      () => resolveConfig({ ...minimal, flattening_enabled: false, data_flattening_max_level: 2 }),
      /'flattening_enabled' is false but 'data_flattening_max_level' is 2; keep one of them/,
    );
    assert.throws(() => resolveConfig({ ...minimal, flattening_enabled: true }), /'flattening_enabled' is true but 'flattening_max_depth' is not set/);
  });

  it('type errors are reported once, by the schema validation', () => {
    assert.throws(
      () => resolveConfig({ ...minimal, flattening_enabled: 'yes', flattening_max_depth: 'x' }),
      (e: Error) => /'flattening_enabled' must be a boolean, got /.test(e.message) && /'flattening_max_depth' must be an integer, got /.test(e.message) && !/disagree/.test(e.message),
    );
  });
});

describe('flattening_max_key_length', () => {
  it('shortens long flattened names as the SDK does, outermost step first', () => {
    assert.equal(flattenedKey(['customer_address', 'zip_code'], 13), 'ca__zip_code');
    // Like the SDK, a name as long as the limit is shortened too.
    assert.equal(flattenedKey(['customer_address', 'zip_code'], 12), 'ca__zc');
    assert.equal(flattenedKey(['details', 'source'], 5), 'det__sou');
    assert.equal(flattenedKey(['customer_address', 'zip'], 100), 'customer_address__zip');
    assert.equal(flattenedKey(['a_very_long_top_level_name'], 5), 'a_very_long_top_level_name');
    assert.equal(flattenedKey(['customer_address', 'zip']), 'customer_address__zip');
  });

  it('applies to the columns of a flattened schema; the values still come from the full path', () => {
    const schema = { properties: { customer_address: { type: 'object', properties: { zip_code: { type: 'string' } } }, id: { type: 'integer' } } };
    const columns = columnsFor(schema, 's', 1, undefined, 13);
    assert.deepEqual(columns.map((c) => [c.name, c.path]), [
      ['CA__ZIP_CODE', ['customer_address', 'zip_code']],
      ['ID', ['id']],
    ]);
  });
});
