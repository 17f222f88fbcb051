import type { Column } from './columns.js';
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
export declare function normaliseType(describedType: string): string;
export declare function typeFit(tableType: string, column: Pick<Column, 'type'>): TypeFit;
/** Name for a column moved aside by the `rename` policy, e.g. `PRICE__BIGINT`. */
export declare function retiredColumnName(name: string, tableType: string): string;
