/**
 * Deterministic Singer input for the benchmark, produced line by line so that no run ever holds
 * its input in memory: the caller pulls lines (with backpressure) and the generator only keeps
 * counters. The expected outcome (distinct keys per table, the last STATE) is tallied while
 * generating, so verification never has to re-read the input.
 */

export interface InputSpec {
  records: number;
  streams: number;
  /** Keyed streams are merged (some records repeat an earlier key); append streams are inserted. */
  keyed: boolean;
  /** Number of properties per record (at least 1: the key). */
  schemaWidth: number;
  /** A STATE message follows every `stateEvery` records, and one follows the last record. */
  stateEvery: number;
  /**
   * Records per stream of an earlier keyed input whose rows the tables already hold. New keys then
   * start after that input's, and the repeats (every 10th record) update keys of that input instead
   * of keys of this one: a second batch with 10% updates of existing rows (--bare-merge).
   */
  existingPerStream?: number;
  /** Which existing keys the updates hit (with existingPerStream): the oldest by default. */
  updates?: 'oldest' | 'recent' | 'random';
}

/** What the input should leave behind; filled in as the lines are generated. */
export interface ExpectedOutcome {
  /** Rows each stream's table must hold after the run. */
  rowsPerStream: Map<string, number>;
  statesSent: number;
  /** The value of the last STATE message sent. */
  lastState: unknown;
  /** Smallest and largest key sent (keyed streams). */
  keyRange?: { min: number; max: number };
}

interface Property {
  name: string;
  schema: Record<string, unknown>;
  value: (ctx: ValueContext) => unknown;
}

interface ValueContext {
  id: number;
  /** Global record index, for variety across streams. */
  n: number;
  random: () => number;
}

// Words in several scripts, so the staging path sees multi-byte UTF-8, combining marks and emoji.
const WORDS = ['Zürich', '東京都', 'Привет', 'naïve café', 'emoji 🚀✨', 'Ελληνικά', 'עברית', 'plain ascii', 'tab\tand\nnewline', '"quoted"'];
const SOURCES = ['web', 'mobile', 'api', 'batch', 'partner'];
const BASE_DATE = Date.UTC(2024, 0, 1);

/** One of a few value shapes for the columns added beyond the base ones (`--schema-width`). */
const EXTRA_KINDS: Array<Omit<Property, 'name'>> = [
  { schema: { type: ['null', 'string'] }, value: ({ random }) => pick(WORDS, random) },
  { schema: { type: ['null', 'integer'] }, value: ({ random }) => Math.floor(random() * 1_000_000) },
  { schema: { type: ['null', 'number'] }, value: ({ random }) => Math.round(random() * 1e6) / 100 },
  { schema: { type: ['null', 'boolean'] }, value: ({ random }) => random() < 0.5 },
  { schema: { type: ['null', 'string'], format: 'date-time' }, value: ({ n }) => isoAt(n * 7_001) },
];

/** The realistic mix every stream starts with: key, unicode text, number, boolean, timestamp, object. */
const BASE_PROPERTIES: Property[] = [
  { name: 'id', schema: { type: ['integer'] }, value: ({ id }) => id },
  { name: 'name', schema: { type: ['null', 'string'] }, value: ({ id, random }) => (random() < 0.05 ? null : `${pick(WORDS, random)} #${id}`) },
  { name: 'amount', schema: { type: ['null', 'number'] }, value: ({ random }) => Math.round(random() * 1e7) / 100 },
  { name: 'active', schema: { type: ['null', 'boolean'] }, value: ({ random }) => random() < 0.7 },
  { name: 'updated_at', schema: { type: ['null', 'string'], format: 'date-time' }, value: ({ n }) => isoAt(n * 1_013) },
  {
    name: 'details',
    schema: {
      type: ['null', 'object'],
      properties: {
        source: { type: ['null', 'string'] },
        score: { type: ['null', 'integer'] },
        tags: { type: ['null', 'array'], items: { type: ['string'] } },
      },
    },
    value: ({ random }) => ({
      source: pick(SOURCES, random),
      score: Math.floor(random() * 100),
      tags: random() < 0.5 ? ['a', 'β'] : [],
    }),
  },
];

function propertiesFor(width: number): Property[] {
  if (!Number.isInteger(width) || width < 1) throw new Error(`schema width must be a positive integer, got ${width}`);
  const properties = BASE_PROPERTIES.slice(0, width);
  for (let i = properties.length; i < width; i += 1) {
    const kind = EXTRA_KINDS[i % EXTRA_KINDS.length] as Omit<Property, 'name'>;
    properties.push({ name: `col_${String(i + 1).padStart(3, '0')}`, ...kind });
  }
  return properties;
}

