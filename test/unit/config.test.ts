import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { type TargetConfig, resolveConfig } from '../../src/config/config.js';
import { configFromEnv } from '../../src/config/env.js';
import { REQUIRED_SETTINGS, SETTINGS } from '../../src/config/settings.js';
import { ConfigError } from '../../src/errors.js';

const minimal = {
  host: 'dev.iomete.cloud',
  lakehouse: 'lh',
  user: 'me',
  token: 'token-123456',
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
        "'token' is required",
        "'s3_bucket' is required",
        "'port' must be an integer, got \"x\"",
        "'scheme' must be one of \"https\", \"http\", got \"ftp\"",
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

  it('warns about unknown keys no setting is near, without failing', () => {
    const { warnings } = resolveConfig({ ...minimal, stage: 'x' });
    assert.deepEqual(warnings, ["Unknown key 'stage' ignored (no setting has a similar name)"]);
  });

  it('never puts secret values in its errors, naming the key as written', () => {
    const { token: _, ...rest } = minimal;
    assert.throws(
      () => resolveConfig({ ...rest, password: 12345678, aws_secret_access_key: 'SECRETSECRET', port: -1 }),
      (e: Error) => {
        assert.equal(e.message, "Invalid configuration (2 problems):\n  - 'port' must be >= 1, got -1\n  - 'password' must be a string, got a number");
        return !e.message.includes('12345678') && !e.message.includes('SECRETSECRET');
      },
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
    assert.throws(() => resolveConfig({ ...minimal, token: '' }), /'token' is empty/);
  });

  it('gives every setting with a default or marked required a value, as its type in TargetConfig promises', () => {
    const values = new Map<string, unknown>(Object.entries(resolveConfig(minimal).config));
    const alwaysSet = SETTINGS.filter((spec) => spec.default !== undefined || spec.required === true);
    assert.deepEqual(
      alwaysSet.filter((spec) => values.get(spec.name) === undefined).map((spec) => spec.name),
      [],
    );
  });

  it('refuses a config without a setting the list marks required, and only those', () => {
    assert.deepEqual(REQUIRED_SETTINGS, ['host', 'lakehouse', 'user', 'token', 's3_bucket']);
    for (const name of REQUIRED_SETTINGS) {
      const { [name as keyof typeof minimal]: _left, ...rest } = minimal;
      assert.equal(failure(rest), `Invalid configuration: '${name}' is required`);
    }
  });

  it('types each setting from its list entry (checked when the tests compile)', () => {
    const config: Pick<TargetConfig, 'scheme' | 'port' | 'tls_verify' | 'tls_ca_file' | 'stream_maps'> = { scheme: 'http', port: 10001, tls_verify: false };
    // @ts-expect-error an enum setting takes only the values its entry lists
    const method: TargetConfig['load_method'] = 'merge';
    // @ts-expect-error a setting with a default is never undefined
    const port: TargetConfig['port'] = undefined;
    assert.deepEqual([config.scheme, method, port], ['http', 'merge', undefined]);
  });
});

/** The one message resolveConfig fails with. */
function failure(raw: Record<string, unknown>, env?: NodeJS.ProcessEnv): string {
  try {
    resolveConfig(raw, env ? configFromEnv(env) : undefined);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.message;
  }
  return assert.fail('expected a ConfigError');
}

describe('configuration errors name the cause', () => {
  const { s3_bucket: _bucket, ...noBucket } = minimal;
  const { token: _token, ...noToken } = minimal;

  it('a typo of a required key is reported as the typo, with the key meant, not as the key missing', () => {
    assert.equal(
      failure({ ...noBucket, s3_buket: 'bkt' }),
      "Invalid configuration: unknown key 's3_buket' — did you mean 's3_bucket'? (a required setting)",
    );
  });

  it('a typo of an optional key that is not set stops the run too: its value would be lost', () => {
    assert.equal(failure({ ...minimal, hard_delet: true }), "Invalid configuration: unknown key 'hard_delet' — did you mean 'hard_delete'?");
  });

  it('a typo next to the key it resembles is only a warning', () => {
    assert.deepEqual(resolveConfig({ ...minimal, hard_delete: true, hard_delet: true }).warnings, [
      "Unknown key 'hard_delet' ignored (did you mean 'hard_delete'? it is set as well)",
    ]);
  });

  it('every problem of one config in one block: typos first, values shown, ignored keys listed', () => {
    assert.equal(
      failure({ ...noBucket, s3_buket: 'bkt', port: '443a', stage: 1 }),
      [
        'Invalid configuration (3 problems):',
        "  - unknown key 's3_buket' — did you mean 's3_bucket'? (a required setting)",
        "  - 'port' must be an integer, got \"443a\"",
        "  - unknown key 'stage' ignored (no setting has a similar name)",
      ].join('\n'),
    );
  });

  it('a typo of the target schema is named instead of the schema being missing', () => {
    const { default_target_schema: _, ...noSchema } = minimal;
    assert.equal(
      failure({ ...noSchema, default_target_shema: 'x' }),
      "Invalid configuration: unknown key 'default_target_shema' — did you mean 'default_target_schema'? (a required setting)",
    );
  });

  it('takes the personal access token as token, or as password (the first target\'s name)', () => {
    assert.equal(resolveConfig(minimal).config.token, 'token-123456');
    assert.equal(resolveConfig({ ...noToken, password: 'pat-1' }).config.token, 'pat-1');
    assert.equal(failure(noToken), "Invalid configuration: 'token' is required");
  });

  it('environment variables: a typo names the variable meant, a bad value shows what was given', () => {
    const env = { TARGET_IOMETE_HOST: 'h', TARGET_IOMETE_LAKEHOUSE: 'l', TARGET_IOMETE_USER: 'u', TARGET_IOMETE_S3_BUCKET: 'b', TARGET_IOMETE_DEFAULT_TARGET_SCHEMA: 's' };
    assert.equal(
      failure({}, { ...env, TARGET_IOMETE_PASWORD: 'pat-secret', TARGET_IOMETE_PORT: '443a', TARGET_IOMETE_SCHEME: 'ftp' }),
      [
        'Invalid configuration (3 problems):',
        '  - unknown variable TARGET_IOMETE_PASWORD — did you mean TARGET_IOMETE_PASSWORD? (a required setting)',
        '  - TARGET_IOMETE_PORT must be an integer, got "443a"',
        '  - TARGET_IOMETE_SCHEME must be one of "https", "http", got "ftp"',
      ].join('\n'),
    );
    assert.equal(resolveConfig({}, configFromEnv({ ...env, TARGET_IOMETE_TOKEN: 'pat-2' })).config.token, 'pat-2');
    assert.equal(resolveConfig({}, configFromEnv({ ...env, TARGET_IOMETE_PASSWORD: 'pat-3' })).config.token, 'pat-3');
  });

  it('environment variables that name no setting are warnings; logging and Meltano extra variables are not reported', () => {
    const env = { TARGET_IOMETE_TOKEN: 't', TARGET_IOMETE_FOO: '1', TARGET_IOMETE_LOGLEVEL: 'debug', TARGET_IOMETE_LOG_FORMAT: 'json', TARGET_IOMETE__DIALECT: 'x' };
    assert.deepEqual(resolveConfig(noToken, configFromEnv(env)).warnings, ['Unknown variable TARGET_IOMETE_FOO ignored (no setting has a similar name)']);
  });

  it('a secret given with a wrong value is not shown', () => {
    assert.equal(failure({ ...noToken, token: ['pat-secret'] }), "Invalid configuration: 'token' must be a string, got an array");
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
