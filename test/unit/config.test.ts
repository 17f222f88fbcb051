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
    assert.equal(config.rate_limit_retry_seconds, 300);
    assert.equal(config.max_requests_per_second, undefined, 'no pacing unless asked');
  });

  it('max_requests_per_second takes any positive rate, fractions included, and refuses 0', () => {
    assert.equal(resolveConfig({ ...minimal, max_requests_per_second: 2.5 }).config.max_requests_per_second, 2.5);
    assert.throws(() => resolveConfig({ ...minimal, max_requests_per_second: 0 }), /'max_requests_per_second' must be > 0/);
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

  it('accepts the original and SDK spellings of settings', () => {
    const { config } = resolveConfig({ ...minimal, max_parallelism: 4, add_record_metadata: true, flattening_enabled: true, flattening_max_depth: 2 });
    assert.equal(config.parallelism_max, 4);
    assert.equal(config.add_metadata_columns, true);
    assert.equal(config.data_flattening_max_level, 2);
  });

  it('refuses two spellings of one setting with different values', () => {
    assert.throws(() => resolveConfig({ ...minimal, max_parallelism: 4, parallelism_max: 8 }), /'parallelism_max' and 'max_parallelism' name the same setting/);
    assert.equal(resolveConfig({ ...minimal, max_parallelism: 4, parallelism_max: 4 }).config.parallelism_max, 4);
  });

  it('checks enums and ranges of the loading settings', () => {
    assert.throws(() => resolveConfig({ ...minimal, load_method: 'replace' }), /'load_method' must be one of "upsert", "append-only", "overwrite"/);
    assert.throws(() => resolveConfig({ ...minimal, batch_size_rows: 0 }), /'batch_size_rows' must be >= 1/);
    assert.throws(() => resolveConfig({ ...minimal, parallelism: -2 }), /'parallelism' must be >= -1/);
  });

  it('treats an empty required text setting as missing', () => {
    assert.throws(() => resolveConfig({ ...minimal, password: '' }), /'password' is empty/);
  });
});

describe('readConfigFiles', () => {
  it('reports a broken config file by file, line and column, never quoting its text', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readConfigFiles } = await import('../../src/config/load.js');
    const path = join(await mkdtemp(join(tmpdir(), 'target-iomete-cfg-')), 'config.json');
    await writeFile(path, '{\n  "host": "h",\n  "password": PW-Zq81-s3\n}\n');
    await assert.rejects(readConfigFiles([path]), (e: Error) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.message, `Config file ${path} is not valid JSON at line 3, column 15: invalid symbol`);
      return true;
    });
  });
});
