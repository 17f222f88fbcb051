import { mergeTouch } from '../engine/partition-range.js';
import type { Logger } from '../logging.js';
import { normaliseType } from '../schema/evolution.js';
import type { TableRef } from '../schema/naming.js';
import { compactionWhere, type PartitionTouch } from '../sql/compaction-filter.js';
import { tableName } from '../sql/statements.js';
import type { CompactionFilter } from './table-maintenance.js';

/**
 * The partitions each table's commits of this run wrote, accumulated over the run, and the
 * CompactionFilter maintenance asks: a `where` restricting `rewrite_data_files` to them, or none
 * (the whole table). A table is compacted whole when any of its commits wrote rows the target
 * did not see (a tap's Parquet file loaded directly, a version retirement's deletes), when it is
 * not partitioned by the settings, or when a partition column's values were not tracked.
 */
export class TouchedPartitions {
  /** Per table: the touch of each partition field, or 'whole'. */
  private readonly tables = new Map<string, PartitionTouch[] | 'whole'>();

  constructor(private readonly log: Logger) {}

  /**
   * A commit into `table` wrote rows whose partition columns `touches` describes (undefined: not
   * known). `tableTypes`: the table's type of each column, when known; a column stored in another
   * type than it was staged in (a number into a text column) may order differently, so it restricts nothing.
   */
  committed(table: TableRef, touches: readonly PartitionTouch[] | undefined, tableTypes?: ReadonlyMap<string, string>): void {
    const key = tableName(table);
    const seen = this.tables.get(key);
    if (seen === 'whole') return;
    if (touches === undefined || touches.length === 0) {
      this.tables.set(key, 'whole');
      return;
    }
    const fitting = touches.filter((t) => {
      const type = tableTypes?.get(t.column);
      return type === undefined || normaliseType(type) === normaliseType(t.type);
    });
    if (!seen) {
      this.tables.set(key, fitting);
      return;
    }
    // A field missing from either commit restricts nothing any more.
    const merged = seen.flatMap((a) => {
      const b = fitting.find((t) => t.column === a.column && t.transform.kind === a.transform.kind);
      return b ? [mergeTouch(a, b)] : [];
    });
    this.tables.set(key, merged);
  }

  /** The CompactionFilter of table-maintenance.ts (its reasons for a wider compaction go to DEBUG). */
  readonly filter: CompactionFilter = (table) => {
    const key = tableName(table);
    const touches = this.tables.get(key);
    if (touches === undefined || touches === 'whole' || touches.length === 0) {
      this.log.debug(`Compaction of ${key}: the whole table (${touches === 'whole' ? 'rows were written the target did not stage, or the table is not partitioned by the settings' : 'no partition column tracked'})`);
      return undefined;
    }
    const { where, notes } = compactionWhere(touches);
    for (const note of notes) this.log.debug(`Compaction of ${key}: ${note}`);
    if (where === undefined) this.log.debug(`Compaction of ${key}: the whole table (no partition field restricts it)`);
    return where;
  };
}
