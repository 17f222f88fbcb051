import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { resolveConfig, type TargetConfig } from '../../src/config/config.js';
import type { Logger } from '../../src/logging.js';
import { Target } from '../../src/target.js';
import { FakeLakehouse, InjectedFault, type FaultPlan } from '../support/fake-lakehouse.js';

/**
 * Schedule-exploring tests: the real engine, driven by generated Singer inputs and settings, over
 * an in-memory lakehouse that delays and fails operations at random. After every run:
 *
 *  I1  the run settles (resolves or rejects; never hangs).
 *  I2  every emitted state is covered by committed rows: each bookmark `s: n` was emitted only
 *      once every record of stream s before input line n was committed; the top-level `marker: n`
 *      only once every record before line n was.
 *  I3  states come out in input order (no bookmark moves back) and never twice in a row.
 *  I4  at most `parallelism` loads and DDL statements run at once; no DDL on a table while a load
 *      of it runs; no two loads of one table overlap; no load of a table before its CREATE TABLE
 *      finished (table set-up runs as jobs, while reading goes on).
 *  I5  nothing is left behind: no file in temp_dir, no staged object, no open session.
 *  I6  a run without injected faults loads every record and emits the last input state last;
 *      a run that fails rejects with the injected fault's error.
 *      With stream maps, s0 is loaded as another stream and s1 twice: bookmarks keep the tap's
 *      names and wait for every copy.
 *  I7  with load_method overwrite, a state is written only at the end of a successful run (a
 *      resumed run would overwrite the table with only the remainder).
 *  I8  table maintenance (after the run, or every N commits of a table) runs in the table's lane:
 *      never during a load, DDL or version retirement of that table, within `parallelism` (I4);
 *      a failing maintenance statement never fails the run nor loses a record (I6); without
 *      maintenance faults, a successful run compacts every table it loaded. Snapshots are expired
 *      only after the last state is written (a resumed run never needs a snapshot expired). What
 *      the run added to its tables is read for the summary after every load (never during a
 *      statement on one of them); without faults, for every table a successful run loaded.
 *  I9  with `partition_by` (identity, bucket[N] or truncate[W] of the key or of a text column), a
 *      compaction restricted by a `where` selects every partition the run's loads wrote into the
 *      table before it (the fake computes the partitions and evaluates the `where`; checked as I4).
 *
 * Reproduce a failure with the seed and path fast-check prints (FC_SEED=... FC_PATH=...).
 */

interface StreamSpec {
  keyed: boolean;
}
type Op =
  | { kind: 'record'; stream: number; key: number }
  | { kind: 'state' }
  | { kind: 'schema'; stream: number }
  | { kind: 'activate'; stream: number };

interface Scenario {
  streams: StreamSpec[];
  ops: Op[];
  settings: {
    batch_size_rows: number;
    parallelism: number;
    parallelism_max: number;
    flush_all_streams: boolean;
    load_method: 'upsert' | 'append-only' | 'overwrite';
    maintenance: boolean;
    maintenance_every_commits: number;
  };
  /** Stream maps: s0 loaded under another name, s1 loaded twice (its own table and a copy). */
  mapped: boolean;
  /** `partition_by` of every stream's table: one field on the key (`id`) or the text column (`uid`). */
  partition?: { column: 'id' | 'uid'; transform: string };
  faults: FaultPlan;
}

