import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bookmarksOf, replayLines, type Bookmarks, type ReplaySpec } from '../support/replay-input.js';
import { planUndo } from '../../src/loading/dead-run-appends.js';
import type { Row } from '../../src/spark/executor.js';
import { snapshotsWithWapIds } from '../../src/sql/wap-statements.js';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { configFile, ensureConfig, freshSchema, query, removeStagedObjects, schemaScope, stagedObjects, testS3Client } from './harness.js';
import { countMatches, liveRun, stackFrames, type LiveRunResult, type Progress } from './live-run.js';
import { compareAll, totals, uncoveredBookmarks } from './replay-tables.js';

/**
 * Crash and resume: the target is killed with SIGKILL at several points of a run, then resumed as
 * a tap resumes — from the bookmarks of the last state the killed run printed, re-sending every
 * record of each stream after its bookmark. Keyed tables must end exactly as the input says (no
 * key lost, none twice, each with its last value); the append-only stream too: every record
 * exactly once (the resumed run undoes the killed run's commits no printed state covers before it
 * loads the replay). Every state a killed run printed is checked against the tables right after
 * the kill; leftovers (batch files, staged objects, run markers, staged snapshots) are counted.
 */

const SPEC: ReplaySpec = {
  streams: [
    { name: 'orders', keyed: true, records: 1500, keys: 1000 },
    { name: 'customers', keyed: true, records: 1200, keys: 800 },
    { name: 'items', keyed: true, records: 1000, keys: 700 },
    { name: 'events', keyed: false, records: 1200 },
  ],
  stateEvery: 100,
};
// About ten loads per full run. parallelism 2 makes reading wait for loads (backpressure), so
// states come out while input is still read, as with a tap that has more to send than one batch:
// with more parallel loads than batches the whole input is read at once, and loads committing
// during the final drain write no state of their own (only the one after it).
const SETTINGS = { batch_size_rows: 500, parallelism: 2, primary_key_required: false };

const { track } = schemaScope();

interface PointReport {
  point: string;
  runs: number;
  exitCodes: Array<number | string | null>;
  lost: number;
  duplicateKeys: number;
  wrongValues: number;
  appendLost: number;
  appendDuplicates: number;
  /** Batch files and staged objects the killed run left behind. */
  leftFiles: number;
  leftObjects: number;
  /** The same after the resumed run completed. */
  filesAfterResume: number;
  objectsAfterResume: number;
  /** Run markers and staged (never published) snapshots of killed runs left after the last run. */
  markersAfterResume: number;
  stagedSnapshotsAfterResume: number;
  /** WARN lines of the last run about another writer. */
  anotherWriterWarnings: number;
  resumedFrom: Bookmarks;
  /** Commits of the killed run's last statement seen on the lakehouse after the kill (while settling). */
  commitsAfterKill: number;
  /**
   * Append-only records the killed runs' markers counted as covered beyond their last printed
   * state: the kill fell between the marker's write and the state line (the one window left by
   * design, README "After a crash"). Those records, and only those, may come twice.
   */
  windowRecords: number;
  /** Events records the first killed run's marker counts as covered (its printed state: resumedFrom.events). */
  markedEvents: number;
  seconds: number[];
}

const reports: PointReport[] = [];
const scenarios: Scenario[] = [];
// What the killed runs left behind is removed here once it has been counted.
after(async () => {
  for (const s of scenarios) {
    await rm(s.tempDir, { recursive: true, force: true });
    await removeStagedObjects(s.prefix);
  }
});

interface Scenario {
  schema: string;
  tempDir: string;
  prefix: string;
  config: string;
}

async function scenario(name: string): Promise<Scenario> {
  const schema = track(await freshSchema(`crash_${name}`));
  const tempDir = await mkdtemp(join(tmpdir(), `target-iomete-crash-${name}-`));
  const prefix = `crash-${schema}/`;
  const config = await configFile({ default_target_schema: schema, temp_dir: tempDir, s3_key_prefix: prefix, ...SETTINGS });
  scenarios.push({ schema, tempDir, prefix, config });
  return { schema, tempDir, prefix, config };
}

const DEBUG = { TARGET_IOMETE_LOGLEVEL: 'debug' };

