import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compactionWhere, partitionValue, type PartitionTouch } from '../../src/sql/compaction-filter.js';

/**
 * The `where` of a restricted compaction, exact SQL. Iceberg projects it onto each partition spec
 * inclusively, so every partition a run wrote must satisfy it: whole partitions as ranges, values
 * as lists; past the caps the predicate widens (never narrows) and says why.
 */
const micros = (iso: string) => BigInt(Date.parse(iso)) * 1000n;
const day = { kind: 'day' } as const;

function touch(column: string, type: PartitionTouch['type'], transform: PartitionTouch['transform'], sources: Array<number | bigint | string>, nulls = false): PartitionTouch {
  const sorted = [...sources].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    column,
    type,
    transform,
    nulls,
    ...(sorted.length > 0 ? { min: sorted[0]!, max: sorted.at(-1)! } : {}),
    values: [...new Set(sources.map((v) => partitionValue(transform, type, v)))],
  };
}

describe('partitionValue', () => {
  it('numbers time partitions from 1970 as Iceberg does, before 1970 too', () => {
    assert.equal(partitionValue(day, 'TIMESTAMP', micros('2024-01-01T10:00:00Z')), 19723);
    assert.equal(partitionValue(day, 'TIMESTAMP', micros('1969-12-31T23:59:59.999Z')), -1);
    assert.equal(partitionValue({ kind: 'hour' }, 'TIMESTAMP', micros('1970-01-01T02:30:00Z')), 2);
    assert.equal(partitionValue({ kind: 'month' }, 'DATE', 19783), 650); // 2024-03-01
    assert.equal(partitionValue({ kind: 'month' }, 'TIMESTAMP', micros('1969-12-15T00:00:00Z')), -1);
    assert.equal(partitionValue({ kind: 'year' }, 'DATE', -1), -1);
    assert.equal(partitionValue({ kind: 'year' }, 'DATE', 19723), 54);
    assert.equal(partitionValue({ kind: 'truncate', width: 10 }, 'BIGINT', -5), -1n);
    // Iceberg's truncate of text keeps code points: '😀' is one (two UTF-16 units).
    assert.equal(partitionValue({ kind: 'truncate', width: 3 }, 'STRING', 'abcdef'), 'abc');
    assert.equal(partitionValue({ kind: 'truncate', width: 2 }, 'STRING', '😀é😀x'), '😀é');
    assert.equal(partitionValue({ kind: 'truncate', width: 3 }, 'STRING', 'ab'), 'ab');
    assert.equal(partitionValue({ kind: 'bucket', buckets: 4 }, 'BIGINT', 7), 7);
  });
});

