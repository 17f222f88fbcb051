export interface SchemaMappingEntry {
    target_schema: string;
}
/** The resolved, validated configuration the engine runs with (canonical names, defaults filled). */
export interface TargetConfig {
    host: string;
    port: number;
    scheme: 'https' | 'http';
    tls_verify: boolean;
    tls_ca_file?: string;
    data_plane?: string;
    workspace_id?: string;
    lakehouse: string;
    http_path?: string;
    user: string;
    password: string;
    connect_timeout_seconds: number;
    statement_timeout_seconds: number;
    s3_timeout_seconds: number;
    s3_retry_seconds: number;
    progress_interval_seconds: number;
    database: string;
    catalog: string;
    s3_bucket: string;
    s3_key_prefix: string;
    s3_endpoint_url?: string;
    s3_region_name?: string;
    s3_force_path_style: boolean;
    s3_acl?: string;
    aws_access_key_id?: string;
    aws_secret_access_key?: string;
    aws_session_token?: string;
    aws_profile?: string;
    default_target_schema?: string;
    schema_mapping?: Record<string, SchemaMappingEntry>;
    load_method: 'upsert' | 'append-only' | 'overwrite';
    batch_size_rows: number;
    batch_max_bytes: number;
    batch_wait_limit_seconds?: number;
    flush_all_streams: boolean;
    parallelism: number;
    parallelism_max: number;
    temp_dir?: string;
    no_compression: boolean;
    process_activate_version_messages: boolean;
    type_change_policy: 'fail' | 'rename';
    primary_key_required: boolean;
    validate_records: boolean;
    add_metadata_columns: boolean;
    hard_delete: boolean;
    /** Effective depth, from `data_flattening_max_level` or `flattening_enabled` + `flattening_max_depth`. */
    data_flattening_max_level: number;
    on_invalid_datetime: 'fail' | 'null';
    on_invalid_utf8: 'fail' | 'replace';
    flattening_enabled?: boolean;
    flattening_max_depth?: number;
    flattening_max_key_length?: number;
    stream_maps?: Record<string, unknown>;
    stream_map_config?: Record<string, unknown>;
}
export interface ResolvedConfig {
    config: TargetConfig;
    /** Keys no setting knows; reported, not fatal, so configs for newer versions still run. */
    unknownKeys: string[];
    /** Settings that are valid but will not do what they may seem to; logged as warnings. */
    warnings: string[];
}
/**
 * Folds aliases into canonical names, fills defaults and validates. Every problem is reported at
 * once in one ConfigError, so a user fixes the config in one round.
 */
export declare function resolveConfig(raw: Record<string, unknown>): ResolvedConfig;
