import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { bookmarksOf, replayLines, type ReplaySpec } from '../support/replay-input.js';
import { FaultLakehouse } from './fault-lakehouse.js';
import { configFile, configFileFor, freshSchema, removeStagedObjects, schemaScope } from './harness.js';
import { countMatches, liveRun, stackFrames, type LiveRunResult } from './live-run.js';
import { compareAll, totals, uncoveredBookmarks } from './replay-tables.js';

/**
 * Service faults, each bounded in time, against the real CLI. The S3 outage and the Spark Thrift
 * Server restart run on a lakehouse instance of their own (see fault-lakehouse.ts), so the main
 * instance keeps serving the other test files. For each fault: the exit code, one clear ERROR line
 * when the run fails, no stack trace at info level, no state past committed data, and a rerun from
 * the last state that loses nothing.
 */

const INFO = { TARGET_IOMETE_LOGLEVEL: 'info', LOGLEVEL: '', SINGER_SDK_LOG_CONFIG: '' };

const SPEC: ReplaySpec = {
  streams: [
    { name: 'orders', keyed: true, records: 1200, keys: 800 },
    { name: 'customers', keyed: true, records: 900, keys: 600 },
    { name: 'events', keyed: false, records: 600 },
  ],
  stateEvery: 100,
};
// One load at a time, so the run lasts long enough for a fault to hit it mid-way (about 9 loads).
const SETTINGS = { batch_size_rows: 300, parallelism: 1, primary_key_required: false };

interface FaultReport {
  fault: string;
  point: string;
  runs: number;
  exitCodes: Array<number | null>;
  lost: number;
  duplicateKeys: number;
  appendLost?: number;
  appendDuplicates?: number;
  /** From the fault (or the start, for endpoint faults) to the exit of the failed run. */
  secondsToFail?: number;
  warnings?: number;
}

const reports: FaultReport[] = [];
const { track } = schemaScope();
const tempDirs: string[] = [];
after(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => / ERROR /.test(l));
}

/** What every failed or finished run must show: a known exit, one ERROR line if it failed, no stack. */
function assertCleanEnd(run: LiveRunResult, allowed: readonly number[]): void {
  assert.ok(allowed.includes(run.code ?? -1), `exit ${run.code} (signal ${run.signal}):\n${run.stderr.slice(-3000)}`);
  assert.deepEqual(stackFrames(run.stderr), [], 'no stack trace at info level');
  if (run.code !== 0) assert.equal(errorLines(run.stderr).length, 1, `exactly one ERROR line:\n${errorLines(run.stderr).join('\n')}`);
}

