import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { defaultCell, defaultText, groupedSettingsTables, neededLabel } from '../../src/cli/settings-table.js';
import { SETTINGS } from '../../src/config/settings.js';

describe('the settings table', () => {
  it('shows measured defaults in the largest whole unit, with the value to write', () => {
    assert.equal(defaultCell({ name: 'batch_max_bytes', default: 268435456 }), '256 MiB (`268435456`)');
    assert.equal(defaultCell({ name: 'batch_max_bytes', default: 1536 }), '1536 bytes (`1536`)');
    assert.equal(defaultCell({ name: 'statement_timeout_seconds', default: 10800 }), '3 h (`10800`)');
    assert.equal(defaultCell({ name: 's3_timeout_seconds', default: 120 }), '2 min (`120`)');
    assert.equal(defaultCell({ name: 'x_seconds', default: 90 }), '`90` s');
    assert.equal(defaultCell({ name: 'x_seconds', default: 0.5 }), '`0.5` s');
    assert.equal(defaultText({ name: 'statement_timeout_seconds', default: 10800 }), '3 h (10800)');
    assert.equal(defaultText({ name: 'connect_timeout_seconds', default: 30 }), '30 s');
    // Unitless values stay code; 0 keeps its meaning ("off", "one per stream") without a unit.
    assert.equal(defaultCell({ name: 'parallelism', default: 0 }), '`0`');
    assert.equal(defaultCell({ name: 'progress_interval_seconds', default: 0 }), '`0`');
    assert.equal(defaultCell({ name: 'port', default: 443 }), '`443`');
    assert.equal(defaultCell({ name: 's3_key_prefix', default: '' }), '`""`');
    assert.equal(defaultCell({ name: 'host', default: undefined }), '');
  });

  it('says when a setting is needed: always, or another instead, or its own condition', () => {
    const requirements = { required: ['host'], alternatives: [['default_target_schema'], ['schema_mapping']] };
    assert.equal(neededLabel({ name: 'host' }, requirements), 'yes');
    assert.equal(neededLabel({ name: 'default_target_schema' }, requirements), 'yes, or `schema_mapping`');
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