const scenario = (faulty: boolean): fc.Arbitrary<Scenario> =>
  fc
    .array(fc.record({ keyed: fc.boolean() }), { minLength: 1, maxLength: 5 })
    .chain((streams) =>
      fc.record({
        streams: fc.constant(streams),
        ops: fc.array(
          fc.oneof(
            { weight: 10, arbitrary: fc.record({ kind: fc.constant('record' as const), stream: fc.nat(streams.length - 1), key: fc.nat(6) }) },
            { weight: 3, arbitrary: fc.record({ kind: fc.constant('state' as const) }) },
            { weight: 1, arbitrary: fc.record({ kind: fc.constant('schema' as const), stream: fc.nat(streams.length - 1) }) },
            { weight: 1, arbitrary: fc.record({ kind: fc.constant('activate' as const), stream: fc.nat(streams.length - 1) }) },
          ),
          { minLength: 1, maxLength: 60 },
        ),
        settings: fc.record({
          batch_size_rows: fc.integer({ min: 1, max: 6 }),
          parallelism: fc.constantFrom(0, 1, 2, 3),
          parallelism_max: fc.integer({ min: 1, max: 4 }),
          flush_all_streams: fc.boolean(),
          load_method: fc.constantFrom('upsert' as const, 'append-only' as const, 'overwrite' as const),
          maintenance: fc.boolean(),
          maintenance_every_commits: fc.constantFrom(0, 1, 3),
        }),
        mapped: fc.boolean(),
        partition: fc.option(
          fc.record({ column: fc.constantFrom('id' as const, 'uid' as const), transform: fc.constantFrom('identity', 'bucket[1]', 'bucket[3]', 'truncate[1]', 'truncate[2]', 'truncate[3]') }),
          { nil: undefined, freq: 2 },
        ),
        faults: fc.record({
          choices: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 64 }),
          loadFailure: faulty ? fc.constantFrom(0, 0.05, 0.2) : fc.constant(0),
          uploadFailure: faulty ? fc.constantFrom(0, 0.05, 0.2) : fc.constant(0),
          ddlFailure: faulty ? fc.constantFrom(0, 0.05, 0.2) : fc.constant(0),
          // Never a reason for a failed run, so also in runs "without faults" (I8).
          maintenanceFailure: fc.constantFrom(0, 0, 0.3),
          maxDelayTurns: fc.integer({ min: 0, max: 6 }),
        }),
      }),
    );

interface Input {
  lines: string[];
  /** Input line (1-based) of each record, by uid, with its stream and key. */
  records: Map<string, { stream: string; line: number; key: number }>;
  lastState?: unknown;
}

/** Singer lines for the scenario; SCHEMA of a stream comes right before its first use. */
function inputFor(s: Scenario): Input {
  const lines: string[] = [];
  const records = new Map<string, { stream: string; line: number; key: number }>();
  const extraProps = s.streams.map(() => 0);
  const announced = new Set<number>();
  let version = s.streams.map(() => 0);
  let lastState: unknown;
  const schema = (i: number) => {
    const properties: Record<string, unknown> = { id: { type: 'integer' }, uid: { type: 'string' } };
    for (let p = 1; p <= extraProps[i]!; p += 1) properties[`p${p}`] = { type: ['null', 'string'] };
    lines.push(JSON.stringify({ type: 'SCHEMA', stream: `s${i}`, schema: { type: 'object', properties }, key_properties: s.streams[i]!.keyed ? ['id'] : [] }));
    announced.add(i);
  };
  for (const op of s.ops) {
    switch (op.kind) {
      case 'record': {
        if (!announced.has(op.stream)) schema(op.stream);
        const uid = `u${lines.length + 1}`;
        const record: Record<string, unknown> = { id: op.key, uid };
        if (extraProps[op.stream]! > 0) record[`p${extraProps[op.stream]}`] = 'x';
        const message: Record<string, unknown> = { type: 'RECORD', stream: `s${op.stream}`, record };
        if (version[op.stream]! > 0) message.version = version[op.stream];
        lines.push(JSON.stringify(message));
        records.set(uid, { stream: `s${op.stream}`, line: lines.length, key: op.key });
        break;
      }
      case 'state': {
        const line = lines.length + 1;
        const bookmarks: Record<string, number> = {};
        for (const i of announced) bookmarks[`s${i}`] = line;
        lastState = { bookmarks, marker: line };
        lines.push(JSON.stringify({ type: 'STATE', value: lastState }));
        break;
      }
      case 'schema':
        extraProps[op.stream]! += 1;
        schema(op.stream);
        break;
      case 'activate':
        if (!announced.has(op.stream)) schema(op.stream);
        version = version.map((v, i) => (i === op.stream ? v + 1 : v));
        lines.push(JSON.stringify({ type: 'ACTIVATE_VERSION', stream: `s${op.stream}`, version: version[op.stream] }));
        break;
    }
  }
  return { lines, records, lastState };
}