/** "Never a state past committed data", for the last state the run printed. */
async function assertStatesCovered(s: Scenario, run: LiveRunResult): Promise<void> {
  assert.deepEqual(await uncoveredBookmarks(query, SPEC, s.schema, run.states), [], 'the states printed claim only committed records');
}

async function snapshotCounts(schema: string): Promise<number[]> {
  const counts: number[] = [];
  for (const stream of SPEC.streams) {
    const [row] = await query(`SELECT count(*) AS n FROM spark_catalog.\`${schema}\`.\`${stream.name}\`.snapshots`).catch(() => [{ n: 0 }]);
    counts.push(Number(row?.n ?? 0));
  }
  return counts;
}

/**
 * A killed client leaves its last statement running on the lakehouse, which may still commit.
 * A tap is restarted minutes later; the test waits until no table has gained a snapshot for 3 s
 * (at most 30 s), so that the resumed run does not race that statement. Returns how many
 * commits landed after the kill.
 */
async function settleAfterKill(schema: string): Promise<number> {
  const first = await snapshotCounts(schema);
  let last = first;
  const deadline = Date.now() + 30_000;
  for (;;) {
    await new Promise((r) => setTimeout(r, 3_000));
    const now = await snapshotCounts(schema);
    const changed = now.some((n, i) => n !== last[i]);
    last = now;
    if (!changed || Date.now() > deadline) break;
  }
  return last.reduce((n, c, i) => n + c - (first[i] ?? 0), 0);
}

const BATCH_FILE = /\.parquet$/;

async function batchFiles(s: Scenario): Promise<number> {
  return (await readdir(s.tempDir).catch(() => [])).filter((name) => BATCH_FILE.test(name)).length;
}

/** Batch files in temp_dir and staged batches under the prefix (run markers are not counted). */
async function leftovers(s: Scenario): Promise<{ files: number; objects: number; markers: number }> {
  const files = await batchFiles(s);
  const keys = await stagedObjects(s.prefix);
  return { files, objects: keys.filter((key) => BATCH_FILE.test(key)).length, markers: keys.filter((key) => key.includes('_runs/')).length };
}

/** Snapshots of the append-only table staged by a killed run and never published or expired. */
async function stagedSnapshots(schema: string, runIds: readonly string[]): Promise<number> {
  const rows = (await query(snapshotsWithWapIds({ catalog: 'spark_catalog', schema, table: 'events' })).catch(() => [])) as Row[];
  // What a clean-up would still expire of each run is exactly what it left behind.
  return runIds.reduce((n, id) => n + planUndo(rows, id, `${id}-0-${Number.MAX_SAFE_INTEGER}`).expire.length, 0);
}

/** The `covered` wap id of the events table in run `runId`'s S3 marker (null: none; undefined: no marker or no entry). */
async function coveredInMarker(s: Scenario, runId: string): Promise<string | null | undefined> {
  const key = (await stagedObjects(s.prefix)).find((k) => k.includes(`_runs/${runId}-`));
  if (!key) return undefined;
  const settings = await ensureConfig();
  const client = testS3Client(settings);
  try {
    const got = await client.send(new GetObjectCommand({ Bucket: String(settings.s3_bucket), Key: key }));
    const body = JSON.parse(await got.Body!.transformToString()) as { appends?: Array<{ table: string; covered: string | null }> };
    return body.appends?.find((e) => e.table.toLowerCase() === 'events')?.covered;
  } finally {
    client.destroy();
  }
}

/**
 * Records of the events table that run `runId`'s marker counts as covered beyond `printedFrom`
 * (the records before its first one: its resume point) plus `printed` (what its last printed
 * state covers): the sum of `added-records` of its published commits up to the covered one, on
 * the table's current line, read after the kill and before any resume.
 */
async function windowRecords(s: Scenario, runId: string, printedFrom: number, printed: number): Promise<{ marked: number; window: number }> {
  const covered = await coveredInMarker(s, runId);
  if (!covered) return { marked: printedFrom, window: 0 };
  const [, tableNo, seq] = /^[0-9a-f]{12}-(\d+)-(\d+)$/.exec(covered)!;
  const rows = await query(
    `SELECT coalesce(s.summary['published-wap-id'], s.summary['wap.id']) AS id, CAST(s.summary['added-records'] AS BIGINT) AS added ` +
      `FROM spark_catalog.\`${s.schema}\`.events.snapshots s JOIN spark_catalog.\`${s.schema}\`.events.history h ON s.snapshot_id = h.snapshot_id WHERE h.is_current_ancestor`,
  );
  let records = 0;
  for (const row of rows) {
    const id = /^([0-9a-f]{12})-(\d+)-(\d+)$/.exec(String(row.id ?? ''));
    if (id && id[1] === runId && id[2] === tableNo && Number(id[3]) <= Number(seq)) records += Number(row.added);
  }
  return { marked: printedFrom + records, window: Math.max(0, printedFrom + records - printed) };
}

