import { parseArgs } from 'node:util';

/** `full`: the CLI against the lakehouse; `stage-only`: bare read vs engine, no lakehouse; `bare-merge`: one flush vs a hand-written MERGE. */
type BenchMode = 'full' | 'stage-only' | 'bare-merge';

/**
 * Which existing keys the updates of --bare-merge hit: the oldest (the first rows loaded), the
 * newest (as an incremental tap sends them: recently changed rows), or any, at random.
 */
type KeyDistribution = 'oldest' | 'recent' | 'random';
const KEY_DISTRIBUTIONS: readonly KeyDistribution[] = ['oldest', 'recent', 'random'];

export interface BenchOptions {
  mode: BenchMode;
  records: number;
  streams: number;
  keyed: boolean;
  batchSizeRows?: number;
  schemaWidth: number;
  stateEvery: number;
  /** Also run `records * ratioFactor` and compare memory and throughput. */
  ratio: boolean;
  ratioFactor: number;
  /** Also run the same records as one stream and compare wall times (the many-streams case). */
  againstOneStream: boolean;
  /** Count thrift statements through a local proxy (adds one hop; turn off to compare). */
  countStatements: boolean;
  keepSchema: boolean;
  /** Runs of each side (stage-only, bare-merge); medians are reported. */
  repeat: number;
  /**
   * Rows the table holds before the measured flush (bare-merge): one size, or several measured in
   * one invocation (ascending), whose flush times are compared with the first.
   */
  initialRows: number[];
  /** Which existing keys the updates of --bare-merge hit. */
  keys: KeyDistribution;
  /** Extra target settings (`--set key=value`, value read as JSON when it parses). */
  overrides: Record<string, unknown>;
}

export const USAGE = `Usage: npm run bench -- [--stage-only | --bare-merge] [options]

  (default)              the built CLI against the local lakehouse: throughput, phases, statements
                         and thrift requests per steady-state flush, peak RSS
  --stage-only           no lakehouse: the bare read of the input (split + JSON.parse) against the
                         engine with a no-op SQL executor and a local-directory object store
  --bare-merge           one keyed stream: the target's flush of --records rows into a table of
                         --initial-rows rows against a hand-written MERGE of the same staged file
  --repeat N             runs of each side in --stage-only and --bare-merge (default 3), medians
  --initial-rows K[,L]   rows loaded before the measured flush in --bare-merge (default 100k); two or
                         more sizes (e.g. 100k,3M) are measured in one invocation and their flush
                         times compared (larger / smaller)
  --keys D               which existing keys the updates of --bare-merge hit: oldest (default),
                         recent (the newest keys, as incremental taps send), random
  --records N            records to send (suffix k or M allowed; default 100k)
  --streams M            streams the records are spread over (default 4)
  --keyed | --append     keyed streams merged on 'id' with 10% updates (default), or append-only
  --batch-size-rows K    target setting batch_size_rows (default: the target's)
  --schema-width W       properties per record (default 8; the first 6 are a fixed realistic mix)
  --state-every S        a STATE message every S records (default 1000)
  --ratio                run N and N x factor records and print memory and throughput ratios
  --ratio-factor F       size factor of --ratio (default 4)
  --against-one-stream   also run the same records as one stream and print the wall time ratio
                         (many streams: --streams 200 --records 10k --against-one-stream)
  --no-statements        do not route thrift through the counting proxy (statements not counted)
  --keep-schema          keep the benchmark's tables (dropped by default)
  --set key=value        any other target setting, e.g. --set parallelism=2 (repeatable)

Needs a built target (npm run build); the default mode and --bare-merge also need the local
lakehouse (started if not running; LAKEHOUSE_THRIFT_PORT / LAKEHOUSE_S3_PORT pick the instance).`;