/** The scenario's settings, with its `partition_by` for every stream. */
function settingsOf(s: Scenario): Record<string, unknown> {
  return { ...s.settings, ...(s.partition ? { partition_by: { '*': [s.partition] } } : {}) };
}

/** Compactions restricted by a `where` that I9 checked, over every scenario run (so I9 is seen to be exercised). */
let restrictedCompactions = 0;

const silent: Logger = { error: () => silent, warn: () => silent, info: () => silent, debug: () => silent } as unknown as Logger;

/** How many tables each record of `stream` goes to. */
const copiesOf = (s: Scenario, stream: string) => (s.mapped && stream === 's1' ? 2 : 1);

function checkEmitted(s: Scenario, state: unknown, input: Input, lake: FakeLakehouse, previous: unknown): string | undefined {
  const value = state as { bookmarks?: Record<string, number>; marker?: number };
  const uncommittedBefore = (line: number, stream?: string) =>
    [...input.records].find(([uid, r]) => r.line < line && (stream === undefined || r.stream === stream) && (lake.committed.get(uid) ?? 0) < copiesOf(s, r.stream));
  if (value.marker !== undefined) {
    const missing = uncommittedBefore(value.marker);
    if (missing) return `state with marker ${value.marker} emitted while record ${missing[0]} (line ${missing[1].line}) was not committed`;
  }
  for (const [stream, line] of Object.entries(value.bookmarks ?? {})) {
    const missing = uncommittedBefore(line, stream);
    if (missing) return `bookmark ${stream}: ${line} emitted while record ${missing[0]} (line ${missing[1].line}) was not committed`;
  }
  if (previous !== undefined) {
    const before = previous as typeof value;
    if (JSON.stringify(before) === JSON.stringify(value)) return 'the same state was emitted twice in a row';
    if ((value.marker ?? 0) < (before.marker ?? 0)) return `marker moved back from ${before.marker} to ${value.marker}`;
    for (const [stream, line] of Object.entries(before.bookmarks ?? {})) {
      const now = value.bookmarks?.[stream];
      if (now === undefined || now < line) return `bookmark ${stream} moved back from ${line} to ${now}`;
    }
  }
  return undefined;
}

