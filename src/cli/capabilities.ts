/**
 * The Meltano capabilities this target implements, in the Hub's spelling (its loader enum is
 * about, stream-maps, activate-version, batch, soft-delete, hard-delete, datatype-failsafe,
 * schema-flattening, target-schema, validate-records, structured-logging). Declared only when
 * implemented; `record-flattening` is the retired name of `schema-flattening` and is not in the enum.
 */
export const CAPABILITIES = [
  // --about [--format json|markdown]
  'about',
  // ACTIVATE_VERSION retires rows of older table versions (process_activate_version_messages).
  'activate-version',
  // BATCH messages: jsonl and parquet manifests from file:// and s3:// (parquet on S3 loaded directly).
  'batch',
  // Values of mixed or unknown JSON Schema types are stored as STRING instead of failing.
  'datatype-failsafe',
  // hard_delete: rows whose record carries _sdc_deleted_at, and retired versions, are deleted.
  'hard-delete',
  // data_flattening_max_level, or flattening_enabled + flattening_max_depth: nested objects become columns.
  'schema-flattening',
  // Without hard_delete, retired rows are kept and marked in _SDC_DELETED_AT.
  'soft-delete',
  // stream_maps / stream_map_config: Meltano SDK inline stream maps (src/mapping/).
  'stream-maps',
  // JSON log lines in the SDK shape when Meltano's SINGER_SDK_LOG_CONFIG asks for them.
  'structured-logging',
  // default_target_schema (and schema_mapping).
  'target-schema',
  // validate_records.
  'validate-records',
] as const;