/** Ids of the runs whose markers are under the prefix (after a kill: the killed runs). */
async function markedRuns(s: Scenario): Promise<string[]> {
  return (await stagedObjects(s.prefix)).flatMap((key) => /_runs\/([0-9a-f]{12})-/.exec(key)?.[1] ?? []);
}
const ANOTHER_WRITER = /WARN .*another writer committed to the table after them/g;

type StopWhen = (p: Progress) => 'kill' | undefined | Promise<'kill' | undefined>;

/**
 * One crash point: a run killed when `stopWhen(scenario)` says so, then a resumed run that must
 * complete. Asserts what must hold whatever the timing and returns the numbers for the report.
 */
interface CrashOptions {
  feedLines?: number;
  /** Kill the resumed run too when this says so (then a third run completes). */
  resumeStopWhen?: StopWhen;
  /** Runs between the kill and the resume (another writer's statement). */
  betweenRuns?: (s: Scenario) => Promise<void>;
}

async function crashAndResume(point: string, stopWhen: (s: Scenario) => StopWhen, options: CrashOptions = {}): Promise<{ report: PointReport; killedRun: LiveRunResult; resumed: LiveRunResult; s: Scenario }> {
  const s = await scenario(point);
  const killedRun = await liveRun(['--config', s.config], replayLines(SPEC), { env: DEBUG, stopWhen: stopWhen(s), feedLines: options.feedLines });
  assert.ok(killedRun.killed, `the run ended before the crash point (exit ${killedRun.code}):\n${killedRun.stderr.slice(-2000)}`);
  // Only a run killed with a load statement started and not acknowledged can leave one running.
  // Settled before anything is read: a table the killed run's last CTAS is still creating cannot
  // be read in the meantime (the metastore lists it before it is an Iceberg table).
  const inFlight = countMatches(killedRun.stderr, /Running the (merge|insert|overwrite) of|\(CREATE TABLE \.\.\. AS SELECT\)$/m) > countMatches(killedRun.stderr, /INFO Loaded \d+ row/);
  const commitsAfterKill = inFlight ? await settleAfterKill(s.schema) : 0;
  await assertStatesCovered(s, killedRun);
  const left = await leftovers(s);
  const killedIds = new Set(await markedRuns(s));
  const [firstId] = killedIds;
  const printedBy = (states: unknown[], from: number) => bookmarksOf(states.at(-1)).events ?? from;
  const first = firstId ? await windowRecords(s, firstId, 0, printedBy(killedRun.states, 0)) : { marked: 0, window: 0 };
  let window = first.window;
  await options.betweenRuns?.(s);

  const exitCodes: Array<number | string | null> = [killedRun.signal ?? killedRun.code];
  let states = killedRun.states;
  const seconds = [killedRun.seconds];
  if (options.resumeStopWhen) {
    const second = await liveRun(['--config', s.config], replayLines(SPEC, bookmarksOf(states.at(-1))), { env: DEBUG, stopWhen: options.resumeStopWhen });
    assert.ok(second.killed, `the resumed run ended before the crash point (exit ${second.code}):\n${second.stderr.slice(-2000)}`);
    exitCodes.push(second.signal ?? second.code);
    seconds.push(second.seconds);
    const resumedAt = printedBy(states, 0);
    for (const id of await markedRuns(s)) {
      if (!killedIds.has(id)) window += (await windowRecords(s, id, resumedAt, printedBy(second.states, resumedAt))).window;
      killedIds.add(id);
    }
    if (second.states.length > 0) states = second.states;
  }
  const resumeFrom = bookmarksOf(states.at(-1));
  const resumed = await liveRun(['--config', s.config], replayLines(SPEC, resumeFrom), { env: DEBUG });
  assert.equal(resumed.code, 0, resumed.stderr.slice(-3000));
  assert.deepEqual(stackFrames(resumed.stderr), []);
  assert.deepEqual(bookmarksOf(resumed.states.at(-1)), Object.fromEntries(SPEC.streams.map((st) => [st.name, st.records])), 'the resumed run ends with the final state');

  const final = totals(SPEC, await compareAll(query, SPEC, s.schema));
  const after = await leftovers(s);
  const report: PointReport = {
    point,
    runs: exitCodes.length + 1,
    exitCodes: [...exitCodes, resumed.code],
    resumedFrom: resumeFrom,
    ...final,
    leftFiles: left.files,
    leftObjects: left.objects,
    filesAfterResume: after.files,
    objectsAfterResume: after.objects,
    markersAfterResume: after.markers,
    stagedSnapshotsAfterResume: await stagedSnapshots(s.schema, [...killedIds]),
    anotherWriterWarnings: countMatches(resumed.stderr, ANOTHER_WRITER),
    seconds: [...seconds, resumed.seconds],
    commitsAfterKill,
    windowRecords: window,
    markedEvents: first.marked,
  };
  reports.push(report);
  return { report, killedRun, resumed, s };
}