describe('compactionWhere', () => {
  it('day(ts): half-open ranges of whole days, adjacent days merged, NULL partitions included', () => {
    const where = compactionWhere([touch('created_at', 'TIMESTAMP', day, [micros('2024-01-01T10:00:00Z'), micros('2024-01-02T00:00:00Z'), micros('2024-01-04T23:59:59.999Z')], true)]);
    assert.deepEqual(where, {
      where:
        '((`created_at` >= TIMESTAMP_MICROS(1704067200000000) AND `created_at` < TIMESTAMP_MICROS(1704240000000000)) OR ' +
        '(`created_at` >= TIMESTAMP_MICROS(1704326400000000) AND `created_at` < TIMESTAMP_MICROS(1704412800000000)) OR `created_at` IS NULL)',
      notes: [],
    });
  });

  it('one range needs no parentheses; hour, month and year start at their boundaries', () => {
    assert.equal(compactionWhere([touch('ts', 'TIMESTAMP', { kind: 'hour' }, [micros('2024-01-01T10:15:00Z'), micros('2024-01-01T11:59:00Z')])]).where, '`ts` >= TIMESTAMP_MICROS(1704103200000000) AND `ts` < TIMESTAMP_MICROS(1704110400000000)');
    // 2024-01-20 and 2024-03-18: January and March 2024 (February, 29 days, not included).
    assert.equal(
      compactionWhere([touch('d', 'DATE', { kind: 'month' }, [19742, 19800])]).where,
      '((`d` >= DATE_FROM_UNIX_DATE(19723) AND `d` < DATE_FROM_UNIX_DATE(19754)) OR (`d` >= DATE_FROM_UNIX_DATE(19783) AND `d` < DATE_FROM_UNIX_DATE(19814)))',
    );
    assert.equal(compactionWhere([touch('d', 'DATE', { kind: 'year' }, [-1, 0])]).where, '`d` >= DATE_FROM_UNIX_DATE(-365) AND `d` < DATE_FROM_UNIX_DATE(365)');
  });

  it('identity: a value list with escaped text and quoted columns; one value as equality', () => {
    assert.equal(compactionWhere([touch("it's", 'STRING', { kind: 'identity' }, ["a'b\\c", 'é😀'])]).where, "`it's` IN ('a\\'b\\\\c', 'é😀')");
    assert.equal(compactionWhere([touch('a`b', 'BIGINT', { kind: 'identity' }, [5, 5])]).where, '`a``b` = 5');
    assert.equal(compactionWhere([touch('d', 'DATE', { kind: 'identity' }, [19723], true)]).where, '(`d` = DATE_FROM_UNIX_DATE(19723) OR `d` IS NULL)');
    assert.equal(compactionWhere([touch('m', 'DECIMAL(10,2)', { kind: 'identity' }, [-150n])]).where, "`m` = CAST('-1.50' AS DECIMAL(10,2))");
  });

  it('truncate of numbers: inclusive ranges of whole partitions, clamped to the type', () => {
    assert.equal(compactionWhere([touch('n', 'BIGINT', { kind: 'truncate', width: 10 }, [-5, 3, 31])]).where, '((`n` BETWEEN -10 AND 9) OR (`n` BETWEEN 30 AND 39))');
    assert.equal(
      compactionWhere([touch('n', 'BIGINT', { kind: 'truncate', width: 1000 }, [2n ** 63n - 1n])]).where,
      '`n` BETWEEN 9223372036854775000 AND 9223372036854775807',
    );
    assert.equal(compactionWhere([touch('m', 'DECIMAL(4,2)', { kind: 'truncate', width: 100 }, [9950n])]).where, "`m` BETWEEN CAST('99.00' AS DECIMAL(4,2)) AND CAST('99.99' AS DECIMAL(4,2))");
  });

  it('truncate of text: startswith of each whole partition, a shorter value (a partition of its own) by equality', () => {
    assert.equal(
      compactionWhere([touch('s', 'STRING', { kind: 'truncate', width: 2 }, ['abc', 'abd', "i'm", '😀😀😀', 'x', 'y'], true)]).where,
      "(`s` IN ('x', 'y') OR startswith(`s`, 'ab') OR startswith(`s`, 'i\\'') OR startswith(`s`, '😀😀') OR `s` IS NULL)",
    );
    assert.equal(compactionWhere([touch('s', 'STRING', { kind: 'truncate', width: 1 }, ['%_a'])]).where, "startswith(`s`, '%')");
  });

  it('bucket: a value list of the source column; fields combined with AND', () => {
    assert.equal(
      compactionWhere([touch('created_at', 'TIMESTAMP', day, [micros('2024-01-01T10:00:00Z')]), touch('id', 'BIGINT', { kind: 'bucket', buckets: 16 }, [3, 1])]).where,
      '`created_at` >= TIMESTAMP_MICROS(1704067200000000) AND `created_at` < TIMESTAMP_MICROS(1704153600000000) AND `id` IN (3, 1)',
    );
  });

  it('past the cap of values: a range, or no restriction for a bucket, with the reason', () => {
    const result = compactionWhere([touch('id', 'BIGINT', { kind: 'bucket', buckets: 16 }, [1, 2, 3]), touch('s', 'STRING', { kind: 'identity' }, ['a', 'c', 'b']), touch('ts', 'TIMESTAMP', day, [0, 2n * 86_400_000_000n, 4n * 86_400_000_000n])], { maxTerms: 2 });
    assert.deepEqual(result, {
      where: "`s` BETWEEN 'a' AND 'c' AND `ts` >= TIMESTAMP_MICROS(0) AND `ts` < TIMESTAMP_MICROS(432000000000)",
      notes: [
        'bucket[16](id): 3 values, past the cap of 2: no restriction by this field (a range cannot select buckets)',
        'identity(s): 3 values, past the cap of 2: one range from the smallest to the largest',
        'day(ts): 3 partition ranges, past the cap of 2: one range from the smallest to the largest',
      ],
    });
    const untracked: PartitionTouch = { column: 'id', type: 'BIGINT', transform: { kind: 'identity' }, min: 1, max: 9, nulls: false };
    assert.deepEqual(compactionWhere([untracked]), { where: '`id` BETWEEN 1 AND 9', notes: ['identity(id): more values than tracked, past the cap of 64: one range from the smallest to the largest'] });
  });

  it('past the cap of characters: one range per field, then the whole table', () => {
    const long = (c: string) => c.repeat(40);
    const values = ['a', 'b', 'c'].map(long);
    assert.deepEqual(compactionWhere([touch('s', 'STRING', { kind: 'identity' }, values)], { maxChars: 120 }), {
      where: `\`s\` BETWEEN '${long('a')}' AND '${long('c')}'`,
      notes: ['the predicate of 139 characters passed the cap of 120: one range per field', 'identity(s): 3 values, past the cap of 1: one range from the smallest to the largest'],
    });
    const whole = compactionWhere([touch('s', 'STRING', { kind: 'identity' }, values)], { maxChars: 60 });
    assert.equal(whole.where, undefined);
    assert.equal(whole.notes.at(-1), 'still 101 characters: the whole table is compacted');
  });

  it('nothing restricts: no where', () => {
    assert.deepEqual(compactionWhere([]), { notes: [] });
    assert.deepEqual(compactionWhere([{ column: 'id', type: 'BIGINT', transform: { kind: 'bucket', buckets: 2 }, nulls: false }]), {
      notes: ['bucket[2](id): more values, past the cap of 64: no restriction by this field (a range cannot select buckets)'],
    });
  });
});
