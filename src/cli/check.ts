/**
 * `--check`: everything a first load needs, tried step by step before any data moves: the config
 * is valid, the staging bucket takes, returns, lists and deletes an object, the lakehouse opens a session
 * and answers a query, the catalog is there, and the lakehouse can read what was staged (the step
 * that fails when the cluster's own S3 settings cannot reach the bucket).
 */

import { randomUUID } from 'node:crypto';
import type { TargetConfig } from '../config/config.js';
import { asError } from '../errors.js';
import { endpointUrl } from '../spark/endpoint.js';
import type { SqlExecutor } from '../spark/executor.js';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readProbeFile, selectOne, showSchemas } from '../sql/check-statements.js';
import { qualifiedName } from '../sql/quote.js';
import { sessionSetup } from '../sql/session.js';
import { explainFailure, failureContext } from './explain.js';
import { describeS3Error } from '../storage/s3-errors.js';
import type { S3Probe } from './s3-probe.js';

type StepStatus = 'pass' | 'fail' | 'skip';

export interface StepResult {
  step: string;
  status: StepStatus;
  detail: string;
  ms?: number;
}

export interface CheckDeps {
  probe: S3Probe;
  /** A fresh lakehouse session factory, configured as the load path configures its sessions. */
  connect: () => SqlExecutor;
  /** Called as each step ends, so slow steps (a lakehouse starting) show progress. */
  report: (result: StepResult) => void;
}

const STEPS = {
  config: 'config',
  s3Write: 's3 write',
  s3Read: 's3 read',
  s3List: 's3 list',
  session: 'lakehouse session',
  query: 'lakehouse query',
  catalog: 'lakehouse catalog',
  staging: 'lakehouse reads staging',
  s3Delete: 's3 delete',
} as const;

/** Pure: the first step's result once the config resolved (or failed to). */
export function configStep(config: TargetConfig, warnings: readonly string[] = []): StepResult {
  const extra = warnings.map((w) => `; ${w}`).join('');
  return {
    step: STEPS.config,
    status: 'pass',
    detail: `valid; lakehouse ${endpointUrl(config)}, staging s3://${config.s3_bucket}/${config.s3_key_prefix}${extra}`,
  };
}

export function configFailure(message: string): StepResult {
  return { step: STEPS.config, status: 'fail', detail: message };
}

/** Pure: the steps that cannot run after the config failed, reported as skipped. */
export function skippedAfterConfig(): StepResult[] {
  return Object.values(STEPS)
    .filter((s) => s !== STEPS.config)
    .map((step) => ({ step, status: 'skip' as const, detail: 'needs a valid config' }));
}

export async function runChecks(config: TargetConfig, deps: CheckDeps): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const record = (result: StepResult): StepResult => {
    results.push(result);
    deps.report(result);
    return result;
  };
  const id = randomUUID();
  const key = `${config.s3_key_prefix}_target_iomete_check/${id}.parquet`;
  const location = `s3a://${config.s3_bucket}/${key}`;
  const probeValue = `target-iomete check ${id}`;
  const body = probeFile(probeValue);
  // Known failures get the one-line explanation a run prints too; others their own message.
  const context = failureContext(config);
  const s3Failure = (e: unknown) => explainFailure(e, context, 's3') ?? describeS3Error(e);
  const lakehouseStep = (name: string, task: () => Promise<string>) => step(name, task, (e) => explainFailure(e, context, 'lakehouse') ?? asError(e).message);

  const written = record(
    await step(STEPS.s3Write, async () => {
      await deps.probe.put(key, body);
      return `put s3://${config.s3_bucket}/${key} (${body.length} bytes)`;
    }, s3Failure),
  );
  if (written.status === 'pass') {
    record(
      await step(STEPS.s3Read, async () => {
        const read = await deps.probe.get(key);
        if (Buffer.compare(read, body) !== 0) throw new Error(`read back ${read.length} bytes that differ from the ${body.length} written; is 's3_endpoint_url' a real S3 API?`);
        return 'read the probe back unchanged';
      }, s3Failure),
    );
    // Each run lists its prefix for run markers (staging/leftovers.ts): s3:ListBucket is tried here too.
    const folder = key.slice(0, key.lastIndexOf('/') + 1);
    record(
      await step(STEPS.s3List, async () => {
        const keys = await deps.probe.list(folder);
        if (!keys.includes(key)) throw new Error(`listing s3://${config.s3_bucket}/${folder} did not show the probe; is 's3_endpoint_url' a real S3 API?`);
        return `listed s3://${config.s3_bucket}/${folder}`;
      }, s3Failure),
    );
  } else {
    record(skip(STEPS.s3Read, `needs '${STEPS.s3Write}'`));
    record(skip(STEPS.s3List, `needs '${STEPS.s3Write}'`));
  }

  const sql = deps.connect();
  try {
    const session = record(
      await lakehouseStep(STEPS.session, async () => {
        for (const statement of sessionSetup()) await sql.query(statement);
        return `opened a session on ${endpointUrl(config)} as '${config.user}'`;
      }),
    );
    if (session.status !== 'pass') {
      for (const name of [STEPS.query, STEPS.catalog, STEPS.staging]) record(skip(name, `needs '${STEPS.session}'`));
    } else {
      record(
        await lakehouseStep(STEPS.query, async () => {
          const rows = await sql.query(selectOne());
          if (String(rows[0]?.probe) !== '1') throw new Error(`SELECT 1 returned ${JSON.stringify(rows)}`);
          return 'SELECT 1 returned 1';
        }),
      );
      record(
        await lakehouseStep(STEPS.catalog, async () => {
          const rows = await sql.query(showSchemas(config.catalog));
          return `catalog '${config.catalog}' answers (${rows.length} schema(s))${targetSchemaNote(config, rows)}`;
        }),
      );
      if (written.status === 'pass') {
        record(await lakehouseStep(STEPS.staging, () => readStaged(sql, location, probeValue)));
      } else {
        record(skip(STEPS.staging, `needs '${STEPS.s3Write}'`));
      }
    }
  } finally {
    await sql.close().catch(() => undefined);
  }

  if (written.status === 'pass') {
    record(
      await step(STEPS.s3Delete, async () => {
        await deps.probe.remove(key);
        return 'deleted the probe';
      }, s3Failure),
    );
  } else {
    record(skip(STEPS.s3Delete, `needs '${STEPS.s3Write}'`));
  }
  return results;
}

