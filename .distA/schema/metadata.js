/**
 * Columns the target adds to describe each row's load (Stitch's `_sdc_` convention, upper case
 * like every column name). Their values come from the message, not the record, except
 * `_sdc_deleted_at`, which taps set on deleted rows.
 */
export const EXTRACTED_AT = '_SDC_EXTRACTED_AT';
export const BATCHED_AT = '_SDC_BATCHED_AT';
export const DELETED_AT = '_SDC_DELETED_AT';
export const TABLE_VERSION = '_SDC_TABLE_VERSION';
function metadataColumn(name, type) {
    const property = name.toLowerCase();
    return { property, path: [property], name, type, kind: type === 'BIGINT' ? 'integer' : 'timestamp' };
}
export const METADATA_COLUMNS = [
    metadataColumn(EXTRACTED_AT, 'TIMESTAMP'),
    metadataColumn(BATCHED_AT, 'TIMESTAMP'),
    metadataColumn(DELETED_AT, 'TIMESTAMP'),
    metadataColumn(TABLE_VERSION, 'BIGINT'),
];
//# sourceMappingURL=metadata.js.map