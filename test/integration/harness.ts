import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { after } from 'node:test';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { s3ClientConfig } from '../../src/storage/s3-client.js';
import { ensureLakehouse, runSql } from '../../lakehouse/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// The original target's Singer test inputs (kept in the repo so a clone alone runs the suite).
export const fixtures = resolve(root, 'test/fixtures/singer-target-iomete');
const bin = join(root, 'bin/run.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed: one state per line. */
  states: unknown[];
}

/** A throwaway target schema per test, so tests never see each other's tables. */
export async function freshSchema(prefix = 'it'): Promise<string> {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** Writes a config for the running local lakehouse, with overrides, and returns its path. */
export async function configFile(overrides: Record<string, unknown>): Promise<string> {
  return configFileFor(await ensureLakehouse(), overrides);
}

/** Writes a config for the lakehouse described by `base` (e.g. the fault tests' instance). */
export async function configFileFor(base: object, overrides: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'target-iomete-it-'));
  const path = join(dir, 'config.json');
  await writeFile(path, JSON.stringify({ ...base, ...overrides }));
  return path;
}

/**
 * Runs the real CLI (bin/run.js) as a user would, feeding `input` on stdin; a stream (another
 * process's stdout) is piped in as a shell pipe would. An array of parts is
 * written with `pause.ms` between parts, like a tap that goes quiet; with `pause.after`, the pause
 * starts only once the target's log matches it (startup time must not eat into the quiet time).
 */
export function runTarget(
  args: readonly string[],
  input: string | Buffer | string[] | Readable,
  pause: { ms: number; after?: RegExp } = { ms: 0 },
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const states = stdout
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as unknown);
      resolvePromise({ code, stdout, stderr, states });
    });
    child.stdin.on('error', () => undefined);
    if (input instanceof Readable) {
      input.pipe(child.stdin);
      return;
    }
    if (!Array.isArray(input)) {
      child.stdin.end(input);
      return;
    }
    void (async () => {
      for (const [i, part] of input.entries()) {
        if (i > 0) {
          const deadline = Date.now() + 120_000;
          while (pause.after && !pause.after.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
          await new Promise((r) => setTimeout(r, pause.ms));
        }
        child.stdin.write(part);
      }
      child.stdin.end();
    })();
  });
}

export async function query(sql: string): Promise<Record<string, unknown>[]> {
  await ensureLakehouse();
  return runSql(sql);
}

export async function dropSchema(schema: string): Promise<void> {
  await query(`DROP SCHEMA IF EXISTS spark_catalog.\`${schema}\` CASCADE`);
}

export interface FixtureRun extends RunResult {
  schema: string;
}

/** Loads a fixture file (or raw text) into a fresh schema with config overrides. */
export async function loadFixture(fixture: string, overrides: Record<string, unknown> = {}, schema?: string): Promise<FixtureRun> {
  const target = schema ?? (await freshSchema());
  const config = await configFile({ default_target_schema: target, ...overrides });
  const input = fixture.includes('\n') ? fixture : await readFile(join(fixtures, fixture));
  const result = await runTarget(['--config', config], input);
  return { ...result, schema: target };
}

/** Rows of a table, ordered; `columns` is a select list (already SQL). */
export async function rows(schema: string, table: string, columns = '*', orderBy = '1'): Promise<Record<string, unknown>[]> {
  return query(`SELECT ${columns} FROM spark_catalog.\`${schema}\`.\`${table}\` ORDER BY ${orderBy}`);
}

/**
 * The rows a run committed to a table: none when the table does not exist, since a new table is
 * created by the first statement that needs it and a run that fails before it leaves no table.
 */
export async function committedRows(schema: string, table: string, columns = '*'): Promise<Record<string, unknown>[]> {
  return rows(schema, table, columns).catch((error: Error) => {
    if (/TABLE_OR_VIEW_NOT_FOUND/.test(error.message)) return [];
    throw error;
  });
}

/**
 * An S3 client for the tests' own calls (fixtures, checks of what is staged). The target turns
 * the SDK's retries off and retries by its own policy; these calls keep the SDK's 3 attempts, so
 * a transient 500 from s3rver does not fail a fixture.
 */
export function testS3Client(settings: object): S3Client {
  return new S3Client({ ...s3ClientConfig({ ...settings, s3_force_path_style: true } as never), maxAttempts: 3 });
}

/** Column names and types of a table, as DESCRIBE reports them. */
export async function describe(schema: string, table: string): Promise<Array<[string, string]>> {
  const described = await query(`DESCRIBE TABLE spark_catalog.\`${schema}\`.\`${table}\``);
  const columns: Array<[string, string]> = [];
  for (const row of described) {
    const name = String(row.col_name ?? '');
    if (name === '' || name.startsWith('#')) break;
    columns.push([name, String(row.data_type)]);
  }
  return columns;
}

/** The running local lakehouse's target config. */
export async function ensureConfig(): Promise<Record<string, unknown>> {
  return { ...(await ensureLakehouse()) } as Record<string, unknown>;
}

/**
 * For a test file: loads fixtures into fresh schemas and drops every schema it handed out when
 * the file's tests are done.
 */
export function schemaScope(): { load: (fixture: string, overrides?: Record<string, unknown>, schema?: string) => Promise<FixtureRun>; track: (schema: string) => string } {
  const schemas = new Set<string>();
  after(async () => {
    for (const schema of schemas) await dropSchema(schema);
  });
  return {
    load: async (fixture, overrides = {}, schema) => {
      const run = await loadFixture(fixture, overrides, schema);
      schemas.add(run.schema);
      return run;
    },
    track: (schema) => {
      schemas.add(schema);
      return schema;
    },
  };
}

/** Staged objects left under a key prefix (of the local lakehouse, or of `config`'s S3). */
export async function stagedObjects(prefix: string, config?: Record<string, unknown>): Promise<string[]> {
  const settings = config ?? (await ensureConfig());
  const client = testS3Client(settings);
  try {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: String(settings.s3_bucket), Prefix: prefix }));
    return (listed.Contents ?? []).map((o) => String(o.Key));
  } finally {
    client.destroy();
  }
}

/** Removes what tests left under a key prefix on purpose (e.g. the staged objects of killed runs). */
export async function removeStagedObjects(prefix: string, config?: Record<string, unknown>): Promise<void> {
  const settings = config ?? (await ensureConfig());
  const keys = await stagedObjects(prefix, settings);
  if (keys.length === 0) return;
  const client = testS3Client(settings);
  try {
    await client.send(new DeleteObjectsCommand({ Bucket: String(settings.s3_bucket), Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
  } finally {
    client.destroy();
  }
}