export function streamName(index: number): string {
  return `stream_${index}`;
}

/** Every 10th record of a keyed stream repeats the key sent 5 records earlier (an update). */
function isRepeat(streamIndex: number): boolean {
  return streamIndex % 10 === 9;
}

/**
 * Yields Singer lines (each with its trailing newline): one SCHEMA per stream, then RECORDs spread
 * round-robin over the streams with STATE messages in between. Fills `expected` as it goes.
 */
export function* singerLines(spec: InputSpec, expected: ExpectedOutcome): Generator<string> {
  if (spec.streams < 1) throw new Error('at least one stream is needed');
  const properties = propertiesFor(spec.schemaWidth);
  const schema = { type: 'object', properties: Object.fromEntries(properties.map((p) => [p.name, p.schema])) };
  const names = Array.from({ length: spec.streams }, (_, i) => streamName(i));
  const existing = spec.keyed ? (spec.existingPerStream ?? 0) : 0;
  for (const stream of names) {
    expected.rowsPerStream.set(stream, distinctKeys(existing));
    yield `${JSON.stringify({ type: 'SCHEMA', stream, schema, key_properties: spec.keyed ? ['id'] : [] })}\n`;
  }
  const perStream = new Array<number>(spec.streams).fill(0);
  const random = mulberry32(42);
  // Its own sequence, so that the values are those of the other distributions.
  const pickKey = mulberry32(7);
  const updated = (u: number, keys: number): number => {
    switch (spec.updates ?? 'oldest') {
      case 'oldest':
        return u % keys;
      case 'recent':
        return keys - 1 - (u % keys);
      case 'random':
        return Math.floor(pickKey() * keys);
    }
  };
  for (let n = 0; n < spec.records; n += 1) {
    const s = n % spec.streams;
    const stream = names[s] as string;
    const index = perStream[s] as number;
    perStream[s] = index + 1;
    const repeat = spec.keyed && isRepeat(index);
    // Keys are 1-based; a repeat reuses the key of record index-5, which is never itself a repeat,
    // or with existing rows one of their keys (the oldest, the newest or any: spec.updates).
    const id = existing > 0 ? (repeat ? existingKey(updated(Math.floor(index / 10), distinctKeys(existing))) : existing + index + 1) : repeat ? index - 4 : index + 1;
    if (spec.keyed) expected.keyRange = { min: Math.min(id, expected.keyRange?.min ?? id), max: Math.max(id, expected.keyRange?.max ?? id) };
    if (!repeat) expected.rowsPerStream.set(stream, (expected.rowsPerStream.get(stream) ?? 0) + 1);
    const ctx: ValueContext = { id, n, random };
    const record: Record<string, unknown> = {};
    for (const p of properties) record[p.name] = p.value(ctx);
    yield `${JSON.stringify({ type: 'RECORD', stream, record, time_extracted: isoAt(n) })}\n`;
    const last = n === spec.records - 1;
    if ((n + 1) % spec.stateEvery === 0 || last) {
      const value = { bookmarks: Object.fromEntries(names.map((name, i) => [name, { position: perStream[i] }])), sent: n + 1 };
      expected.statesSent += 1;
      expected.lastState = value;
      yield `${JSON.stringify({ type: 'STATE', value })}\n`;
    }
  }
}

/** Distinct keys a keyed stream of `records` records leaves in its table (every 10th is a repeat). */
export function distinctKeys(records: number): number {
  return records - Math.floor(records / 10);
}

/** The `r`-th (0-based) key a keyed stream's table holds: indexes 9, 19, ... were repeats, so they have no key of their own. */
export function existingKey(r: number): number {
  return r + Math.floor(r / 9) + 1;
}

/**
 * Groups lines into chunks of about `chunkBytes` characters: writing one pipe chunk per line would
 * cost more than generating it, while bounded chunks keep the backpressure fine-grained.
 */
export function* chunked(lines: Iterable<string>, chunkBytes = 64 * 1024): Generator<string> {
  let parts: string[] = [];
  let size = 0;
  for (const line of lines) {
    parts.push(line);
    size += line.length;
    if (size >= chunkBytes) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

function isoAt(secondsAfterBase: number): string {
  return new Date(BASE_DATE + secondsAfterBase * 1000).toISOString();
}

function pick<T>(values: readonly T[], random: () => number): T {
  return values[Math.floor(random() * values.length)] as T;
}

/** Small seeded PRNG: the same flags always produce the same input. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
