import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { formatBareMerge, formatBareMergeSizes, type BareMergeRun } from '../../bench/bare-report.js';
import { jsonLinesMerge, matchFields, parquetMerge } from '../../bench/bare-statements.js';
import { addLogLine, emptyLogStats, parseSummary } from '../../bench/log-stats.js';
import { formatFlush, formatLoadTimes, formatPhases, formatStatementTimes, statementTimesByKind } from '../../bench/report.js';
import { formatOfBytes } from '../../bench/staged-format.js';
import { formatStageOnly, sideSummary, type StageOnlySummary } from '../../bench/stage-report.js';
import type { ChildResult } from '../../bench/stage-child.js';
import { median } from '../../bench/stats.js';

describe('bench log lines', () => {
  it("reads the phases of the target's closing summary", () => {
    const line =
      '2025-01-01T00:00:00.000Z INFO Run finished in 41.2 s: 300303 line(s) read (3 SCHEMA, 300000 RECORD, 300 STATE); ' +
      '3 batch(es) loaded, rows committed: `spark_catalog`.`b`.`STREAM_0` 100000; time: reading input 0.4 s, staging 30.1 s, ' +
      'waiting for table set-up 0.800 s, waiting for loads 2.00 s; upload 0.3 s, load 21.9 s (summed over 3 parallel loads)';
    assert.deepEqual(parseSummary(line), { wall: 41.2, read: 0.4, stage: 30.1, upload: 0.3, load: 21.9 });
    assert.equal(parseSummary("INFO Loaded 10 row(s) of stream 's' into t (merge, 12 ms)"), undefined);
  });

  it('counts load lines, with or without detail after the milliseconds', () => {
    const stats = emptyLogStats();
    addLogLine(stats, "INFO Loaded 10 row(s) of stream 's' into `c`.`s`.`T` (merge, 12 ms)");
    addLogLine(stats, "INFO Loaded 5 row(s) of stream 's' into `c`.`s`.`T` (insert, 30 ms: upload 10 ms, statement 20 ms)");
    addLogLine(stats, "INFO Loaded s3a://b/k.parquet of stream 's' into t directly (merge, 9 ms)");
    assert.deepEqual([stats.loads, stats.rowsLoaded, stats.loadMs, stats.statementMs], [2, 15, [12, 30], [20]]);
  });

  it('formats phases, load times and flush costs', () => {
    assert.equal(formatPhases({ wall: 10, read: 1, stage: 2, upload: 0.5, load: 7 }), 'seconds: read 1.0, stage 2.0, upload 0.5, load 7.0 (summed over parallel loads; wall 10.0)');
    assert.equal(formatPhases(undefined), 'seconds by phase: not logged');
    assert.equal(formatLoadTimes([100, 300]), 'per batch: mean 200 ms, max 300 ms over 2 load(s)');
    assert.match(formatFlush(undefined, true), /none/);
    assert.match(formatFlush(undefined, false), /not counted/);
    assert.equal(
      formatFlush({ flushes: 4, statements: 3, calls: 12, callsPerStatement: 4, shape: 'A + B' }, true),
      'steady-state flush (median of 4): 3 statement(s), 12 thrift HTTP request(s), 4.0 request(s) per statement [A + B]',
    );
  });
});

describe('statement times by kind', () => {
  it('groups the statements the proxy saw closed by kind and lists the kinds by time spent', () => {
    const byKind = statementTimesByKind([
      { kind: 'SET', ms: 10 },
      { kind: 'CREATE TABLE', ms: 1200 },
      { kind: 'CREATE TABLE', ms: 800 },
      { kind: 'CREATE TABLE', ms: 1000 },
      { kind: 'SHOW TABLES' },
    ]);
    assert.deepEqual([...byKind.entries()], [
      ['SET', [10]],
      ['CREATE TABLE', [1200, 800, 1000]],
    ]);
    assert.equal(
      formatStatementTimes(byKind, [300, 100, 200]),
      'statement time by kind: CREATE TABLE 3 x median 1000 ms (sum 3.0 s), SET 1 x median 10 ms (sum 0.0 s); 3 session(s) opened, median 200 ms',
    );
  });
});

