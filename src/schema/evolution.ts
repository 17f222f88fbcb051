import { decimalOf, type Column } from './columns.js';

/**
 * Pure: how a table column of one type takes values of a (new) stream column type.
 *
 * - `same`: nothing to do.
 * - `widen`: Iceberg can widen the column in place (int to bigint, float to double).
 * - `cast`: the table type holds every value of the new type, so values are cast on load (text
 *   columns take anything, a double column takes integers, a timestamp column takes dates). This is
 *   also what keeps tables of the original target loading: its metadata and object columns are text.
 * - `conflict`: neither; the type change policy decides.
 */
export type TypeFit = 'same' | 'widen' | 'cast' | 'conflict';

const WIDENINGS: Record<string, string> = { INT: 'BIGINT', INTEGER: 'BIGINT', FLOAT: 'DOUBLE', REAL: 'DOUBLE' };

export function normaliseType(describedType: string): string {
  const upper = describedType.replace(/\s+/g, '').toUpperCase();
  if (upper === 'LONG') return 'BIGINT';
  if (upper === 'INTEGER') return 'INT';
  return upper;
}

export function typeFit(tableType: string, column: Pick<Column, 'type'>): TypeFit {
  const current = normaliseType(tableType);
  const wanted = column.type;
  if (current === wanted) return 'same';
  if (WIDENINGS[current] === wanted) return 'widen';
  const from = decimalOf(current);
  const to = decimalOf(wanted);
  // Iceberg raises a decimal's precision in place; its scale never changes. A table decimal with
  // at least the digits on both sides of the point holds every value of the new type.
  if (from && to) {
    if (from.scale === to.scale && from.precision < to.precision) return 'widen';
    return from.scale >= to.scale && from.precision - from.scale >= to.precision - to.scale ? 'cast' : 'conflict';
  }
  // Tables created before decimals were derived hold them as DOUBLE and keep doing so; a DECIMAL
  // column takes doubles through a cast that fails the load rather than round a value.
  if ((current === 'DOUBLE' && to) || (from && wanted === 'DOUBLE')) return 'cast';
  if (current === 'STRING') return 'cast';
  if (current === 'DOUBLE' && wanted === 'BIGINT') return 'cast';
  if (current === 'TIMESTAMP' && wanted === 'DATE') return 'cast';
  if (current.startsWith('DECIMAL') && wanted === 'BIGINT') return 'cast';
  return 'conflict';
}

/** Name for a column moved aside by the `rename` policy, e.g. `PRICE__BIGINT`. */
export function retiredColumnName(name: string, tableType: string): string {
  return `${name}__${normaliseType(tableType).replace(/[^A-Z0-9]+/g, '_').replace(/_+$/, '')}`;
}