/** Pure: the options of a command line; throws an Error saying which flag is wrong. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | { help: true } {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      records: { type: 'string' },
      streams: { type: 'string' },
      keyed: { type: 'boolean' },
      append: { type: 'boolean' },
      'batch-size-rows': { type: 'string' },
      'schema-width': { type: 'string' },
      'state-every': { type: 'string' },
      ratio: { type: 'boolean' },
      'ratio-factor': { type: 'string' },
      'against-one-stream': { type: 'boolean' },
      'no-statements': { type: 'boolean' },
      'keep-schema': { type: 'boolean' },
      set: { type: 'string', multiple: true },
      'stage-only': { type: 'boolean' },
      'bare-merge': { type: 'boolean' },
      repeat: { type: 'string' },
      'initial-rows': { type: 'string' },
      keys: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return { help: true };
  if (values.keyed && values.append) throw new Error('--keyed and --append exclude each other');
  if (values['stage-only'] && values['bare-merge']) throw new Error('--stage-only and --bare-merge exclude each other');
  const mode: BenchMode = values['stage-only'] ? 'stage-only' : values['bare-merge'] ? 'bare-merge' : 'full';
  if (mode === 'bare-merge' && values.append) throw new Error('--bare-merge measures a MERGE: it needs a keyed stream (drop --append)');
  if (mode !== 'bare-merge' && values.keys !== undefined) throw new Error('--keys applies to --bare-merge only');
  if (mode !== 'full' && values.ratio) throw new Error('--ratio applies to the full run only');
  if (mode !== 'full' && values['against-one-stream']) throw new Error('--against-one-stream applies to the full run only');
  if (values.ratio && values['against-one-stream']) throw new Error('--ratio and --against-one-stream exclude each other');
  const options: BenchOptions = {
    mode,
    records: count(values.records ?? '100k', '--records'),
    streams: count(values.streams ?? '4', '--streams'),
    keyed: !values.append,
    schemaWidth: count(values['schema-width'] ?? '8', '--schema-width'),
    stateEvery: count(values['state-every'] ?? '1000', '--state-every'),
    ratio: values.ratio ?? false,
    ratioFactor: count(values['ratio-factor'] ?? '4', '--ratio-factor'),
    againstOneStream: values['against-one-stream'] ?? false,
    countStatements: !values['no-statements'],
    keepSchema: values['keep-schema'] ?? false,
    repeat: count(values.repeat ?? '3', '--repeat'),
    initialRows: sizes(values['initial-rows'] ?? '100k', '--initial-rows'),
    keys: keyDistribution(values.keys),
    overrides: Object.fromEntries((values.set ?? []).map(setting)),
  };
  // One stream, so that the measured flush is a single batch of a single table.
  if (mode === 'bare-merge') {
    if (values.streams !== undefined && options.streams !== 1) throw new Error('--bare-merge uses one stream; drop --streams');
    options.streams = 1;
  }
  if (values['batch-size-rows'] !== undefined) options.batchSizeRows = count(values['batch-size-rows'], '--batch-size-rows');
  if (options.ratio && options.ratioFactor < 2) throw new Error('--ratio-factor must be at least 2');
  if (options.againstOneStream && options.streams < 2) throw new Error('--against-one-stream needs --streams of 2 or more');
  return options;
}

/** A positive integer, with an optional k (thousand) or M (million) suffix. */
function count(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  const value = m ? Number(m[1]) * ({ k: 1e3, m: 1e6 }[(m[2] ?? '').toLowerCase() as 'k' | 'm'] ?? 1) : Number.NaN;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a positive integer (e.g. 400k, 1M), got '${text}'`);
  return value;
}

/** One or more counts separated by commas, strictly ascending. */
function sizes(text: string, flag: string): number[] {
  const values = text.split(',').map((part) => count(part, flag));
  if (values.some((v, i) => i > 0 && v <= values[i - 1]!)) throw new Error(`${flag} sizes must be ascending, got '${text}'`);
  return values;
}

function keyDistribution(text: string | undefined): KeyDistribution {
  if (text === undefined) return 'oldest';
  const found = KEY_DISTRIBUTIONS.find((d) => d === text);
  if (!found) throw new Error(`--keys needs one of ${KEY_DISTRIBUTIONS.join(', ')}, got '${text}'`);
  return found;
}

function setting(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`--set needs key=value, got '${text}'`);
  const raw = text.slice(eq + 1);
  try {
    return [text.slice(0, eq), JSON.parse(raw) as unknown];
  } catch {
    return [text.slice(0, eq), raw];
  }
}

/** Pure: the target settings every mode sets from the options (the lakehouse connection aside). */
export function targetSettings(options: Pick<BenchOptions, 'batchSizeRows' | 'keyed' | 'overrides'>): Record<string, unknown> {
  return {
    ...(options.batchSizeRows !== undefined ? { batch_size_rows: options.batchSizeRows } : {}),
    ...(options.keyed ? {} : { primary_key_required: false }),
    ...options.overrides,
  };
}
