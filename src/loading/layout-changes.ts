import { SchemaEvolutionError } from '../errors.js';
import type { Logger } from '../logging.js';
import { columnKey, type TableRef } from '../schema/naming.js';
import { transformName, type PartitionField, type StreamLayout } from '../schema/table-layout.js';
import type { SqlExecutor } from '../spark/executor.js';
import {
  DISTRIBUTION,
  addPartitionField,
  describedPartitioning,
  describedProperties,
  dropPartitionField,
  partitionExpression,
  setTableProperties,
  showTableProperties,
  sortOrderText,
  writeOrderedBy,
} from '../sql/layout.js';
import { describeTable, tableName } from '../sql/statements.js';

/** A table's layout as Spark describes it. */
export interface CurrentLayout {
  partition: PartitionField[];
  /** SHOW TBLPROPERTIES, including Iceberg's `sort-order` (absent when unsorted) and `format-version`. */
  properties: ReadonlyMap<string, string>;
}

interface LayoutChange {
  statement: string;
  /** The INFO line that reports the change once made. */
  note: string;
}

export interface LayoutPlan {
  changes: LayoutChange[];
  /** Differences the target leaves as they are, each a WARN line. */
  warnings: string[];
}

function fieldKey(f: PartitionField): string {
  return `${columnKey(f.column)} ${transformName(f.transform)}`;
}

/**
 * Pure: the statements that bring an existing table to what the settings choose (`wanted`, columns
 * named as the table names them), in order: partition fields dropped, then added (Iceberg keeps
 * old data in the old spec, so both are metadata changes), the sort order, then the properties
 * that differ. Parts no setting selects are left alone. A change Iceberg cannot make throws one
 * line naming stream, setting and table.
 */
export function planLayoutChanges(ref: TableRef, stream: string, wanted: StreamLayout, current: CurrentLayout): LayoutPlan {
  const name = tableName(ref);
  const plan: LayoutPlan = { changes: [], warnings: [] };
  if (wanted.partition) {
    const wantedKeys = new Set(wanted.partition.map(fieldKey));
    const currentKeys = new Set(current.partition.map(fieldKey));
    const drops = current.partition.filter((f) => !wantedKeys.has(fieldKey(f)));
    const adds = wanted.partition.filter((f) => !currentKeys.has(fieldKey(f)));
    for (const f of drops) plan.changes.push({ statement: dropPartitionField(ref, f), note: `Stream '${stream}': dropped partition field ${partitionExpression(f)} of ${name} (partition_by)` });
    for (const f of adds) plan.changes.push({ statement: addPartitionField(ref, f), note: `Stream '${stream}': added partition field ${partitionExpression(f)} to ${name} (partition_by)` });
    const kept = current.partition.filter((f) => wantedKeys.has(fieldKey(f))).map(fieldKey);
    const order = wanted.partition.filter((f) => currentKeys.has(fieldKey(f))).map(fieldKey);
    if (kept.join('\n') !== order.join('\n')) {
      plan.warnings.push(
        `Stream '${stream}': the partition fields of ${name} are in another order than 'partition_by' lists them; Iceberg cannot reorder partition fields in place, so their order is kept`,
      );
    }
  }
  const properties = new Map(current.properties);
  if (wanted.sort) {
    const was = current.properties.get('sort-order') ?? '';
    const text = sortOrderText(wanted.sort);
    if (was !== text) {
      plan.changes.push({
        statement: writeOrderedBy(ref, wanted.sort),
        note: `Stream '${stream}': sort order of ${name} set to ${text || 'none'} (was ${was || 'none'}) (sort_by)`,
      });
      // Iceberg sets the distribution mode with the order; a chosen one is set again below.
      properties.delete(DISTRIBUTION);
    }
  }
  const changed: Record<string, string> = {};
  const notes: string[] = [];
  for (const [key, value] of Object.entries(wanted.properties)) {
    const was = properties.get(key);
    if (was === value) continue;
    if (key === 'format-version' && was !== undefined && Number(value) < Number(was)) {
      throw new SchemaEvolutionError(
        `Stream '${stream}': 'table_properties' sets format-version ${value}, but ${name} is at format version ${was} and Iceberg cannot lower it; remove the property or set it to ${was} or higher`,
      );
    }
    changed[key] = value;
    notes.push(`${key}=${value}${was === undefined ? '' : ` (was ${was})`}`);
  }
  if (notes.length > 0) {
    plan.changes.push({ statement: setTableProperties(ref, changed), note: `Stream '${stream}': set table properties of ${name}: ${notes.join(', ')} (table_properties)` });
  }
  return plan;
}

/**
 * Reads an existing table's layout (`described`: its DESCRIBE TABLE rows, already read for its
 * columns) and makes the changes the settings ask for, one INFO line per change.
 */
export async function evolveLayout(
  sql: SqlExecutor,
  ref: TableRef,
  stream: string,
  wanted: StreamLayout,
  described: readonly Record<string, unknown>[],
  log: Logger,
): Promise<void> {
  const needsProperties = wanted.sort !== undefined || Object.keys(wanted.properties).length > 0;
  const properties = needsProperties ? describedProperties(await sql.query(showTableProperties(ref))) : new Map<string, string>();
  const plan = planLayoutChanges(ref, stream, wanted, { partition: describedPartitioning(described), properties });
  for (const warning of plan.warnings) log.warn(warning);
  for (const { statement, note } of plan.changes) {
    await sql.query(statement);
    log.info(note);
  }
}

/**
 * The partition spec a table has now (fields in spec order, dropped ones left out), whoever set
 * it: what maintenance restricted to partitions needs for tables partitioned outside the settings.
 */
export async function readPartitionSpec(sql: SqlExecutor, ref: TableRef): Promise<PartitionField[]> {
  return describedPartitioning(await sql.query(describeTable(ref)));
}