describe('bench medians and formats', () => {
  it('takes medians', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  it('tells staged formats by their first bytes', () => {
    assert.equal(formatOfBytes(Buffer.from('PAR1')), 'parquet');
    assert.equal(formatOfBytes(Buffer.from([0x1f, 0x8b, 8, 0])), 'json-gzip');
    assert.equal(formatOfBytes(Buffer.from('{"c0"')), 'json');
    assert.equal(formatOfBytes(Buffer.alloc(0)), 'unknown');
  });
});

describe('stage-only report', () => {
  const run = (side: 'bare' | 'target', consumeMs: number, cpuMs: number): ChildResult => ({ side, consumeMs, totalMs: consumeMs + 10, cpuMs, peakRssBytes: 100 * 1024 * 1024, count: 1 });
  const summary = (bareMs: number, targetMs: number, targetCpu: number): StageOnlySummary => ({
    records: 300_000,
    streams: 3,
    mode: 'keyed',
    schemaWidth: 8,
    inputBytes: 80 * 1024 * 1024,
    runs: 3,
    bare: sideSummary([run('bare', bareMs, 1000)]),
    target: { ...sideSummary([run('target', targetMs, targetCpu)]), batches: 3, statements: 12 },
    staged: { dir: '/tmp/x/store', files: 3, format: 'Parquet' },
    problems: [],
  });

  it('prints both sides, the ratios against the goals and where the staged files are', () => {
    const text = formatStageOnly(summary(1000, 4000, 5000));
    assert.match(text, /^stage-only: 300,000 records over 3 stream\(s\), keyed, schema width 8; input 80\.0 MiB; medians of 3 run/);
    assert.match(text, /\nbare +1\.00 +1\.01 +300,000 +1\.00 +100 +- +-\n/);
    assert.match(text, /\ntarget +4\.00 +4\.01 +75,000 +5\.00 +100 +3 +1337\n/);
    assert.match(text, /time bare\/target 0\.25 \(goal >= 0\.5\) NOT met; CPU target\/bare 5\.00x \(goal <= 3x\) NOT met/);
    assert.match(text, /staged: 3 file\(s\), Parquet, kept in \/tmp\/x\/store/);
    assert.match(formatStageOnly(summary(1000, 1500, 2500)), /0\.67 \(goal >= 0\.5\) met; CPU target\/bare 2\.50x \(goal <= 3x\) met/);
  });
});

describe('bare-merge', () => {
  const columns = [
    { name: 'ID', type: 'bigint' },
    { name: 'AMOUNT', type: 'double' },
    { name: 'AT', type: 'timestamp' },
  ];
  const input = { table: '`c`.`s`.`BARE`', columns, key: 'ID', location: 's3a://staging/k/1.jsonl.gz' };

  it('merges JSON lines through a typed view, casting to the table types', () => {
    const [view, merge, drop] = jsonLinesMerge(input);
    assert.equal(view?.sql, "CREATE OR REPLACE TEMPORARY VIEW `bare_stage` (`c0` STRING, `c1` DOUBLE, `c2` STRING, `seq` BIGINT) USING json OPTIONS (path 's3a://staging/k/1.jsonl.gz', mode 'FAILFAST')");
    assert.equal(
      merge?.sql,
      'MERGE INTO `c`.`s`.`BARE` t USING (SELECT CAST(`c0` AS bigint) AS `ID`, `c1` AS `AMOUNT`, CAST(`c2` AS timestamp) AS `AT` FROM ' +
        '(SELECT *, ROW_NUMBER() OVER (PARTITION BY `c0` ORDER BY `seq` DESC) AS __rank FROM `bare_stage`) WHERE __rank = 1) s ' +
        'ON t.`ID` = s.`ID` WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *',
    );
    assert.equal(merge?.isMerge, true);
    assert.equal(drop?.sql, 'DROP VIEW IF EXISTS `bare_stage`');
  });

  it('merges Parquet by path in one statement, fields by name or position', () => {
    const [merge, ...rest] = parquetMerge({ ...input, location: 's3a://staging/k/1.parquet' }, [
      { name: 'id', type: 'bigint' },
      { name: 'c1', type: 'float' },
    ]);
    assert.equal(rest.length, 0);
    assert.equal(
      merge?.sql,
      'MERGE INTO `c`.`s`.`BARE` t USING (SELECT `id` AS `ID`, CAST(`c1` AS double) AS `AMOUNT`, CAST(NULL AS timestamp) AS `AT` FROM ' +
        '(SELECT *, ROW_NUMBER() OVER (PARTITION BY `id` ORDER BY _metadata.row_index DESC) AS __rank FROM parquet.`s3a://staging/k/1.parquet`) WHERE __rank = 1) s ' +
        'ON t.`ID` = s.`ID` WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *',
    );
    assert.throws(() => matchFields(columns, [{ name: 'c1', type: 'double' }], 'ID'), /no field for the key column ID/);
  });

  it('reports medians, the ratio against the goal and row-count problems', () => {
    const run = (flushMs: number, bareMs: number, rows = 27_000): BareMergeRun => ({ flushMs, bareMs, mergeMs: bareMs - 100, bareStatements: 3, targetStatements: 8, targetLoadStatements: 1, targetCalls: 40, targetRows: rows, bareRows: rows });
    const summary = { records: 10_000, initialRows: 20_000, schemaWidth: 8, format: 'json-gzip' as const, uploadMs: 40, expectedRows: 27_000, file: '/tmp/f.jsonl.gz' };
    const good = formatBareMerge({ ...summary, runs: [run(3000, 2000), run(2600, 2400), run(2500, 2200)] });
    assert.equal(good.ok, true);
    assert.match(good.text, /\nmedian +2600 +2200 +2100 +1\.18/);
    assert.match(good.text, /ratio flush\/bare 1\.18 \(goal <= 1\.2\) met/);
    assert.doesNotMatch(good.text, /target statement/);
    const split = formatBareMerge({ ...summary, runs: [{ ...run(3000, 2000), targetStatementMs: 2500 }, { ...run(2600, 2400), targetStatementMs: 2300 }] });
    assert.match(split.text, /\ntarget statement 2500, 2300 ms \(median 2400\) \/ bare MERGE median 2100 ms: 1\.14; around its statement the flush spent 400 ms \(median: finishing the file, upload, a session\)\n/);
    const bad = formatBareMerge({ ...summary, runs: [run(3000, 2000, 26_999)] });
    assert.equal(bad.ok, false);
    assert.match(bad.text, /PROBLEMS: run 1: rows target 26999, bare 26999, expected 27000/);
  });

  it('compares the flush at the largest table size with the smallest one, against the goal of the key distribution', () => {
    const run = (flushMs: number, bareMs: number): BareMergeRun => ({ flushMs, bareMs, mergeMs: bareMs, bareStatements: 1, targetStatements: 6, targetLoadStatements: 1, targetCalls: 20, targetRows: 9, bareRows: 9 });
    const size = (initialRows: number, runs: BareMergeRun[]) => ({ records: 10, initialRows, schemaWidth: 8, format: 'parquet' as const, uploadMs: 5, expectedRows: 9, file: '/tmp/f', runs });
    const sizes = [size(100_000, [run(1000, 900), run(1200, 1000)]), size(3_000_000, [run(1400, 1300), run(1600, 1300)])];
    const recent = formatBareMergeSizes('recent', sizes);
    assert.equal(recent.ok, true);
    assert.match(recent.text, /\nsizes \(updates of recent keys\): 100,000 rows: flush 1100 ms, bare 950 ms, flush\/bare 1\.16; 3,000,000 rows: flush 1500 ms, bare 1300 ms, flush\/bare 1\.15\n/);
    assert.match(recent.text, /\nflush at 3,000,000 \/ at 100,000 rows: 1\.36 \(goal <= 1\.5\) met; bare 1\.37$/);
    assert.match(formatBareMergeSizes('random', [sizes[0]!, size(3_000_000, [run(3500, 3000)])]).text, /rows: 3\.18 \(goal <= 3\) NOT met; bare 3\.16$/);
    assert.match(formatBareMergeSizes('oldest', sizes).text, /rows: 1\.36; bare 1\.37$/);
    assert.doesNotMatch(formatBareMergeSizes('recent', [sizes[0]!]).text, /flush at/);
  });
});
