import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/errors.js';

const minimal = {
  host: 'dev.iomete.cloud',
  lakehouse: 'lh',
  user: 'me',
  password: 'token-123456',
  s3_bucket: 'bkt',
  default_target_schema: 'singer',
};

describe('resolveConfig', () => {
  it('fills defaults', () => {
    const { config } = resolveConfig(minimal);
    assert.equal(config.port, 443);
    assert.equal(config.scheme, 'https');
    assert.equal(config.tls_verify, true);
    assert.equal(config.catalog, 'spark_catalog');
    assert.equal(config.batch_size_rows, 100000);
    assert.equal(config.primary_key_required, true);
    assert.equal(config.s3_key_prefix, '');
  });

  it('reports every problem at once', () => {
    try {
      resolveConfig({ host: 'h', port: 'x', scheme: 'ftp' });
      assert.fail('expected a ConfigError');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      const message = e.message;
      for (const expected of [
        "'lakehouse' is required",
        "'user' is required",
        "'password' is required",
        "'s3_bucket' is required",
        "'port' must be integer",
        "'scheme' must be one of \"https\", \"http\"",
        "set 'default_target_schema'",
      ]) {
        assert.ok(message.includes(expected), `missing "${expected}" in:\n${message}`);
      }
    }
  });

  it('accepts schema_mapping instead of default_target_schema', () => {
    const { default_target_schema: _, ...rest } = minimal;
    const { config } = resolveConfig({ ...rest, schema_mapping: { src: { target_schema: 'dst' } } });
    assert.deepEqual(config.schema_mapping, { src: { target_schema: 'dst' } });
  });

  it('refuses a blank default_target_schema', () => {
    assert.throws(() => resolveConfig({ ...minimal, default_target_schema: '  ' }), /'default_target_schema' is empty/);
  });

  it('lists unknown keys without failing', () => {
    const { unknownKeys } = resolveConfig({ ...minimal, stage: 'x' });
    assert.deepEqual(unknownKeys, ['stage']);
  });

  it('never puts secret values in its errors', () => {
    assert.throws(
      () => resolveConfig({ ...minimal, password: 12345678, aws_secret_access_key: 'SECRETSECRET', port: -1 }),
      (e: Error) => !e.message.includes('12345678') && !e.message.includes('SECRETSECRET') && /'password' must be string/.test(e.message),
    );
  });
});