export async function runScenario(s: Scenario): Promise<void> {
  const input = inputFor(s);
  const tempDir = await mkdtemp(join(tmpdir(), 'target-iomete-pbt-'));
  try {
    const { config } = resolveConfig({
      host: 'lakehouse.test',
      lakehouse: 'lh',
      user: 'u',
      password: 'p',
      s3_bucket: 'bucket',
      default_target_schema: 'pbt',
      primary_key_required: false,
      temp_dir: tempDir,
      ...settingsOf(s),
      ...(s.mapped ? { stream_maps: { s0: { __alias__: 'renamed_s0' }, copy_s1: { __source__: 's1' } } } : {}),
    });
    const parallelism = s.settings.parallelism === 0 ? s.settings.parallelism_max : Math.min(s.settings.parallelism, s.settings.parallelism_max);
    const lake = new FakeLakehouse(s.faults, parallelism);
    const emitted: unknown[] = [];
    const problems: string[] = [];
    /** Maintenance statements done when the last state was written. */
    let maintenanceBeforeLastState: string[] = [];
    const target = targetOn(lake, config, async (state: unknown) => {
      const problem = checkEmitted(s, state, input, lake, emitted.at(-1));
      if (problem) problems.push(problem);
      emitted.push(state);
      maintenanceBeforeLastState = [...lake.maintenance];
      await lake.delay();
    });
    const run = target.run(Readable.from(input.lines.map((l) => `${l}\n`)));
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      run.then(
        () => ({ ok: true as const }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
      new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), 10_000))),
    ]);
    clearTimeout(timer);
    assert.notEqual(outcome, 'hang', 'I1: the run did not settle within 10 s');
    assert.deepEqual(problems, [], 'I2/I3');
    assert.deepEqual(lake.violations, [], 'I4, I9');
    restrictedCompactions += lake.restrictedCompactions;
    assert.deepEqual(maintenanceBeforeLastState.filter((m) => m.startsWith('expire_snapshots')), [], 'I8: snapshots expired before the last state');
    assert.deepEqual(await readdir(tempDir), [], 'I5: files left in temp_dir');
    // A failed run with commits no printed state covers keeps its run marker for the next run (L4).
    const failed = outcome === 'hang' || !outcome.ok;
    assert.deepEqual([...lake.objects.keys()].filter((k) => !(failed && k.startsWith('_runs/'))), [], 'I5: staged objects left');
    assert.deepEqual(
      lake.sessions.filter((x) => !x.closed).length,
      0,
      'I5: sessions left open',
    );
    if (s.settings.load_method === 'overwrite') {
      const allowed = outcome !== 'hang' && outcome.ok ? 1 : 0;
      assert.ok(emitted.length <= allowed, `I7: ${emitted.length} state(s) written with load_method overwrite (${allowed} allowed)`);
    }
    if (outcome !== 'hang' && outcome.ok) {
      const lost = [...input.records].filter(([uid, r]) => (lake.committed.get(uid) ?? 0) < copiesOf(s, r.stream)).map(([uid]) => uid);
      assert.deepEqual(lost, [], 'I6: the run succeeded but records were not committed');
      if (s.settings.maintenance && !s.faults.maintenanceFailure) {
        const unmaintained = [...lake.loadedTables].filter((t) => !lake.maintenance.includes(`rewrite_data_files ${t}`));
        assert.deepEqual(unmaintained, [], 'I8: loaded tables left without maintenance');
      }
      if (!s.settings.maintenance && !s.faults.maintenanceFailure) {
        const unread = [...lake.loadedTables].filter((t) => !lake.additionsRead.includes(t));
        assert.deepEqual(unread, [], 'I8: loaded tables whose additions the summary did not read');
      }
      if (input.lastState !== undefined) assert.deepEqual(emitted.at(-1), input.lastState, 'I6: the last input state is emitted last');
    } else if (outcome !== 'hang') {
      const injected = s.faults.loadFailure > 0 || s.faults.uploadFailure > 0 || (s.faults.ddlFailure ?? 0) > 0;
      assert.ok(injected, `I6: the run failed without an injected fault: ${String((outcome.error as Error)?.stack ?? outcome.error)}`);
      assert.ok(outcome.error instanceof InjectedFault || /injected fault/.test(String((outcome.error as Error)?.message)), `I6: failed with ${String((outcome.error as Error)?.stack ?? outcome.error)}`);
    }
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}

const runs = Number(process.env.FC_RUNS ?? 1000);

describe('table set-up as jobs', () => {
  it('reads the whole input while table set-up is held back, then creates and loads every table', async () => {
    const streams = 12;
    const lines: string[] = [];
    for (let i = 0; i < streams; i += 1) {
      lines.push(JSON.stringify({ type: 'SCHEMA', stream: `s${i}`, schema: { type: 'object', properties: { id: { type: 'integer' }, uid: { type: 'string' } } }, key_properties: ['id'] }));
      for (let r = 0; r < 3; r += 1) lines.push(JSON.stringify({ type: 'RECORD', stream: `s${i}`, record: { id: r, uid: `u${i * 3 + r}` } }));
    }
    lines.push(JSON.stringify({ type: 'STATE', value: { done: true } }));
    const tempDir = await mkdtemp(join(tmpdir(), 'target-iomete-ddl-'));
    try {
      const { config } = resolveConfig({ host: 'h', lakehouse: 'lh', user: 'u', password: 'p', s3_bucket: 'bucket', default_target_schema: 'pbt', temp_dir: tempDir, parallelism: 2 });
      const lake = new FakeLakehouse({ choices: [0.3, 0.7, 0.1], loadFailure: 0, uploadFailure: 0, maxDelayTurns: 2 }, 2);
      const input = Readable.from(lines.map((l) => `${l}\n`));
      let tablesBeforeEnd = -1;
      // Table set-up waits until the target has read the last line: a router that waited for it would never get there.
      lake.ddlGate = new Promise<void>((resolve) => input.once('end', () => resolve()));
      void lake.ddlGate.then(() => (tablesBeforeEnd = lake.tables.size));
      const emitted: unknown[] = [];
      const target = new Target({ config, connect: () => lake.connect(), store: lake.store(), log: silent, state: { write: async (state: unknown) => void emitted.push(state) } as never });
      await target.run(input);
      assert.equal(tablesBeforeEnd, 0);
      assert.equal(lake.tables.size, streams);
      assert.deepEqual(lake.violations, []);
      assert.equal(lake.committed.size, streams * 3);
      assert.deepEqual(emitted, [{ done: true }]);
    } finally {
      await rm(tempDir, { recursive: true, force: true });
    }
  });
});

