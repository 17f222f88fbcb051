import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { formatDefault, groupedSettingsTables, neededLabel } from '../../src/cli/settings-table.js';
import { SETTINGS } from '../../src/config/settings.js';

describe('the settings table', () => {
  it('shows measured defaults in the largest unit that states them exactly', () => {
    assert.equal(formatDefault({ name: 'batch_max_bytes', default: 268435456 }), '256 MiB');
    assert.equal(formatDefault({ name: 'batch_max_bytes', default: 1536 }), '1536 bytes');
    assert.equal(formatDefault({ name: 'statement_timeout_seconds', default: 10800 }), '3 h');
    assert.equal(formatDefault({ name: 's3_timeout_seconds', default: 120 }), '2 min');
    assert.equal(formatDefault({ name: 'x_seconds', default: 90 }), '90 s');
    assert.equal(formatDefault({ name: 'x_seconds', default: 0.5 }), '0.5 s');
    assert.equal(formatDefault({ name: 'batch_size_rows', default: 100000 }), '100,000 rows');
    // Unitless values stay code; 0 keeps its meaning ("off", "one per stream") without a unit.
    assert.equal(formatDefault({ name: 'parallelism', default: 0 }), '`0`');
    assert.equal(formatDefault({ name: 'progress_interval_seconds', default: 0 }), '`0`');
    assert.equal(formatDefault({ name: 'port', default: 443 }), '`443`');
    assert.equal(formatDefault({ name: 's3_key_prefix', default: '' }), '`""`');
    assert.equal(formatDefault({ name: 'host', default: undefined }), '');
  });

  it('says when a setting is needed: always, unless another is set, or its own condition', () => {
    const requirements = { required: ['host'], alternatives: [['default_target_schema'], ['schema_mapping']] };
    assert.equal(neededLabel({ name: 'host' }, requirements), 'always');
    assert.equal(neededLabel({ name: 'default_target_schema' }, requirements), 'unless `schema_mapping` is set');
    assert.equal(neededLabel({ name: 's3_endpoint_url', neededWhen: 'the bucket is not on AWS S3' }, requirements), 'when the bucket is not on AWS S3');
    assert.equal(neededLabel({ name: 'catalog' }, requirements), '');
  });

  it('states the environment-variable rule once, above the tables, and no row repeats it', () => {
    const tables = groupedSettingsTables(SETTINGS);
    assert.equal(tables.match(/TARGET_IOMETE_/g)?.length, 2, 'the prefix and one example');
    assert.ok(tables.indexOf('TARGET_IOMETE_') < tables.indexOf('| Setting |'));
    for (const spec of SETTINGS) assert.ok(tables.includes(`| \`${spec.name}\` |`), spec.name);
  });
});
