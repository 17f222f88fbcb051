import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureLakehouse } from '../../lakehouse/index.js';
import { busiestWindow, seededRefusals, startFakeGateway, type FakeGateway, type RefusalRule } from '../support/fake-gateway.js';
import { replayLines, type ReplaySpec } from '../support/replay-input.js';
import { configFile, freshSchema, query, removeStagedObjects, schemaScope } from './harness.js';
import { countMatches, liveRun, stackFrames, type LiveRunResult } from './live-run.js';
import { compareAll, totals } from './replay-tables.js';

/**
 * The target behind a fake iomete gateway (test/support/fake-gateway.ts) that refuses requests
 * with HTTP 429 as a token's rate limit does: refused requests are waited out and sent again
 * (statements included), within `rate_limit_retry_seconds`; `max_requests_per_second` keeps the
 * run under a limit so that nothing is refused at all.
 */

const INFO = { TARGET_IOMETE_LOGLEVEL: 'info', LOGLEVEL: '', SINGER_SDK_LOG_CONFIG: '' };
const SPEC: ReplaySpec = {
  streams: [
    { name: 'orders', keyed: true, records: 1500, keys: 1000 },
    { name: 'customers', keyed: true, records: 1500, keys: 1200 },
  ],
  stateEvery: 250,
};
const WARNING = / WARN The lakehouse's gateway is rate-limiting requests \(HTTP 429\); waiting and retrying them \(budget \d+ s/g;

const errorLines = (stderr: string) => stderr.split('\n').filter((l) => / ERROR /.test(l));

describe('behind a gateway that answers HTTP 429', { concurrency: 1 }, () => {
  const { track } = schemaScope();
  let upstream: { host: string; port: number };
  const gateways: FakeGateway[] = [];
  const tempDirs: string[] = [];
  const prefixes: string[] = [];

  before(async () => {
    const lakehouse = await ensureLakehouse();
    upstream = { host: lakehouse.host, port: lakehouse.port };
  });
  after(async () => {
    for (const gateway of gateways) await gateway.close();
    for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
    for (const prefix of prefixes) await removeStagedObjects(prefix).catch(() => undefined);
  });

  async function runBehind(rule: RefusalRule, settings: Record<string, unknown>): Promise<{ run: LiveRunResult; gateway: FakeGateway; schema: string }> {
    const gateway = await startFakeGateway(upstream, rule);
    gateways.push(gateway);
    const schema = track(await freshSchema('gw'));
    const tempDir = await mkdtemp(join(tmpdir(), 'target-iomete-gw-'));
    tempDirs.push(tempDir);
    prefixes.push(`gw-${schema}/`);
    // Small batches and two loads at a time: several sessions and many statements meet the gateway.
    // A prefix of its own keeps other runs' leftover sweeps away from its staged files.
    const config = await configFile({ port: gateway.port, default_target_schema: schema, temp_dir: tempDir, s3_key_prefix: `gw-${schema}/`, batch_size_rows: 750, parallelism: 2, ...settings });
    const run = await liveRun(['--config', config], replayLines(SPEC), { env: INFO, timeoutMs: 600_000 });
    return { run, gateway, schema };
  }

  it('one request in three refused (with and without Retry-After): every row loaded, one WARN for the burst', { timeout: 600_000 }, async (t) => {
    const { run, gateway, schema } = await runBehind(seededRefusals(17, 1 / 3), {});
    const refused = gateway.requests.filter((r) => r.refused !== undefined);
    t.diagnostic(JSON.stringify({ seconds: run.seconds, requests: gateway.requests.length, refused: refused.length, warnings: countMatches(run.stderr, WARNING) }));
    assert.equal(run.code, 0, run.stderr.slice(-3000));
    assert.deepEqual(stackFrames(run.stderr), []);
    const final = totals(SPEC, await compareAll(query, SPEC, schema));
    assert.deepEqual({ lost: final.lost, duplicateKeys: final.duplicateKeys, wrongValues: final.wrongValues }, { lost: 0, duplicateKeys: 0, wrongValues: 0 });
    // Refusals met every kind of request, with each form of Retry-After.
    const refusedMethods = new Set(refused.map((r) => r.method));
    for (const method of ['OpenSession', 'ExecuteStatement', 'GetOperationStatus', 'CloseOperation', 'CloseSession']) assert.ok(refusedMethods.has(method), `a ${method} was refused`);
    assert.ok(refused.some((r) => r.refused === '') && refused.some((r) => /^\d+$/.test(r.refused ?? '')) && refused.some((r) => / GMT$/.test(r.refused ?? '')));
    assert.ok(refused.length >= 30, `${refused.length} refusals`);
    // One burst (never a minute without a 429): one WARN, not one per refused request.
    assert.equal(countMatches(run.stderr, WARNING), 1, run.stderr.split('\n').filter((l) => / WARN /.test(l)).join('\n'));
  });

  it('refusing everything for longer than rate_limit_retry_seconds: exit 1 with one line naming the limit and the settings', { timeout: 300_000 }, async (t) => {
    // Sessions open and the first statements pass, then every request is refused.
    let requests = 0;
    const { run, gateway } = await runBehind(() => (++requests > 25 ? '' : undefined), { rate_limit_retry_seconds: 5 });
    const errors = errorLines(run.stderr);
    t.diagnostic(JSON.stringify({ seconds: run.seconds, requests: gateway.requests.length, error: errors[0] }));
    assert.equal(run.code, 1, run.stderr.slice(-3000));
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(
      errors[0] ?? '',
      / ERROR The lakehouse's gateway at http:\/\/127\.0\.0\.1:\d+\/\S+ kept refusing requests with HTTP 429 \(the access token's rate limit\) beyond 'rate_limit_retry_seconds' \(5 s\); set 'max_requests_per_second' under the token's limit, or raise 'rate_limit_retry_seconds'$/,
    );
    assert.deepEqual(stackFrames(run.stderr), []);
    assert.equal(countMatches(run.stderr, WARNING), 1);
  });

  it('max_requests_per_second: no window of one second holds more requests than the limit', { timeout: 600_000 }, async (t) => {
    const limit = 4;
    const { run, gateway, schema } = await runBehind(() => undefined, { max_requests_per_second: limit });
    const times = gateway.requests.map((r) => r.at);
    const busiest = busiestWindow(times, 1000);
    const sorted = [...times].sort((a, b) => a - b);
    const tightest = Math.min(...sorted.slice(limit).map((at, i) => at - (sorted[i] as number)));
    t.diagnostic(JSON.stringify({ seconds: run.seconds, requests: times.length, busiest, tightestMs: Math.round(tightest) }));
    assert.equal(run.code, 0, run.stderr.slice(-3000));
    assert.ok(times.length > 4 * limit, 'enough requests to pace');
    assert.ok(busiest <= limit, `${busiest} requests within one second`);
    const final = totals(SPEC, await compareAll(query, SPEC, schema));
    assert.equal(final.lost, 0);
  });
});
