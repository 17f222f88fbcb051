import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parquetReadObjects } from 'hyparquet';
import { checkPassed, configStep, formatStep, formatSummary, runChecks, type StepResult } from '../../src/cli/check.js';
import type { S3Probe } from '../../src/cli/s3-probe.js';
import { describeS3Error } from '../../src/storage/s3-errors.js';
import { resolveConfig } from '../../src/config/config.js';
import type { Row, SqlExecutor } from '../../src/spark/executor.js';

const { config } = resolveConfig({
  host: 'lakehouse.example',
  lakehouse: 'etl',
  data_plane: 'default',
  user: 'jane',
  password: 'pat-0123456789',
  s3_bucket: 'staging',
  s3_key_prefix: 'singer/',
  default_target_schema: 'raw',
});

/** An in-memory bucket; `fail` makes one operation throw like the AWS SDK does. */
class FakeProbe implements S3Probe {
  readonly objects = new Map<string, Uint8Array>();
  constructor(private readonly fail: Partial<Record<'put' | 'get' | 'list' | 'remove', Error>> = {}) {}
  async put(key: string, body: Uint8Array) {
    if (this.fail.put) throw this.fail.put;
    this.objects.set(key, body);
  }
  async get(key: string) {
    if (this.fail.get) throw this.fail.get;
    return this.objects.get(key) ?? new Uint8Array();
  }
  async list(prefix: string) {
    if (this.fail.list) throw this.fail.list;
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix));
  }
  async remove(key: string) {
    if (this.fail.remove) throw this.fail.remove;
    this.objects.delete(key);
  }
  close() {}
}

/** A lakehouse that reads the fake bucket's Parquet files by path for the staging step, as Spark would through s3a://. */
class FakeLakehouse implements SqlExecutor {
  readonly statements: string[] = [];
  closed = false;
  constructor(
    private readonly probe: FakeProbe,
    private readonly failWith?: Error,
  ) {}
  async query(sql: string): Promise<Row[]> {
    if (this.failWith) throw this.failWith;
    this.statements.push(sql);
    if (sql === 'SELECT 1 AS probe') return [{ probe: 1 }];
    if (sql.startsWith('SHOW NAMESPACES')) return [{ namespace: 'default' }, { namespace: 'raw' }];
    const select = /^SELECT `c0` FROM parquet\.`s3a:\/\/staging\/([^`]+)`$/.exec(sql);
    if (select) {
      const body = this.probe.objects.get(select[1]!);
      if (!body) throw new Error(`Path does not exist: s3a://staging/${select[1]}`);
      return (await parquetReadObjects({ file: body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer })) as Row[];
    }
    return [];
  }
  async close() {
    this.closed = true;
  }
}

async function check(probe: FakeProbe, lakehouse: FakeLakehouse): Promise<StepResult[]> {
  const reported: StepResult[] = [];
  const results = await runChecks(config, { probe, connect: () => lakehouse, report: (r) => reported.push(r) });
  assert.deepEqual(reported, results, 'every step is reported as it ends');
  return results;
}

const statuses = (results: StepResult[]) => results.map((r) => `${r.step}: ${r.status}`);

