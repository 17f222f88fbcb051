/**
 * A deterministic tap for crash and resume tests: several streams whose records carry a per-stream
 * sequence number, STATE messages whose bookmarks are per-stream record counters, and a replay that
 * resumes as a real tap would (every record of stream s after bookmarks[s], SCHEMAs first).
 *
 * bench/generator.ts is not reused: it makes every stream keyed or every stream append-only and its
 * values come from one random sequence over the whole input, so a partial replay would not send the
 * same values again. Here a record is a pure function of (stream, seq), which makes the replay and
 * the expected table contents exact.
 */

export interface ReplayStream {
  name: string;
  /** Keyed streams are merged on `id` (records update earlier keys); the others are appended. */
  keyed: boolean;
  records: number;
  /** Distinct keys of a keyed stream (fewer than `records`: the rest are updates). */
  keys?: number;
}

export interface ReplaySpec {
  streams: readonly ReplayStream[];
  /** A STATE follows every `stateEvery` records (over all streams), and one follows the last. */
  stateEvery: number;
}

/** Records of each stream already sent (the bookmarks); a stream missing from it starts at 0. */
export type Bookmarks = Record<string, number>;

export interface ReplayRecord {
  id: number;
  seq: number;
  val: string;
}

const SCHEMA = {
  type: 'object',
  properties: { id: { type: ['integer'] }, seq: { type: ['integer'] }, val: { type: ['null', 'string'] } },
};

/** The key written by record `seq` of a keyed stream: 1..keys first, then updates spread over them. */
export function keyOf(stream: ReplayStream, seq: number): number {
  const keys = stream.keys ?? stream.records;
  return seq <= keys ? seq : ((seq * 7919) % keys) + 1;
}

export function recordOf(stream: ReplayStream, seq: number): ReplayRecord {
  return { id: stream.keyed ? keyOf(stream, seq) : seq, seq, val: `${stream.name}:${seq}:ü🚀` };
}

/** The records in input order: round-robin over the streams that still have records. */
function* order(spec: ReplaySpec): Generator<{ stream: ReplayStream; seq: number }> {
  const sent = spec.streams.map(() => 0);
  for (;;) {
    let any = false;
    for (const [i, stream] of spec.streams.entries()) {
      if ((sent[i] as number) >= stream.records) continue;
      sent[i] = (sent[i] as number) + 1;
      any = true;
      yield { stream, seq: sent[i] as number };
    }
    if (!any) return;
  }
}

/**
 * The tap's output, each line with its newline. With `resume` (the bookmarks of the state the
 * previous run ended with) it re-sends, after the SCHEMAs, only the records past each stream's
 * bookmark, in the original order; its STATEs never move a bookmark back behind `resume`.
 */
export function* replayLines(spec: ReplaySpec, resume: Bookmarks = {}): Generator<string> {
  for (const stream of spec.streams) {
    yield `${JSON.stringify({ type: 'SCHEMA', stream: stream.name, schema: SCHEMA, key_properties: stream.keyed ? ['id'] : [] })}\n`;
  }
  const counters = new Map(spec.streams.map((s) => [s.name, resume[s.name] ?? 0]));
  const total = spec.streams.reduce((n, s) => n + s.records, 0);
  let n = 0;
  for (const { stream, seq } of order(spec)) {
    n += 1;
    if (seq > (resume[stream.name] ?? 0)) {
      yield `${JSON.stringify({ type: 'RECORD', stream: stream.name, record: recordOf(stream, seq) })}\n`;
      counters.set(stream.name, seq);
    }
    if (n % spec.stateEvery === 0 || n === total) {
      const bookmarks = Object.fromEntries([...counters].map(([name, seqSent]) => [name, { seq: seqSent }]));
      yield `${JSON.stringify({ type: 'STATE', value: { bookmarks } })}\n`;
    }
  }
}

/** The bookmarks a state emitted by the target carries (streams it names no bookmark for: 0). */
export function bookmarksOf(state: unknown): Bookmarks {
  const out: Bookmarks = {};
  const bookmarks = (state as { bookmarks?: Record<string, { seq?: unknown }> } | undefined)?.bookmarks ?? {};
  for (const [name, value] of Object.entries(bookmarks)) {
    if (typeof value?.seq === 'number') out[name] = value.seq;
  }
  return out;
}

/** A table's rows as read back: `id` and `seq` of every row (duplicates included). */
export type TableRows = ReadonlyArray<{ id: number; seq: number; val: string | null }>;

export interface Comparison {
  /** Records (append) or keys (keyed) whose expected row is missing or older than expected. */
  lost: number;
  /** Rows beyond one per key (keyed) or per record (append). */
  duplicates: number;
  /** Rows whose value is not that of their record. */
  wrongValues: number;
}

/**
 * Compares a table with what the first `upTo` records of `stream` must have left: for a keyed
 * stream each key written by them holds a row from its last write among them or a later one;
 * for an append stream each of them is a row. With `upTo = stream.records` this is the exact
 * final content (a keyed row newer than the input cannot exist).
 */
export function compareTable(stream: ReplayStream, rows: TableRows, upTo: number = stream.records): Comparison {
  let wrongValues = 0;
  const seen = new Map<number, number[]>();
  for (const row of rows) {
    if (row.val !== recordOf(stream, row.seq).val || row.id !== recordOf(stream, row.seq).id) wrongValues += 1;
    const list = seen.get(row.id) ?? [];
    list.push(row.seq);
    seen.set(row.id, list);
  }
  let lost = 0;
  let duplicates = 0;
  for (const list of seen.values()) duplicates += list.length - 1;
  if (stream.keyed) {
    const lastWrite = new Map<number, number>();
    for (let seq = 1; seq <= upTo; seq += 1) lastWrite.set(keyOf(stream, seq), seq);
    for (const [key, seq] of lastWrite) {
      const present = seen.get(key);
      if (!present || Math.max(...present) < seq) lost += 1;
    }
  } else {
    for (let seq = 1; seq <= upTo; seq += 1) if (!seen.has(seq)) lost += 1;
  }
  return { lost, duplicates, wrongValues };
}