describe('lakehouse services failing mid-run (own lakehouse instance)', { concurrency: 1 }, () => {
  const lakehouse = new FaultLakehouse();
  const query = (sql: string) => lakehouse.query(sql);
  const schemas: string[] = [];

  before(async () => {
    await lakehouse.start();
  });
  after(async () => {
    for (const schema of schemas) {
      await query(`DROP SCHEMA IF EXISTS spark_catalog.\`${schema}\` CASCADE`).catch(() => undefined);
      await removeStagedObjects(`fault-${schema}/`, { ...lakehouse.config }).catch(() => undefined);
    }
    await lakehouse.stop();
  });

  /** S3 (s3rver) stopped for 15 s, then started again. */
  const s3Outage = async () => {
    await lakehouse.stopServer('s3rver');
    await sleep(15_000);
    await lakehouse.restartServer('s3rver');
  };

  async function faultConfig(name: string, overrides: Record<string, unknown> = {}): Promise<{ schema: string; config: string }> {
    const schema = await freshSchema(`fault_${name}`);
    schemas.push(schema);
    const tempDir = await mkdtemp(join(tmpdir(), `target-iomete-fault-${name}-`));
    tempDirs.push(tempDir);
    const config = await configFileFor(lakehouse.config, { default_target_schema: schema, temp_dir: tempDir, s3_key_prefix: `fault-${schema}/`, ...SETTINGS, ...overrides });
    return { schema, config };
  }

  /**
   * Runs the replay tap into `config` and injects `fault` once the second batch is loaded. Then
   * checks the state claims, reruns from the last state while the run had not finished, and
   * compares the tables with the input.
   */
  async function runWithFault(name: string, config: string, schema: string, fault: () => Promise<void>): Promise<{ first: LiveRunResult; report: FaultReport; faultAt: number }> {
    let injected: Promise<void> | undefined;
    let faultAt = 0;
    const first = await liveRun(['--config', config], replayLines(SPEC), {
      env: INFO,
      onProgress: (p) => {
        if (injected || countMatches(p.stderr, /INFO Loaded \d+ row/) < 2) return;
        faultAt = Date.now();
        injected = fault();
        // Awaited (and its error reported) once the run has ended, not left unhandled until then.
        injected.catch(() => undefined);
      },
    });
    assert.ok(injected, `the run ended before the fault (exit ${first.code}):\n${first.stderr.slice(-2000)}`);
    // The service is back before anything is checked or rerun.
    await injected;
    assertCleanEnd(first, [0, 1]);
    assert.deepEqual(await uncoveredBookmarks(query, SPEC, schema, first.states), [], 'the states printed claim only committed records');
    const runs: LiveRunResult[] = [first];
    if (first.code !== 0) {
      const rerun = await liveRun(['--config', config], replayLines(SPEC, bookmarksOf(first.states.at(-1))), { env: INFO });
      assertCleanEnd(rerun, [0]);
      runs.push(rerun);
    }
    const final = totals(SPEC, await compareAll(query, SPEC, schema));
    const report: FaultReport = {
      fault: name,
      point: 'after the 2nd batch loaded',
      runs: runs.length,
      exitCodes: runs.map((r) => r.code),
      lost: final.lost,
      duplicateKeys: final.duplicateKeys,
      appendLost: final.appendLost,
      appendDuplicates: final.appendDuplicates,
      ...(first.code !== 0 ? { secondsToFail: (first.endedAt - faultAt) / 1000 } : {}),
    };
    reports.push(report);
    assert.equal(final.lost, 0, 'keyed rows lost');
    assert.equal(final.duplicateKeys, 0, 'duplicate keys');
    assert.equal(final.wrongValues, 0, 'rows whose values are not their record');
    assert.equal(final.appendLost, 0, 'append-only rows lost');
    return { first, report, faultAt };
  }

  it('(a) S3 stopped for 15 s mid-run, then restarted: uploads are retried within s3_retry_seconds', { timeout: 180_000 }, async (t) => {
    // Two loads at a time: while one load's cleanup (delete of its staged object) meets the outage,
    // the next one's upload does too.
    const { schema, config } = await faultConfig('s3', { s3_retry_seconds: 60, parallelism: 2 });
    const { first, report } = await runWithFault('S3 server stopped 15 s', config, schema, s3Outage);
    report.warnings = countMatches(first.stderr, / WARN .*retry \d+/);
    const retried = { uploads: countMatches(first.stderr, / WARN Upload of the batch .*retry \d+/), deletes: countMatches(first.stderr, / WARN Delete of .*retry \d+/) };
    t.diagnostic(JSON.stringify({ ...report, retried, seconds: first.seconds, firstWarning: first.stderr.split('\n').find((l) => / WARN /.test(l)) }));
    if (first.code === 0) assert.ok(report.warnings > 0, 'the outage was ridden out by retries, each logged');
    else assert.match(errorLines(first.stderr)[0] ?? '', /s3|S3|lakehouse/);
  });

  it('(a) S3 stopped for 15 s with s3_retry_seconds 4: the run fails with one line, the rerun loses nothing', { timeout: 180_000 }, async (t) => {
    const { schema, config } = await faultConfig('s3short', { s3_retry_seconds: 4 });
    const { first, report } = await runWithFault('S3 server stopped 15 s, s3_retry_seconds 4', config, schema, s3Outage);
    report.warnings = countMatches(first.stderr, / WARN .*retry \d+/);
    t.diagnostic(JSON.stringify({ ...report, error: errorLines(first.stderr)[0] }));
    assert.equal(first.code, 1, 'an outage longer than s3_retry_seconds fails the run');
    assert.match(errorLines(first.stderr)[0] ?? '', /ERROR Cannot reach S3 at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); check 's3_endpoint_url'/);
  });

  it('(b) Spark Thrift Server killed mid-run and started again: exit 1 with one line, the rerun loses nothing', { timeout: 240_000 }, async (t) => {
    const { schema, config } = await faultConfig('sts');
    let restarted: Promise<void> | undefined;
    const { first, report } = await runWithFault('Spark Thrift Server killed and restarted', config, schema, async () => {
      // A moment into the next load, so that a statement is in flight.
      await sleep(300);
      await lakehouse.stopServer('sts');
      restarted = lakehouse.restartServer('sts');
      await restarted;
    });
    t.diagnostic(JSON.stringify({ ...report, error: errorLines(first.stderr)[0] }));
    if (first.code !== 0) assert.match(errorLines(first.stderr)[0] ?? '', /lakehouse at http:\/\/127\.0\.0\.1:\d+/);
  });
});