describe('--check steps', () => {
  it('passes every step against a working bucket and lakehouse, and leaves nothing behind', async () => {
    const probe = new FakeProbe();
    const lakehouse = new FakeLakehouse(probe);
    let staged = '';
    const put = probe.put.bind(probe);
    probe.put = async (key, body) => {
      staged = key;
      await put(key, body);
    };
    const results = await check(probe, lakehouse);
    assert.deepEqual(statuses(results), [
      's3 write: pass',
      's3 read: pass',
      's3 list: pass',
      'lakehouse session: pass',
      'lakehouse query: pass',
      'lakehouse catalog: pass',
      'lakehouse reads staging: pass',
      's3 delete: pass',
    ]);
    assert.ok(checkPassed([configStep(config, []), ...results]));
    assert.equal(probe.objects.size, 0);
    assert.ok(lakehouse.closed);
    // The session is set up as a load's; the staged probe is read by path from Parquet, as a load reads its batch.
    assert.match(staged, /^singer\/_target_iomete_check\/[0-9a-f-]{36}\.parquet$/);
    assert.deepEqual(lakehouse.statements, [
      'SET spark.sql.session.timeZone=UTC',
      'SELECT 1 AS probe',
      'SHOW NAMESPACES IN `spark_catalog`',
      `SELECT \`c0\` FROM parquet.\`s3a://staging/${staged}\``,
    ]);
    assert.match(results.find((r) => r.step === 'lakehouse catalog')!.detail, /`spark_catalog`.`raw` exists/);
  });

  it('skips what depends on S3 when the bucket is unreachable, still trying the lakehouse', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'ECONNREFUSED' });
    const probe = new FakeProbe({ put: refused });
    const results = await check(probe, new FakeLakehouse(probe));
    assert.deepEqual(statuses(results), [
      's3 write: fail',
      's3 read: skip',
      's3 list: skip',
      'lakehouse session: pass',
      'lakehouse query: pass',
      'lakehouse catalog: pass',
      'lakehouse reads staging: skip',
      's3 delete: skip',
    ]);
    assert.match(results[0]!.detail, /ECONNREFUSED.*check 's3_endpoint_url'/);
    assert.ok(!checkPassed(results));
  });

  it('deletes the probe even when the lakehouse is unreachable', async () => {
    const probe = new FakeProbe();
    const results = await check(probe, new FakeLakehouse(probe, new Error('Cannot reach the lakehouse at https://lakehouse.example:443/x')));
    assert.deepEqual(statuses(results), [
      's3 write: pass',
      's3 read: pass',
      's3 list: pass',
      'lakehouse session: fail',
      'lakehouse query: skip',
      'lakehouse catalog: skip',
      'lakehouse reads staging: skip',
      's3 delete: pass',
    ]);
    assert.match(results[3]!.detail, /Cannot reach the lakehouse/);
    assert.equal(probe.objects.size, 0);
  });

  it('fails the list step when the credentials may not list the prefix, and still deletes the probe', async () => {
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const probe = new FakeProbe({ list: denied });
    const results = await check(probe, new FakeLakehouse(probe));
    const list = results.find((r) => r.step === 's3 list');
    assert.equal(list?.status, 'fail');
    assert.match(list?.detail ?? '', /S3 denied access to bucket .*s3:ListBucket/);
    assert.equal(results.find((r) => r.step === 's3 delete')?.status, 'pass');
    assert.equal(probe.objects.size, 0);
  });

  it('fails the list step when the listing does not show the probe', async () => {
    const probe = new FakeProbe();
    probe.list = async () => [];
    const results = await check(probe, new FakeLakehouse(probe));
    assert.match(results.find((r) => r.step === 's3 list')?.detail ?? '', /did not show the probe/);
  });

  it('fails the staging step when the lakehouse cannot read what was staged', async () => {
    const probe = new FakeProbe();
    const blind = new FakeLakehouse(new FakeProbe());
    const results = await check(probe, blind);
    assert.equal(results.find((r) => r.step === 'lakehouse reads staging')?.status, 'fail');
  });

  it('never shows a secret', async () => {
    const probe = new FakeProbe();
    const results = [configStep(config, ['extra']), ...(await check(probe, new FakeLakehouse(probe)))];
    const report = [...results.map(formatStep), formatSummary(results)].join('\n');
    assert.doesNotMatch(report, /pat-0123456789/);
  });
});

describe('--check report lines', () => {
  it('aligns status, step and detail', () => {
    assert.equal(formatStep({ step: 's3 read', status: 'fail', detail: 'NoSuchBucket:\n boom', ms: 7 }), 'FAIL  s3 read                  NoSuchBucket: boom (7 ms)');
    assert.equal(formatSummary([{ step: 'a', status: 'pass', detail: '' }]), 'Check passed: all 1 steps passed.');
    assert.equal(formatSummary([{ step: 'a', status: 'fail', detail: '' }, { step: 'b', status: 'skip', detail: '' }]), 'Check failed: 1 step(s) failed, 1 skipped, 0 passed.');
  });

  it('describes S3 errors it has no explanation for by name, status and message', () => {
    const odd = Object.assign(new Error('We encountered an internal error'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } });
    assert.equal(describeS3Error(odd), 'InternalError, HTTP 500: We encountered an internal error');
  });

  it('explains known S3 errors with what to fix', async () => {
    const bucket = Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } });
    const results = await check(new FakeProbe({ put: bucket }), new FakeLakehouse(new FakeProbe()));
    assert.equal(results[0]!.detail, "S3 bucket 'staging' does not exist; check 's3_bucket' (and 's3_endpoint_url' / 's3_region_name')");
  });
});