function assertExact(report: PointReport): void {
  assert.equal(report.lost, 0, 'keyed rows lost');
  assert.equal(report.duplicateKeys, 0, 'duplicate keys');
  assert.equal(report.wrongValues, 0, 'rows whose values are not their record');
  assert.equal(report.appendLost, 0, 'append-only rows lost');
  // Exactly the records a kill between a marker write and its state line left covered, if any.
  assert.equal(report.appendDuplicates, report.windowRecords, 'append-only rows loaded twice');
  assert.equal(report.markersAfterResume, 0, 'run markers left');
  assert.equal(report.stagedSnapshotsAfterResume, 0, 'staged snapshots of killed runs left');
}

const STAGED = /Staged \d+ row\(s\) of stream '[^']+' as s3a:\/\//;
const MERGE_STARTED = /Running the merge of \d+ row\(s\)/;
const APPEND_STARTED = /Running the insert of \d+ row\(s\) of stream 'events'/;
const APPEND_LOADED = /INFO Loaded \d+ row\(s\) of stream 'events'/;

describe('crash (SIGKILL) and resume from the last state: keyed tables end exact, append-only records once', { concurrency: 1 }, () => {
  it('(a) while staging: records read into batch files, nothing uploaded yet', async (t) => {
    // 4 SCHEMAs and 800 records (200 per stream, under batch_size_rows): no batch is due. The kill
    // comes once every stream's batch file exists, i.e. the records were read and written locally.
    const { report, killedRun } = await crashAndResume(
      'a',
      (s) => async (p) => (p.inputDone && (await batchFiles(s)) >= SPEC.streams.length ? 'kill' : undefined),
      { feedLines: SPEC.streams.length + 800 },
    );
    t.diagnostic(JSON.stringify(report));
    assert.doesNotMatch(killedRun.stderr, STAGED);
    assert.equal(report.leftFiles, SPEC.streams.length, 'the killed run leaves its open batch files');
    assertExact(report);
  });

  it('(b) right after an upload: the third "Staged ... as s3a://" line', async (t) => {
    const { report } = await crashAndResume('b', () => (p) => (countMatches(p.stderr, STAGED) >= 3 ? 'kill' : undefined));
    t.diagnostic(JSON.stringify(report));
    assertExact(report);
  });

  it('(c) during a MERGE: the third "Running the merge" line', async (t) => {
    const { report } = await crashAndResume('c', () => (p) => (countMatches(p.stderr, MERGE_STARTED) >= 3 ? 'kill' : undefined));
    t.diagnostic(JSON.stringify(report));
    assertExact(report);
  });

  it('(d) after states were emitted: the second state line', async (t) => {
    const { report, killedRun } = await crashAndResume('d', () => (p) => (p.states.length >= 2 ? 'kill' : undefined));
    t.diagnostic(JSON.stringify(report));
    assert.ok(killedRun.states.length >= 2);
    assertExact(report);
  });

  it('(e) during an append-only INSERT: the second "Running the insert" of the unkeyed stream', async (t) => {
    // An INSERT in flight at the crash may still commit on the lakehouse (staged, never published,
    // or published without a state covering it): the resumed run undoes or expires it before it
    // loads the replay. The kill comes 250 ms after the line, once the statement has reached the lakehouse.
    let seenAt: number | undefined;
    const { report } = await crashAndResume('e', () => (p) => {
      if (seenAt === undefined && countMatches(p.stderr, APPEND_STARTED) >= 2) seenAt = Date.now();
      return seenAt !== undefined && Date.now() - seenAt >= 250 ? 'kill' : undefined;
    });
    t.diagnostic(JSON.stringify(report));
    assertExact(report);
  });

  it('(f) between a commit and its state line: right after the second "Loaded ... of stream \'events\'"', async (t) => {
    const { report } = await crashAndResume('f', () => (p) => (countMatches(p.stderr, APPEND_LOADED) >= 2 ? 'kill' : undefined));
    t.diagnostic(JSON.stringify(report));
    assertExact(report);
  });

  it('(g) during the final drain: an INSERT of the unkeyed stream started after the whole input was read', async (t) => {
    let before: number | undefined;
    const { report } = await crashAndResume('g', () => (p) => {
      if (!p.inputDone) return undefined;
      before ??= countMatches(p.stderr, APPEND_STARTED);
      return countMatches(p.stderr, APPEND_STARTED) > before ? 'kill' : undefined;
    });
    t.diagnostic(JSON.stringify(report));
    assertExact(report);
  });

  it('(h) during the resumed run\'s own clean-up of the killed run: a third run finishes it', async (t) => {
    const { report, resumed } = await crashAndResume('h', () => (p) => (countMatches(p.stderr, APPEND_LOADED) >= 2 ? 'kill' : undefined), {
      resumeStopWhen: (p) => (/INFO Undid \d+ commit\(s\) of killed run/.test(p.stderr) ? 'kill' : undefined),
    });
    t.diagnostic(JSON.stringify(report));
    assert.equal(report.runs, 3);
    assert.match(resumed.stderr, /Removed \d+ staged object\(s\) of killed run/);
    assertExact(report);
  });

  it('another writer between crash and resume: its row is kept, one WARN names the table, nothing is lost', async (t) => {
    const HAND = 1_000_000;
    const { report, resumed, s } = await crashAndResume('w', () => (p) => (countMatches(p.stderr, APPEND_LOADED) >= 2 && p.states.length > 0 ? 'kill' : undefined), {
      betweenRuns: async (sc) => void (await query(`INSERT INTO spark_catalog.\`${sc.schema}\`.\`events\` (ID, SEQ, VAL) VALUES (${HAND}, ${HAND}, 'by hand')`)),
    });
    t.diagnostic(JSON.stringify(report));
    const warnings = resumed.stderr.match(ANOTHER_WRITER) ?? [];
    assert.equal(warnings.length, 1, resumed.stderr.slice(-3000));
    assert.match(warnings[0]!, new RegExp(`Table \`spark_catalog\`\\.\`${s.schema}\`\\.\`events\`: `, 'i'));
    const hand = await query(`SELECT count(*) AS n FROM spark_catalog.\`${s.schema}\`.\`events\` WHERE ID = ${HAND}`);
    assert.equal(Number(hand[0]?.n), 1, 'the row inserted by hand is kept');
    assert.equal(report.lost, 0);
    assert.equal(report.duplicateKeys, 0);
    assert.equal(report.appendLost, 0);
  });

  it('leftovers of the killed runs (batch files in temp_dir, staged objects under the prefix) are removed by the resumed run', () => {
    assert.ok(reports.length > 0);
    for (const r of reports) {
      assert.equal(r.filesAfterResume, 0, `point ${r.point}: batch files left in temp_dir`);
      assert.equal(r.objectsAfterResume, 0, `point ${r.point}: staged objects left under the prefix`);
    }
  });

  it('report', (t) => {
    for (const r of reports) t.diagnostic(JSON.stringify(r));
    t.diagnostic('| kill point | runs | keyed lost | keyed dup | append lost | append dup (marker/state window) | exit codes | markers / staged snapshots left |');
    for (const r of reports) {
      t.diagnostic(`| ${r.point} | ${r.runs} | ${r.lost} | ${r.duplicateKeys} | ${r.appendLost} | ${r.appendDuplicates} (${r.windowRecords}) | ${r.exitCodes.join(', ')} | ${r.markersAfterResume} / ${r.stagedSnapshotsAfterResume} |`);
    }
  });
});
