import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isLosslessNumber, parse } from 'lossless-json';
import { runCommand } from '../../scripts/run-command.js';
import { runTarget, type RunResult } from '../integration/harness.js';
import { fitsDouble } from './cell-compare.js';

/**
 * Running the real MeltanoLabs tap-postgres as a user does: `--discover`, streams selected in the
 * catalog, then `tap-postgres --config c --catalog k [--state s] | target-iomete --config t`.
 */

export interface CatalogStream {
  tap_stream_id: string;
  key_properties?: string[];
  schema: { properties: Record<string, Record<string, unknown>> };
  metadata: Array<{ breadcrumb: string[]; metadata: Record<string, unknown> }>;
}

export interface Catalog {
  streams: CatalogStream[];
}

export interface Tap {
  executable: string;
  /** Path of the tap's config file. */
  config: string;
  dir: string;
}

/** A tap with its config written to a temp dir of its own (which also takes its catalogs and states). */
export async function tapWithConfig(executable: string, settings: Record<string, unknown>): Promise<Tap> {
  const dir = await mkdtemp(join(tmpdir(), 'target-iomete-tap-'));
  const config = join(dir, 'tap-config.json');
  await writeFile(config, JSON.stringify(settings));
  return { executable, config, dir };
}

/** Writes the tap's config for a database reachable on loopback, with any other of the tap's settings. */
export async function tapFor(executable: string, connection: { port: number; user: string; database: string; schemas: string[] }, settings: Record<string, unknown> = {}): Promise<Tap> {
  return tapWithConfig(executable, {
    host: '127.0.0.1',
    port: connection.port,
    user: connection.user,
    // The test server trusts loopback; the tap wants a value all the same.
    password: 'unused',
    database: connection.database,
    filter_schemas: connection.schemas,
    ...settings,
  });
}

export async function discover(tap: Tap): Promise<Catalog> {
  const result = await runCommand(tap.executable, ['--config', tap.config, '--discover']);
  if (result.code !== 0) throw new Error(`${basename(tap.executable)} --discover failed (exit ${result.code}): ${result.stderr.trim().split('\n').slice(-5).join('\n')}`);
  return JSON.parse(result.stdout) as Catalog;
}

export interface Replication {
  method: 'FULL_TABLE' | 'INCREMENTAL';
  key?: string;
}

/**
 * The catalog with every stream selected (`selected: true` in the stream's own metadata, breadcrumb
 * []) and, for the streams named in `replication`, that replication method and key.
 */
export function selectAll(catalog: Catalog, replication: Record<string, Replication> = {}): Catalog {
  return {
    streams: catalog.streams.map((stream) => ({
      ...stream,
      metadata: stream.metadata.map((entry) => {
        if (entry.breadcrumb.length > 0) return entry;
        const chosen = replication[stream.tap_stream_id];
        return {
          ...entry,
          metadata: {
            ...entry.metadata,
            selected: true,
            ...(chosen ? { 'replication-method': chosen.method, ...(chosen.key ? { 'replication-key': chosen.key } : {}) } : {}),
          },
        };
      }),
    })),
  };
}

/** The catalog with the named properties of each stream deselected (`selected: false` at their breadcrumb). */
export function deselect(catalog: Catalog, properties: Record<string, string[]>): Catalog {
  return {
    streams: catalog.streams.map((stream) => {
      const dropped = properties[stream.tap_stream_id] ?? [];
      return {
        ...stream,
        metadata: stream.metadata.map((entry) =>
          entry.breadcrumb.length === 2 && entry.breadcrumb[0] === 'properties' && dropped.includes(String(entry.breadcrumb[1])) ? { ...entry, metadata: { ...entry.metadata, selected: false } } : entry,
        ),
      };
    }),
  };
}

export interface PipeRun {
  /** The tap's whole output; the target read it from its start (all of it unless it stopped early). */
  tapOutput: string;
  tapCode: number | null;
  tapStderr: string;
  target: RunResult;
}

/** `tap-postgres --config --catalog [--state] | target-iomete --config`: the tap's stdout piped into the target. */
export async function pipeToTarget(tap: Tap, catalog: Catalog, targetConfig: string, state?: unknown): Promise<PipeRun> {
  const catalogPath = join(tap.dir, `catalog-${Date.now()}.json`);
  await writeFile(catalogPath, JSON.stringify(catalog));
  const args = ['--config', tap.config, '--catalog', catalogPath];
  if (state !== undefined) {
    const statePath = join(tap.dir, `state-${Date.now()}.json`);
    await writeFile(statePath, JSON.stringify(state));
    args.push('--state', statePath);
  }
  const child = spawn(tap.executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // Kept as bytes until the end: a chunk may end inside a UTF-8 character.
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  const tapDone = new Promise<number | null>((resolveCode, reject) => {
    child.on('error', reject);
    child.on('close', resolveCode);
  });
  const target = await runTarget(['--config', targetConfig], child.stdout);
  // The tap's output is read to its end even when the target stopped early.
  const tapCode = await tapDone;
  return { tapOutput: Buffer.concat(out).toString(), tapCode, tapStderr: Buffer.concat(err).toString(), target };
}

/** A value of a `number` property whose text a DOUBLE would not hold, at its place in the tap's output. */
export interface InexactNumber {
  /** 1-based line of the tap's output. */
  line: number;
  stream: string;
  property: string;
  /** The number's text as the tap wrote it. */
  text: string;
}

interface JsonSchema {
  properties?: Record<string, { type?: string | string[] }>;
}

/** Properties a target stores as numbers: typed `number` (perhaps with `integer` and `null`), nothing else. */
function numberProperties(schema: JsonSchema): string[] {
  return Object.entries(schema.properties ?? {})
    .filter(([, property]) => {
      const types = [property.type ?? []].flat().filter((t) => t !== 'null');
      return types.includes('number') && types.every((t) => t === 'number' || t === 'integer');
    })
    .map(([name]) => name);
}

/** The first number in the tap's output that a DOUBLE would round, if any. */
export function firstInexactNumber(tapOutput: string): InexactNumber | undefined {
  const numbers = new Map<string, string[]>();
  const lines = tapOutput.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const message = parse(line) as { type: string; stream: string; schema?: JsonSchema; record?: Record<string, unknown> };
    if (message.type === 'SCHEMA') numbers.set(message.stream, numberProperties(message.schema ?? {}));
    if (message.type !== 'RECORD') continue;
    for (const property of numbers.get(message.stream) ?? []) {
      const value = message.record?.[property];
      if (isLosslessNumber(value) && !fitsDouble(value.value)) return { line: i + 1, stream: message.stream, property, text: value.value };
    }
  }
  return undefined;
}
