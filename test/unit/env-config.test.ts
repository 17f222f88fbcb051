import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/config.js';
import { castEnvValue, configFromEnv, configSources, envVarName, overlayEnv } from '../../src/config/env.js';
import { SETTINGS } from '../../src/config/settings.js';

describe('--config ENV', () => {
  it('names variables with the TARGET_IOMETE_ prefix', () => {
    assert.equal(envVarName('s3_bucket'), 'TARGET_IOMETE_S3_BUCKET');
    assert.equal(envVarName('some-name'), 'TARGET_IOMETE_SOME_NAME');
  });

  it('casts each variable by its schema type', () => {
    const { values: config } = configFromEnv({
      TARGET_IOMETE_HOST: 'dev.iomete.cloud',
      TARGET_IOMETE_PORT: '8443',
      TARGET_IOMETE_TLS_VERIFY: 'off',
      TARGET_IOMETE_S3_FORCE_PATH_STYLE: 'YES',
      TARGET_IOMETE_BATCH_WAIT_LIMIT_SECONDS: '2.5',
      TARGET_IOMETE_SCHEMA_MAPPING: '{"public": {"target_schema": "raw"}}',
      TARGET_IOMETE_S3_KEY_PREFIX: '',
      UNRELATED: 'x',
    });
    assert.deepEqual(config, {
      host: 'dev.iomete.cloud',
      port: 8443,
      tls_verify: false,
      s3_force_path_style: true,
      batch_wait_limit_seconds: 2.5,
      schema_mapping: { public: { target_schema: 'raw' } },
      s3_key_prefix: '',
    });
  });

  it('reads aliases too, so resolveConfig folds them like file keys', () => {
    assert.deepEqual(configFromEnv({ TARGET_IOMETE_ADD_RECORD_METADATA: 'true' }).values, { add_record_metadata: true });
  });

  it('treats an empty typed variable as unset', () => {
    assert.deepEqual(configFromEnv({ TARGET_IOMETE_PORT: '', TARGET_IOMETE_TLS_VERIFY: ' ' }).values, {});
  });

  it('reports values that do not cast, naming the variable and the value given (never a secret\'s)', () => {
    const { problems, values } = configFromEnv({
      TARGET_IOMETE_PORT: '44s3',
      TARGET_IOMETE_TLS_VERIFY: 'maybe',
      TARGET_IOMETE_SCHEMA_MAPPING: '[1]',
      TARGET_IOMETE_STREAM_MAP_CONFIG: 'not json',
    });
    assert.deepEqual(problems, [
      'TARGET_IOMETE_PORT must be an integer, got "44s3"',
      'TARGET_IOMETE_TLS_VERIFY must be one of true/false, 1/0, yes/no, on/off, got "maybe"',
      'TARGET_IOMETE_SCHEMA_MAPPING must hold a JSON object, got "[1]"',
      'TARGET_IOMETE_STREAM_MAP_CONFIG must hold a JSON object',
    ]);
    assert.deepEqual(values, {});
  });

  it('lists prefixed variables that name no setting, leaving out logging and Meltano extra variables', () => {
    assert.deepEqual(configFromEnv({ TARGET_IOMETE_PASWORD: 'x', TARGET_IOMETE_LOGLEVEL: 'info', TARGET_IOMETE__DIALECT: 'x', OTHER_PASWORD: 'x' }).unknown, ['TARGET_IOMETE_PASWORD']);
  });

  it('casts every setting kind the settings list uses', () => {
    for (const spec of SETTINGS) {
      const sample = { string: 'x', integer: '1', number: '1.5', boolean: 'true', object: '{}', array: '[]' }[spec.kind];
      assert.equal(castEnvValue(sample, spec.kind).ok, true, spec.name);
    }
  });

  it('lets the environment win over files, whatever name either uses', () => {
    const merged = overlayEnv({ host: 'file-host', add_record_metadata: false, port: 1 }, { host: 'env-host', add_metadata_columns: true });
    assert.deepEqual(merged, { host: 'env-host', add_metadata_columns: true, port: 1 });
    // Without the overlay's alias handling, resolveConfig would report a clash here.
    const base = { lakehouse: 'l', user: 'u', token: 'p', s3_bucket: 'b', default_target_schema: 's' };
    assert.equal(resolveConfig({ ...base, ...merged }).config.add_metadata_columns, true);
  });

  it('splits --config values into files and ENV', () => {
    assert.deepEqual(configSources(['a.json', 'ENV', 'b.json']), { files: ['a.json', 'b.json'], env: true });
    assert.deepEqual(configSources(['a.json']), { files: ['a.json'], env: false });
  });
});
