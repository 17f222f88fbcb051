import type { Column } from './columns.js';
/**
 * Columns the target adds to describe each row's load (Stitch's `_sdc_` convention, upper case
 * like every column name). Their values come from the message, not the record, except
 * `_sdc_deleted_at`, which taps set on deleted rows.
 */
export declare const EXTRACTED_AT = "_SDC_EXTRACTED_AT";
export declare const BATCHED_AT = "_SDC_BATCHED_AT";
export declare const DELETED_AT = "_SDC_DELETED_AT";
export declare const TABLE_VERSION = "_SDC_TABLE_VERSION";
export declare const METADATA_COLUMNS: readonly Column[];