/** The probe's one column: named as the first field of a staged batch file (staging/parquet-layout.ts). */
const PROBE_COLUMN = 'c0';

/** Pure: a Parquet file of one row, whose one text column holds `value`. */
function probeFile(value: string): Uint8Array {
  return new Uint8Array(parquetWriteBuffer({ columnData: [{ name: PROBE_COLUMN, data: [value], type: 'STRING' }], codec: 'UNCOMPRESSED' }));
}

/** The lakehouse reads the staged probe through s3a:// as a load reads a batch: Parquet, by path. */
async function readStaged(sql: SqlExecutor, location: string, expected: string): Promise<string> {
  const rows = await sql.query(readProbeFile(location, PROBE_COLUMN));
  if (rows.length !== 1 || rows[0]?.[PROBE_COLUMN] !== expected) {
    throw new Error(`read ${rows.length} row(s) from ${location} instead of the probe`);
  }
  return `read the probe from ${location}`;
}

function targetSchemaNote(config: TargetConfig, rows: ReadonlyArray<Record<string, unknown>>): string {
  const schema = config.default_target_schema;
  if (!schema) return '';
  const names = rows.map((r) => String(Object.values(r)[0] ?? '').toLowerCase());
  const exists = names.includes(schema.toLowerCase());
  return exists
    ? `; target schema ${qualifiedName(config.catalog, schema)} exists`
    : `; target schema ${qualifiedName(config.catalog, schema)} will be created on the first load`;
}

function skip(name: string, detail: string): StepResult {
  return { step: name, status: 'skip', detail };
}

async function step(name: string, task: () => Promise<string>, describe: (e: unknown) => string = (e) => asError(e).message): Promise<StepResult> {
  const started = performance.now();
  try {
    const detail = await task();
    return { step: name, status: 'pass', detail, ms: Math.round(performance.now() - started) };
  } catch (e) {
    return { step: name, status: 'fail', detail: describe(e), ms: Math.round(performance.now() - started) };
  }
}

const WIDTH = Math.max(...Object.values(STEPS).map((s) => s.length));

/** Pure: one report line, e.g. `PASS  s3 write                 put s3://... (12 ms)`. */
export function formatStep(result: StepResult): string {
  const time = result.ms !== undefined ? ` (${result.ms} ms)` : '';
  return `${result.status.toUpperCase().padEnd(4)}  ${result.step.padEnd(WIDTH)}  ${result.detail.replace(/\s*\n\s*/g, ' ')}${time}`;
}

/** Pure: the closing line; the check passes only when every step passed. */
export function checkPassed(results: readonly StepResult[]): boolean {
  return results.length > 0 && results.every((r) => r.status === 'pass');
}

export function formatSummary(results: readonly StepResult[]): string {
  const failed = results.filter((r) => r.status === 'fail').length;
  const skipped = results.filter((r) => r.status === 'skip').length;
  return checkPassed(results)
    ? `Check passed: all ${results.length} steps passed.`
    : `Check failed: ${failed} step(s) failed, ${skipped} skipped, ${results.length - failed - skipped} passed.`;
}