describe('exactly-once appends with a STATE inside every batch', () => {
  // A tap that sends a STATE every 3 records, batches of 10 rows: a batch closed at its size
  // would straddle a STATE every time, and S5 would hold the stream's bookmark back to the end.
  async function run(lines: string[]) {
    const tempDir = await mkdtemp(join(tmpdir(), 'target-iomete-state-close-'));
    try {
      const { config } = resolveConfig({ host: 'h', lakehouse: 'lh', user: 'u', password: 'p', s3_bucket: 'bucket', default_target_schema: 'pbt', temp_dir: tempDir, load_method: 'append-only', primary_key_required: false, batch_size_rows: 10 });
      const lake = new FakeLakehouse({ choices: [0.5], loadFailure: 0, uploadFailure: 0, maxDelayTurns: 0 }, 1);
      const emitted: unknown[] = [];
      const { batches } = await new Target({ config, connect: () => lake.connect(), store: lake.store(), log: silent, state: { write: async (state: unknown) => void emitted.push(state) } as never }).run(
        Readable.from(lines.map((l) => `${l}\n`)),
      );
      assert.deepEqual(lake.violations, []);
      return { emitted, committed: lake.committed.size, batches };
    } finally {
      await rm(tempDir, { recursive: true, force: true });
    }
  }
  const schema = JSON.stringify({ type: 'SCHEMA', stream: 'events', schema: { type: 'object', properties: { id: { type: 'integer' }, uid: { type: 'string' } } }, key_properties: [] });
  const record = (i: number) => JSON.stringify({ type: 'RECORD', stream: 'events', record: { id: i, uid: `u${i}` } });
  const state = (n: number) => JSON.stringify({ type: 'STATE', value: { bookmarks: { events: n } } });

  it('closes a full batch at the next STATE, so the bookmark moves with every batch', async () => {
    const lines = [schema];
    for (let i = 1; i <= 40; i += 1) {
      lines.push(record(i));
      if (i % 3 === 0) lines.push(state(i));
    }
    lines.push(state(40));
    const { emitted, committed, batches } = await run(lines);
    assert.equal(committed, 40);
    assert.equal(batches, 4);
    // Batches of 12 rows (full at 10, closed at the STATE after record 12, 24, 36), then the rest.
    assert.deepEqual(emitted, [{ bookmarks: { events: 12 } }, { bookmarks: { events: 24 } }, { bookmarks: { events: 36 } }, { bookmarks: { events: 40 } }]);
  });

  it('closes a full batch at twice its size when no STATE comes', async () => {
    const lines = [schema];
    for (let i = 1; i <= 45; i += 1) lines.push(record(i));
    lines.push(state(45));
    const { emitted, committed, batches } = await run(lines);
    assert.equal(committed, 45);
    // 20 + 20 + 5 rows: each batch full at 10, closed at 20.
    assert.equal(batches, 3);
    assert.deepEqual(emitted, [{ bookmarks: { events: 45 } }]);
  });
});