describe('endpoints that refuse, are busy or never answer', { concurrency: 1 }, () => {
  const schemaLine = `${JSON.stringify({ type: 'SCHEMA', stream: 's', key_properties: ['a'], schema: { properties: { a: { type: 'string' } } } })}\n`;

  async function endpointRun(port: number, overrides: Record<string, unknown> = {}): Promise<LiveRunResult> {
    const config = await configFile({ port, default_target_schema: 'never_created', ...overrides });
    return liveRun(['--config', config], [schemaLine], { env: INFO });
  }

  /** Runs `body` against a local HTTP server that answers every request with `status`. */
  async function withStatusServer(status: number, body: (port: number, requests: () => number) => Promise<void>): Promise<void> {
    let requests = 0;
    const server = createHttpServer((_req, res) => {
      requests += 1;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 401 ? 'Unauthorized' : 'Service Unavailable');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      await body((server.address() as AddressInfo).port, () => requests);
    } finally {
      server.close();
    }
  }

  it('(c) HTTP 401: fails at once with a clear message, no retry', { timeout: 60_000 }, async (t) => {
    await withStatusServer(401, async (port, requests) => {
      const run = await endpointRun(port);
      reports.push({ fault: 'endpoint answers HTTP 401', point: 'session open', runs: 1, exitCodes: [run.code], lost: 0, duplicateKeys: 0, secondsToFail: run.seconds });
      t.diagnostic(`${run.seconds} s, ${requests()} request(s): ${errorLines(run.stderr)[0]}`);
      assertCleanEnd(run, [1]);
      assert.match(errorLines(run.stderr)[0] ?? '', /refused the credentials \(HTTP 401\)\. Check 'user' and 'token'/);
      assert.equal(countMatches(run.stderr, / WARN /), 0, 'a refused credential is not retried');
    });
  });

  it('(c) HTTP 503: retried with a WARN line per retry, then one clear line', { timeout: 90_000 }, async (t) => {
    await withStatusServer(503, async (port, requests) => {
      const run = await endpointRun(port);
      reports.push({ fault: 'endpoint answers HTTP 503', point: 'session open', runs: 1, exitCodes: [run.code], lost: 0, duplicateKeys: 0, secondsToFail: run.seconds, warnings: countMatches(run.stderr, / WARN /) });
      t.diagnostic(`${run.seconds} s, ${requests()} request(s): ${errorLines(run.stderr)[0]}`);
      assertCleanEnd(run, [1]);
      assert.equal(countMatches(run.stderr, / WARN Opening a lakehouse session failed \(attempt \d\), retrying in [\d.]+ s: .*HTTP 503/), 3);
      assert.match(errorLines(run.stderr)[0] ?? '', /answered HTTP 503: it is starting, stopped or overloaded; start it \(or wait\) and run again/);
      assert.equal(requests(), 4, 'one request per attempt');
    });
  });

  it('(d) an endpoint that accepts the connection and never answers fails after connect_timeout_seconds', { timeout: 60_000 }, async (t) => {
    const sockets = new Set<Socket>();
    const server = createTcpServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const run = await endpointRun((server.address() as AddressInfo).port, { connect_timeout_seconds: 3 });
      reports.push({ fault: 'endpoint accepts TCP, never answers', point: 'session open', runs: 1, exitCodes: [run.code], lost: 0, duplicateKeys: 0, secondsToFail: run.seconds });
      t.diagnostic(`${run.seconds} s: ${errorLines(run.stderr)[0]}`);
      assertCleanEnd(run, [1]);
      assert.match(errorLines(run.stderr)[0] ?? '', /within 3 s \(connect_timeout_seconds\)/);
      assert.ok(sockets.size >= 1, 'the target did connect');
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });

  it('(e) a quiet tap whose load fails (unknown s3_bucket): exits 1 without waiting for more input', { timeout: 60_000 }, async (t) => {
    const schema = track(await freshSchema('fault_quiet'));
    const tempDir = await mkdtemp(join(tmpdir(), 'target-iomete-fault-quiet-'));
    tempDirs.push(tempDir);
    const config = await configFile({ default_target_schema: schema, temp_dir: tempDir, s3_bucket: 'no-such-bucket-for-target-iomete', batch_size_rows: 2 });
    const lines = [
      `${JSON.stringify({ type: 'SCHEMA', stream: 'quiet', key_properties: ['id'], schema: { properties: { id: { type: 'integer' } } } })}\n`,
      ...[1, 2, 3].map((id) => `${JSON.stringify({ type: 'RECORD', stream: 'quiet', record: { id } })}\n`),
    ];
    // stdin stays open after these lines: a tap that has gone quiet. The run must not wait for it.
    const run = await liveRun(['--config', config], lines, { env: INFO, keepStdinOpen: true });
    reports.push({ fault: 'quiet tap, upload fails (unknown bucket)', point: 'first load', runs: 1, exitCodes: [run.code], lost: 0, duplicateKeys: 0, secondsToFail: run.seconds });
    t.diagnostic(`${run.seconds} s: ${errorLines(run.stderr)[0]}`);
    assertCleanEnd(run, [1]);
    assert.match(errorLines(run.stderr)[0] ?? '', /S3 bucket '\S+' does not exist at \S+; check 's3_bucket'/);
    assert.equal(run.states.length, 0);
  });

  it('report', (t) => {
    for (const r of reports) t.diagnostic(JSON.stringify(r));
  });
});