describe("another host's run that may have been killed", () => {
  // A marker of another host refreshed within 15 minutes, naming the table EVENTS of schema pbt.
  async function runBeside(stream: string) {
    const tempDir = await mkdtemp(join(tmpdir(), 'target-iomete-other-host-'));
    try {
      const { config } = resolveConfig({ host: 'h', lakehouse: 'lh', user: 'u', password: 'p', s3_bucket: 'bucket', default_target_schema: 'pbt', temp_dir: tempDir, load_method: 'append-only', primary_key_required: false });
      const lake = new FakeLakehouse({ choices: [0.5], loadFailure: 0, uploadFailure: 0, maxDelayTurns: 0 }, 1);
      lake.objects.set('_runs/aaaaaaaaaaaa-12-other-host.json', JSON.stringify({ host: 'other-host', pid: 12, appends: [{ catalog: 'spark_catalog', schema: 'pbt', table: 'EVENTS', covered: null }] }));
      const warned: string[] = [];
      const log = { ...silent, warn: (m: string) => (warned.push(m), log) } as unknown as Logger;
      const lines = [
        JSON.stringify({ type: 'SCHEMA', stream, schema: { type: 'object', properties: { id: { type: 'integer' } } }, key_properties: [] }),
        JSON.stringify({ type: 'RECORD', stream, record: { id: 1 } }),
        JSON.stringify({ type: 'STATE', value: { done: 1 } }),
      ];
      await new Target({ config, connect: () => lake.connect(), store: lake.store(), log, state: { write: async () => undefined } as never }).run(Readable.from(lines.map((l) => `${l}\n`)));
      assert.ok(lake.objects.has('_runs/aaaaaaaaaaaa-12-other-host.json'), 'the marker of a run not proven dead stays');
      return warned;
    } finally {
      await rm(tempDir, { recursive: true, force: true });
    }
  }

  it('warns once when this run appends to a table that run names', async () => {
    assert.deepEqual(await runBeside('events'), [
      "Run aaaaaaaaaaaa on host other-host (marker refreshed within 15 min) also appends to `spark_catalog`.`pbt`.`EVENTS`; if it was killed and this run resumes it, rows it committed after its last state may be loaded twice (wait 15 minutes after a crash on another host before resuming)",
    ]);
  });

  it('says nothing when this run appends to other tables only', async () => {
    assert.deepEqual(await runBeside('orders'), []);
  });
});

describe('engine under generated schedules', () => {
  it(`keeps every invariant without faults (${runs} runs)`, async () => {
    await fc.assert(fc.asyncProperty(scenario(false), runScenario), {
      numRuns: runs,
      ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}),
    });
  });

  it(`keeps every invariant with maintenance after every commit of a table (${runs} runs)`, async () => {
    const everyCommit = scenario(false).map((s) => ({ ...s, settings: { ...s.settings, maintenance: true, maintenance_every_commits: 1 } }));
    const before = restrictedCompactions;
    await fc.assert(fc.asyncProperty(everyCommit, runScenario), {
      numRuns: runs,
      ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}),
    });
    // I9 is not vacuous: partitioned tables had compactions restricted to what runs wrote.
    if (!process.env.FC_SEED) assert.ok(restrictedCompactions - before > 0, 'I9: no compaction was restricted by a where');
  });

  it(`keeps every invariant with failing uploads and loads (${runs} runs)`, async () => {
    await fc.assert(fc.asyncProperty(scenario(true), runScenario), {
      numRuns: runs,
      ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}),
    });
  });
});

/**
 * Crashes: the engine is abandoned at a generated step (every S3 call, statement and state write
 * is a step; the one at the crash lands or not; nothing answers after it; no clean-up runs), then
 * a fresh engine resumes on the same lakehouse with the replay a tap sends: every SCHEMA, STATE and
 * ACTIVATE_VERSION again, and each stream's records after its bookmark in the last state printed
 * by any run before (all of them when none names the stream). A second crash may hit the resumed
 * run too (during its clean-up of the first). The input ends with a STATE, as a tap's does.
 *
 *  X1  every record of an unkeyed stream is in its table exactly once (exactly-once appends) —
 *      at least once when the crash lost a state line the run had already recorded in its
 *      marker (the one window left, between that write and stdout: duplicates, never a loss);
 *  X2  a keyed stream loaded by MERGE has one row per key, the last record of the key; loaded by
 *      INSERT (append-only), each key's last record present and no record twice (but for X1's window);
 *  X3  no staged snapshot of a killed run is left off the table's current line, and no run
 *      marker is left.
 */
interface CrashScenario {
  base: Scenario;
  /** Steps at which the first run, and possibly the second, is abandoned. */
  crashes: number[];
}

const crashScenario: fc.Arbitrary<CrashScenario> = scenario(false).chain((base) =>
  fc.record({
    base: fc.constant({ ...base, mapped: false, ops: [...base.ops, { kind: 'state' as const }] }),
    crashes: fc.oneof(fc.tuple(fc.integer({ min: 1, max: 150 })), fc.tuple(fc.integer({ min: 1, max: 150 }), fc.integer({ min: 1, max: 20 }))),
  }),
);

/** The lines a tap sends when it resumes from `state`. */
function replayInput(input: Input, state: unknown): string[] {
  const bookmarks = (state as { bookmarks?: Record<string, number> } | undefined)?.bookmarks ?? {};
  return input.lines.filter((line, i) => {
    const record = /"uid":"(u\d+)"/.exec(line)?.[1];
    if (record === undefined || !line.startsWith('{"type":"RECORD"')) return true;
    const { stream } = input.records.get(record)!;
    return bookmarks[stream] === undefined || i + 1 > bookmarks[stream]!;
  });
}

/** A target over the in-memory lakehouse, its state lines going to `write`. */
function targetOn(lake: FakeLakehouse, config: TargetConfig, write: (state: unknown) => Promise<void>): Target {
  return new Target({ config, connect: () => lake.connect(), store: lake.store(), log: silent, state: { write } });
}

async function runUntilCrash(target: Target, lines: string[], lake: FakeLakehouse): Promise<'done' | 'crashed'> {
  let settled: 'done' | undefined;
  let failure: unknown;
  target.run(Readable.from(lines.map((l) => `${l}\n`))).then(
    () => (settled = 'done'),
    (e: unknown) => {
      failure = e;
      settled = 'done';
    },
  );
  const deadline = Date.now() + 10_000;
  while (settled === undefined && !lake.crashed) {
    if (Date.now() > deadline) throw new Error('I1: the run neither ended nor crashed within 10 s');
    await new Promise((r) => setImmediate(r));
  }
  if (settled === undefined) {
    // Statements under way at the crash land before the resume (the operator restarts later).
    for (let i = 0; i < 200; i += 1) await new Promise((r) => setImmediate(r));
    return 'crashed';
  }
  if (failure !== undefined) throw failure;
  return 'done';
}

/** The covered commits the run marker of `runId` records now (as landed on the store). */
function coveredIn(lake: FakeLakehouse, runId: string): string {
  const key = [...lake.objects.keys()].find((k) => k.startsWith(`_runs/${runId}-`));
  const appends = key === undefined ? [] : ((JSON.parse(lake.objects.get(key)!) as { appends?: Array<{ table: string; covered: string | null }> }).appends ?? []);
  return JSON.stringify(appends.filter((a) => a.covered !== null));
}

async function runCrashScenario(c: CrashScenario): Promise<void> {
  const s = c.base;
  const input = inputFor(s);
  const keyed = new Set(s.streams.flatMap((st, i) => (st.keyed ? [`s${i}`] : [])));
  const parallelism = s.settings.parallelism === 0 ? s.settings.parallelism_max : Math.min(s.settings.parallelism, s.settings.parallelism_max);
  const lake = new FakeLakehouse(s.faults, parallelism);
  lake.keyOf = (uid) => {
    const r = input.records.get(uid);
    return r && keyed.has(r.stream) ? `${r.stream}:${r.key}` : undefined;
  };
  const dirs: string[] = [];
  let lastState: unknown;
  let stateLost = false;
  const runIds: string[] = [];
  try {
    for (let run = 0; run <= c.crashes.length; run += 1) {
      const tempDir = await mkdtemp(join(tmpdir(), 'target-iomete-crash-'));
      const generation = lake.generation;
      dirs.push(tempDir);
      const { config } = resolveConfig({
        host: 'lakehouse.test', lakehouse: 'lh', user: 'u', password: 'p', s3_bucket: 'bucket', default_target_schema: 'pbt', primary_key_required: false, temp_dir: tempDir, ...settingsOf(s),
      });
      const target = targetOn(lake, config, (state: unknown) =>
        lake.op(
          async () => {
            lastState = state;
            coveredAtState = coveredIn(lake, runId);
          },
          generation,
        ),
      );
      const runId = (target as unknown as { engine: { runId: string } }).engine.runId;
      runIds.push(runId);
      let coveredAtState = '';
      lake.crashAt = run < c.crashes.length ? lake.steps + c.crashes[run]! : undefined;
      const lines = run === 0 ? input.lines : replayInput(input, lastState);
      if ((await runUntilCrash(target, lines, lake)) === 'done') break;
      // The marker recorded coverage whose state line the crash lost (the window left by design).
      if (coveredIn(lake, runId) !== coveredAtState) stateLost = true;
      lake.resume();
    }
    const rows = new Map<string, number>();
    for (const table of lake.tables.keys()) for (const uid of lake.visibleRows(table)) rows.set(uid, (rows.get(uid) ?? 0) + 1);
    const lastOfKey = new Map<string, string>();
    for (const [uid, r] of input.records) lastOfKey.set(`${r.stream}:${r.key}`, uid);
    const merged = s.settings.load_method !== 'append-only';
    for (const [uid, r] of input.records) {
      const n = rows.get(uid) ?? 0;
      if (!keyed.has(r.stream) && stateLost) assert.ok(n >= 1, `X1: record ${uid} of unkeyed stream ${r.stream} (line ${r.line}) is lost`);
      else if (!keyed.has(r.stream)) assert.equal(n, 1, `X1: record ${uid} of unkeyed stream ${r.stream} (line ${r.line}) is in its table ${n} time(s)`);
      else if (merged) assert.equal(n, lastOfKey.get(`${r.stream}:${r.key}`) === uid ? 1 : 0, `X2: record ${uid} of keyed stream ${r.stream} (line ${r.line}) is in its table ${n} time(s)`);
      else {
        if (!stateLost) assert.ok(n <= 1, `X2: record ${uid} of keyed stream ${r.stream} is in its table ${n} times`);
        if (lastOfKey.get(`${r.stream}:${r.key}`) === uid) assert.ok(n >= 1, `X2: the last record ${uid} of its key is not in its table`);
      }
    }
    for (const [name, t] of lake.tables) {
      const line = new Set<number>();
      for (let id = t.current; id !== null; id = t.snapshots.get(id)?.parent ?? null) line.add(id);
      const staged = [...t.snapshots.values()].filter((x) => x.wapId !== undefined && !line.has(x.id) && runIds.slice(0, -1).some((r) => x.wapId!.startsWith(`${r}-`)));
      assert.deepEqual(staged.map((x) => x.wapId), [], `X3: staged snapshots of killed runs left in ${name}`);
    }
    assert.deepEqual([...lake.objects.keys()].filter((k) => k.startsWith('_runs/')), [], 'X3: run markers left');
  } finally {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  }
}

describe('crash and resume under generated schedules', () => {
  it(`loads every record exactly once after crashes at any step (${runs} runs)`, async () => {
    const property = async (c: CrashScenario) =>
      runCrashScenario(c).catch((e: unknown) => {
        // fast-check keeps only the counterexample; the reason is printed for the reproduction.
        if (process.env.FC_SEED) process.stderr.write(`${String((e as Error)?.stack ?? e)}\n`);
        throw e;
      });
    await fc.assert(fc.asyncProperty(crashScenario, property), {
      numRuns: runs,
      ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}),
    });
  });
});
