/**
 * Every setting the target understands, in one list. The JSON Schema used for validation, the
 * `--about` output, plugin-definition.yml, the README settings table and the type of the resolved
 * config (`TargetConfig`, derived from this list's literal type) all come from it.
 *
 * Adding a setting: one entry below (in its group's block), the code that reads
 * `config.<name>`, and a test; then `npm run generate` rewrites the generated files. Its type
 * follows from the entry: `kind` (and `enum`) give the value's type, and it is optional in
 * `TargetConfig` unless it has a `default` or is `required`.
 */

export type SettingKind = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

export interface SettingSpec {
  readonly name: string;
  readonly kind: SettingKind;
  readonly title: string;
  readonly description: string;
  readonly default?: unknown;
  /** The run cannot start without it (validation says so and `--about` lists it as required). */
  readonly required?: boolean;
  /** Never logged; shown as a password field by Meltano. */
  readonly secret?: boolean;
  /** Other names accepted for the same setting (seed spellings, Meltano SDK names). */
  readonly aliases?: readonly string[];
  readonly enum?: readonly string[];
  readonly minimum?: number;
  /** Extra JSON Schema keywords for the value (e.g. the shape of an object). */
  readonly schema?: Record<string, unknown>;
  /**
   * When an optional setting must be set after all (the README's "Needed" column), e.g. "S3-compatible
   * stores other than AWS". Settings the schema requires say so by themselves.
   */
  readonly neededWhen?: string;
  readonly group: 'connection' | 's3' | 'target' | 'loading' | 'maintenance' | 'records' | 'mapping';
}

const SETTING_LIST = [
  // --- connection to the lakehouse -----------------------------------------------------------
  {
    name: 'host',
    kind: 'string',
    required: true,
    title: 'Host',
    description: 'Host name of the iomete SQL endpoint, e.g. `dev.iomete.cloud`.',
    group: 'connection',
  },
  {
    name: 'port',
    kind: 'integer',
    title: 'Port',
    description: 'Port of the SQL endpoint.',
    default: 443,
    minimum: 1,
    neededWhen: 'the endpoint listens on another port (the local lakehouse: 10001)',
    group: 'connection',
  },
  {
    name: 'scheme',
    kind: 'string',
    title: 'Scheme',
    description: 'Transport scheme: `https` (default) or `http` (local development only).',
    default: 'https',
    enum: ['https', 'http'],
    neededWhen: 'the endpoint speaks plain HTTP (local development)',
    group: 'connection',
  },
  {
    name: 'tls_verify',
    kind: 'boolean',
    title: 'Verify TLS certificate',
    description: 'Verify the server certificate over HTTPS. Turn off only for self-signed test endpoints.',
    default: true,
    group: 'connection',
  },
  {
    name: 'tls_ca_file',
    kind: 'string',
    title: 'CA bundle file',
    description: 'Path of a PEM file with the certificate authorities to trust for the SQL endpoint.',
    neededWhen: "a private certificate authority signed the endpoint's certificate",
    group: 'connection',
  },
  {
    name: 'data_plane',
    kind: 'string',
    title: 'Data plane',
    description:
      'iomete data plane (namespace) of the lakehouse. Given, the HTTP path is `/data-plane/{data_plane}/lakehouse/{lakehouse}`.',
    neededWhen: "the lakehouse runs in an iomete data plane (the console's data plane, often `default`)",
    group: 'connection',
  },
  {
    name: 'workspace_id',
    kind: 'string',
    title: 'Workspace ID',
    description:
      'Legacy iomete workspace ID. Given without `data_plane`, the HTTP path is `/lakehouse/{workspace_id}/{lakehouse}`.',
    neededWhen: 'the iomete deployment is an older one without data planes',
    group: 'connection',
  },
  {
    name: 'lakehouse',
    kind: 'string',
    required: true,
    title: 'Lakehouse',
    description: 'Name of the iomete lakehouse (compute cluster) that runs the SQL.',
    group: 'connection',
  },
  {
    name: 'http_path',
    kind: 'string',
    title: 'HTTP path',
    description: 'Explicit HTTP path of the SQL endpoint; wins over the path built from `data_plane`/`workspace_id`/`lakehouse`.',
    neededWhen: "the endpoint's path is not built from `data_plane` and `lakehouse`",
    group: 'connection',
  },
  {
    name: 'user',
    kind: 'string',
    required: true,
    title: 'User',
    description: 'iomete user ID (HTTP Basic user name).',
    group: 'connection',
  },
  {
    name: 'token',
    kind: 'string',
    required: true,
    title: 'Token',
    description: 'iomete personal access token of `user` (sent as the HTTP Basic password).',
    secret: true,
    aliases: ['password'],
    group: 'connection',
  },
  {
    name: 'database',
    kind: 'string',
    title: 'Database',
    description: 'Database made current with `USE` when a session opens. Tables are always addressed fully qualified.',
    default: 'default',
    group: 'connection',
  },
  {
    name: 'catalog',
    kind: 'string',
    title: 'Catalog',
    description: 'Iceberg catalog that holds the target schemas.',
    default: 'spark_catalog',
    group: 'connection',
  },
  // --- S3 staging ---------------------------------------------------------------------------
  {
    name: 's3_bucket',
    kind: 'string',
    required: true,
    title: 'S3 bucket',
    description: 'Bucket where batches are staged. The lakehouse must be able to read it through `s3a://`.',
    group: 's3',
  },
  {
    name: 's3_key_prefix',
    kind: 'string',
    title: 'S3 key prefix',
    description: 'Prefix put verbatim before the generated staging keys (add a trailing `/` for a folder).',
    default: '',
    group: 's3',
  },
  {
    name: 's3_endpoint_url',
    kind: 'string',
    title: 'S3 endpoint URL',
    description: 'Endpoint of an S3-compatible store (MinIO, Ceph, ...). Used for uploads only; the lakehouse reads through its own S3 settings.',
    neededWhen: 'the bucket is not on AWS S3 (MinIO, Ceph, ...)',
    group: 's3',
  },
  {
    name: 's3_region_name',
    kind: 'string',
    title: 'S3 region',
    description: 'Region of the staging bucket.',
    neededWhen: "the bucket is not in the environment's `AWS_REGION` (or `us-east-1` without it)",
    group: 's3',
  },
  {
    name: 's3_force_path_style',
    kind: 'boolean',
    title: 'S3 path-style addressing',
    description: 'Address the bucket in the URL path instead of the host name (most S3-compatible stores need this).',
    default: false,
    neededWhen: 'the S3-compatible store needs path-style URLs (MinIO does)',
    group: 's3',
  },
  {
    name: 's3_acl',
    kind: 'string',
    title: 'S3 ACL',
    description: 'Canned ACL set on uploaded staging files.',
    group: 's3',
  },
  {
    name: 'aws_access_key_id',
    kind: 'string',
    title: 'AWS access key ID',
    description: 'S3 access key. Without it the AWS default credential chain is used (env, profile, IAM role).',
    secret: true,
    neededWhen: 'the AWS default credential chain (environment, profile, IAM role) has no credentials for the bucket',
    group: 's3',
  },
  {
    name: 'aws_secret_access_key',
    kind: 'string',
    title: 'AWS secret access key',
    description: 'S3 secret key, used together with `aws_access_key_id`.',
    secret: true,
    neededWhen: '`aws_access_key_id` is set',
    group: 's3',
  },
  {
    name: 'aws_session_token',
    kind: 'string',
    title: 'AWS session token',
    description: 'Session token for temporary credentials.',
    secret: true,
    neededWhen: 'the access key is temporary (STS)',
    group: 's3',
  },
  {
    name: 'aws_profile',
    kind: 'string',
    title: 'AWS profile',
    description: 'Named AWS profile used when no access key is given.',
    group: 's3',
  },
  // --- where data lands ---------------------------------------------------------------------
  {
    name: 'default_target_schema',
    kind: 'string',
    title: 'Default target schema',
    description: 'Schema (database) that receives the tables of streams not listed in `schema_mapping`.',
    group: 'target',
  },
  {
    name: 'schema_mapping',
    kind: 'object',
    title: 'Schema mapping',
    description:
      'Per source schema target: `{"<source_schema>": {"target_schema": "<schema>"}}`; the source schema is the part of the stream name before the first `-`.',
    schema: {
      additionalProperties: {
        type: 'object',
        properties: { target_schema: { type: 'string', minLength: 1 } },
        required: ['target_schema'],
      },
    },
    group: 'target',
  },
  {
    name: 'connect_timeout_seconds',
    kind: 'number',
    title: 'Connect timeout (seconds)',
    description: 'Longest wait to open a lakehouse session or an S3 connection; an endpoint that accepts the connection and never answers fails after this.',
    default: 30,
    minimum: 1,
    group: 'connection',
  },
  {
    name: 'statement_timeout_seconds',
    kind: 'number',
    title: 'Statement timeout (seconds)',
    description: 'Longest time one SQL statement (a MERGE of a big batch, say) may run before it is cancelled and the run fails.',
    default: 10800,
    minimum: 1,
    group: 'connection',
  },
  {
    name: 'max_requests_per_second',
    kind: 'number',
    title: 'Max requests per second',
    description:
      "Paces every request to the lakehouse (all sessions of the run together) to at most this many per second. Set it at or under the access token's Max RPS so iomete's gateway never refuses a request with HTTP 429. Unset: no pacing.",
    schema: { exclusiveMinimum: 0 },
    group: 'connection',
  },
  {
    name: 'rate_limit_retry_seconds',
    kind: 'number',
    title: 'Rate limit retry budget (seconds)',
    description:
      "How long requests the lakehouse's gateway refuses with HTTP 429 (a token's rate limit) are waited out (its `Retry-After`, else a backoff) and sent again before the run fails. A 429 means the request never reached Spark, so statements are repeated too.",
    default: 300,
    minimum: 0,
    group: 'connection',
  },
  {
    name: 's3_timeout_seconds',
    kind: 'number',
    title: 'S3 request timeout (seconds)',
    description: 'Longest wait for one S3 request; failed or timed-out uploads and deletes are retried with backoff for up to `s3_retry_seconds`.',
    default: 120,
    minimum: 1,
    group: 's3',
  },
  {
    name: 's3_retry_seconds',
    kind: 'number',
    title: 'S3 retry budget (seconds)',
    description: 'How long staging uploads and deletes are retried after network errors or S3 answers 5xx before the run fails (an S3 outage shorter than this does not fail the run).',
    default: 60,
    minimum: 0,
    group: 's3',
  },
  // --- loading ---------------------------------------------------------------------------
  {
    name: 'load_method',
    kind: 'string',
    title: 'Load method',
    description:
      '`upsert` merges keyed streams on their key properties (streams without keys are appended); `append-only` always appends; `overwrite` replaces each table\'s rows with this run\'s rows.',
    default: 'upsert',
    enum: ['upsert', 'append-only', 'overwrite'],
    group: 'loading',
  },
  {
    name: 'batch_size_rows',
    kind: 'integer',
    title: 'Batch size (rows)',
    description:
      "Rows (distinct keys) per stream batch; a full batch is loaded at once (an exactly-once append stream's at the tap's next STATE, at most at twice this size).",
    default: 100000,
    minimum: 1,
    group: 'loading',
  },
  {
    name: 'batch_max_bytes',
    kind: 'integer',
    title: 'Batch size (bytes)',
    description: 'Estimated uncompressed bytes of a stream batch (text length, 8 per other value) after which it is loaded, whatever its row count.',
    default: 268435456,
    minimum: 1024,
    group: 'loading',
  },
  {
    name: 'batch_wait_limit_seconds',
    kind: 'number',
    title: 'Batch wait limit (seconds)',
    description: 'Longest time rows wait before they are loaded, checked on a timer so a quiet tap still flushes.',
    minimum: 0,
    group: 'loading',
  },
  {
    name: 'flush_all_streams',
    kind: 'boolean',
    title: 'Flush all streams',
    description: 'When one stream\'s batch is full, load every stream\'s pending rows.',
    default: false,
    group: 'loading',
  },
  {
    name: 'parallelism',
    kind: 'integer',
    title: 'Parallelism',
    description: 'Streams loaded at the same time: 0 = one per stream with pending rows, -1 = one per CPU core, N = N; never more than `parallelism_max`.',
    default: 0,
    minimum: -1,
    group: 'loading',
  },
  {
    name: 'parallelism_max',
    kind: 'integer',
    title: 'Maximum parallelism',
    description: 'Upper bound of statements run on the lakehouse at once (batch loads and table set-up). Each running MERGE holds memory on the Spark driver: raise it only for a lakehouse sized for more.',
    default: 4,
    minimum: 1,
    aliases: ['max_parallelism'],
    group: 'loading',
  },
  {
    name: 'progress_interval_seconds',
    kind: 'number',
    title: 'Progress interval (seconds)',
    description: 'How often an INFO line reports records read, rows per second, batches closed / uploading / loading / committed and the oldest running load; 0 turns it off.',
    default: 30,
    minimum: 0,
    group: 'loading',
  },
  {
    name: 'summary_file_counts',
    kind: 'boolean',
    title: 'File counts in the summary',
    description:
      "After a successful run, read from each loaded table's snapshot log the data and delete files the run added, for the closing summary: one statement per 50 tables, which costs the lakehouse about what a small load does per table. Turn off to save that time on runs over hundreds of tables.",
    default: true,
    group: 'loading',
  },
  {
    name: 'temp_dir',
    kind: 'string',
    title: 'Temporary directory',
    description: 'Directory for batch files while they are written (default: the OS temp directory; `~` is expanded).',
    group: 'loading',
  },
  {
    name: 'no_compression',
    kind: 'boolean',
    title: 'No compression',
    description: 'Stage uncompressed files instead of gzip.',
    default: false,
    group: 'loading',
  },
  {
    name: 'process_activate_version_messages',
    kind: 'boolean',
    title: 'Process ACTIVATE_VERSION messages',
    description: 'On ACTIVATE_VERSION, remove rows of older table versions (deleted with `hard_delete`, else marked in `_SDC_DELETED_AT`).',
    default: true,
    group: 'loading',
  },
  {
    name: 'type_change_policy',
    kind: 'string',
    title: 'Type change policy',
    description:
      'What to do when a column\'s type changes in a way Iceberg cannot widen: `fail` (stop, naming stream, column and types), `rename` (keep the old column as `<name>__<type>` and add the column anew). Key columns are never renamed.',
    default: 'fail',
    enum: ['fail', 'rename'],
    group: 'loading',
  },
  // --- table maintenance ----------------------------------------------------------------------
  {
    name: 'maintenance',
    kind: 'boolean',
    title: 'Table maintenance',
    description:
      'After the run, maintain the tables it loaded: compact small data files, expire old snapshots, rewrite manifests when many (the `maintenance_*` settings say what and how). A failing step is a warning, never a failed run. See the README section "Table maintenance".',
    default: false,
    group: 'maintenance',
  },
  {
    name: 'maintenance_every_commits',
    kind: 'integer',
    title: 'Maintenance every N commits',
    description:
      'With `maintenance`, also compact a table (and rewrite its manifests when many) during the run after every N commits of it, in its own turn, never during its loads; snapshots are expired only after the run. 0 = only after the run.',
    default: 0,
    minimum: 0,
    group: 'maintenance',
  },
  {
    name: 'maintenance_time_budget_seconds',
    kind: 'number',
    title: 'Maintenance time budget (seconds)',
    description: 'Time a run may spend maintaining tables (counted while any maintenance runs); once spent, the remaining tables are skipped with one INFO line. A table whose maintenance has started finishes it.',
    default: 600,
    minimum: 0,
    group: 'maintenance',
  },
  {
    name: 'maintenance_compact',
    kind: 'boolean',
    title: 'Compact data files',
    description: 'Rewrite small data files into larger ones with `rewrite_data_files` (the delete files of the rows rewritten are applied).',
    default: true,
    group: 'maintenance',
  },
  {
    name: 'maintenance_compact_min_input_files',
    kind: 'integer',
    title: 'Files to compact at least',
    description: 'Compact a file group only when it holds at least this many files (Iceberg\'s `min-input-files`).',
    default: 5,
    minimum: 2,
    group: 'maintenance',
  },
  {
    name: 'maintenance_expire_snapshots',
    kind: 'boolean',
    title: 'Expire snapshots',
    description: 'Expire snapshots older than `maintenance_snapshot_retention_hours`, keeping the last `maintenance_retain_last_snapshots` whatever their age; the current snapshot is never expired.',
    default: true,
    group: 'maintenance',
  },
  {
    name: 'maintenance_snapshot_retention_hours',
    kind: 'number',
    title: 'Snapshot retention (hours)',
    description: 'Snapshots younger than this are kept (time travel, and the snapshots a resumed run may roll back to). At least 1.',
    default: 168,
    minimum: 1,
    group: 'maintenance',
  },
  {
    name: 'maintenance_retain_last_snapshots',
    kind: 'integer',
    title: 'Snapshots always kept',
    description: 'The newest snapshots kept whatever their age.',
    default: 5,
    minimum: 1,
    group: 'maintenance',
  },
  {
    name: 'maintenance_rewrite_manifests_min',
    kind: 'integer',
    title: 'Manifests before a rewrite',
    description: 'Rewrite a table\'s manifests (`rewrite_manifests`) when its current snapshot has at least this many; 0 = never.',
    default: 20,
    minimum: 0,
    group: 'maintenance',
  },
  {
    name: 'maintenance_remove_orphan_files',
    kind: 'boolean',
    title: 'Remove orphan files',
    description:
      'Delete files in the table\'s location that no snapshot references and that are older than `maintenance_orphan_file_age_hours` (`remove_orphan_files`). Off by default: a file another writer is committing looks orphaned until it commits.',
    default: false,
    group: 'maintenance',
  },
  {
    name: 'maintenance_orphan_file_age_hours',
    kind: 'number',
    title: 'Orphan file age (hours)',
    description: 'Only files older than this are removed as orphans. At least 24.',
    default: 72,
    minimum: 24,
    group: 'maintenance',
  },
  // --- records ------------------------------------------------------------------------------
  {
    name: 'primary_key_required',
    kind: 'boolean',
    title: 'Primary key required',
    description: 'Fail on streams without `key_properties` and on records whose key values are null.',
    default: true,
    group: 'records',
  },
  {
    name: 'validate_records',
    kind: 'boolean',
    title: 'Validate records',
    description: 'Validate every record against its stream\'s JSON schema; a failure stops the run naming line, stream and field.',
    default: false,
    group: 'records',
  },
  {
    name: 'add_metadata_columns',
    kind: 'boolean',
    title: 'Add metadata columns',
    description: 'Add `_SDC_EXTRACTED_AT`, `_SDC_BATCHED_AT`, `_SDC_DELETED_AT` and `_SDC_TABLE_VERSION` columns.',
    default: false,
    aliases: ['add_record_metadata'],
    group: 'records',
  },
  {
    name: 'hard_delete',
    kind: 'boolean',
    title: 'Hard delete',
    description: 'Delete rows whose record carries `_sdc_deleted_at` instead of keeping them marked; turns on the metadata columns.',
    default: false,
    group: 'records',
  },
  {
    name: 'data_flattening_max_level',
    kind: 'integer',
    title: 'Flattening depth',
    description:
      'Depth to which nested objects become columns of their own (`parent__child`); 0 keeps objects whole as JSON text. The Meltano SDK spelling is `flattening_enabled` with `flattening_max_depth`.',
    default: 0,
    minimum: 0,
    group: 'records',
  },
  {
    name: 'on_invalid_datetime',
    kind: 'string',
    title: 'Invalid dates and date-times',
    description:
      'What to do with a `date-time` or `date` value that is not a valid RFC 3339 / ISO 8601 date: `fail` (stop, naming line, stream, column and value) or `null` (store NULL and log a warning). `_sdc_deleted_at` always fails.',
    default: 'fail',
    enum: ['fail', 'null'],
    group: 'records',
  },
  {
    name: 'on_inexact_number',
    kind: 'string',
    title: 'Numbers a DOUBLE cannot hold',
    description:
      'What to do with a number for a DOUBLE column whose digits a double cannot keep (e.g. `99999999999999.9999`, an integer beyond 2^53): `fail` (stop at the first, naming line, stream, column and value) or `round` (store the nearest double; one warning per column at the end of the run with the count and the first value). Numbers of at most 15 significant digits always fit.',
    default: 'fail',
    enum: ['fail', 'round'],
    group: 'records',
  },
  {
    name: 'column_types',
    kind: 'object',
    title: 'Column types',
    description:
      'Column types chosen per stream and property, overriding what the schema gives: `{"<stream or pattern>": {"<property>": "<type>"}}` with types `DECIMAL(p,s)` (p <= 38), `DOUBLE`, `BIGINT`, `STRING`, `TIMESTAMP`, `DATE`, `BOOLEAN`. Streams are selected as in `stream_maps` (name after stream maps, or a `*`/`?`/`[...]` pattern); an entry naming the stream exactly wins over patterns, later patterns over earlier ones. Applied when a table or column is created. See the README section "Column types".',
    group: 'records',
  },
  {
    name: 'default_number_type',
    kind: 'string',
    title: 'Type of a plain number',
    description:
      'Column type of a `number` property without `multipleOf` (most SQL taps declare decimals so): `DOUBLE` (values it cannot hold exactly follow `on_inexact_number`), `DECIMAL(p,s)` (exact; a value that does not fit stops the run) or `STRING` (the number\'s text).',
    default: 'DOUBLE',
    group: 'records',
  },
  {
    name: 'on_invalid_utf8',
    kind: 'string',
    title: 'Invalid UTF-8 input',
    description: 'What to do with an input line that is not valid UTF-8: `fail` (stop, naming the line) or `replace` (replace the bad bytes by U+FFFD and log a warning).',
    default: 'fail',
    enum: ['fail', 'replace'],
    group: 'records',
  },
  {
    name: 'flattening_enabled',
    kind: 'boolean',
    title: 'Enable schema flattening',
    description:
      'Meltano SDK setting: `true` opens nested objects into columns down to `flattening_max_depth` levels; `false` keeps objects whole. Must agree with `data_flattening_max_level` if both are set.',
    group: 'records',
  },
  {
    name: 'flattening_max_depth',
    kind: 'integer',
    title: 'Max flattening depth',
    description: 'Meltano SDK setting: depth of flattening when `flattening_enabled` is true (required then); without `flattening_enabled` it has no effect.',
    minimum: 0,
    neededWhen: '`flattening_enabled` is `true`',
    group: 'records',
  },
  {
    name: 'flattening_max_key_length',
    kind: 'integer',
    title: 'Max flattened key length',
    description:
      'Meltano SDK setting: a flattened name (`parent__child`) of this length or longer is shortened as the SDK does, abbreviating parent names from the outside in (`customer_address__zip` -> `ca__zip`).',
    minimum: 1,
    group: 'records',
  },
  // --- table layout per stream ---------------------------------------------------------------
  {
    name: 'partition_by',
    kind: 'object',
    title: 'Partition spec per stream',
    description:
      'Iceberg partition spec of each stream\'s table: `{"<stream or pattern>": [<field>, ...]}`, a field being a column name (partitioned by its value) or `{"column": "<column>", "transform": "<transform>"}` with transforms `identity`, `year`, `month`, `day`, `hour`, `bucket[N]`, `truncate[W]`; any column, `_sdc_*` ones included, e.g. `{"public-orders": [{"column": "_sdc_extracted_at", "transform": "day"}, {"column": "id", "transform": "bucket[16]"}]}`. `[]` means unpartitioned. Streams are selected as in `column_types`. Applied when the table is created; a changed spec evolves an existing table (ADD/DROP PARTITION FIELD). See the README section "Table layout".',
    group: 'target',
  },
  {
    name: 'sort_by',
    kind: 'object',
    title: 'Sort order per stream',
    description:
      'Iceberg sort order of each stream\'s table (the order rows are written in): `{"<stream or pattern>": [<field>, ...]}`, a field being a column name (ascending) or `{"column": "<column>", "direction": "asc" or "desc", "nulls": "first" or "last"}`. `[]` means unsorted. Set with `ALTER TABLE ... WRITE ORDERED BY` right after the table is created, or on an existing table whose order differs.',
    group: 'target',
  },
  {
    name: 'table_properties',
    kind: 'object',
    title: 'Table properties per stream',
    description:
      'Iceberg table properties of each stream\'s table: `{"<stream or pattern>": {"<property>": "<value>"}}`, e.g. `{"*": {"write.target-file-size-bytes": "134217728"}}`. Keyed tables are created with `format-version` 2 and `write.merge.mode` merge-on-read unless set here. Entries selecting a stream merge, the one naming it exactly last. Set at creation, and on an existing table where they differ (properties no longer listed are left as they are).',
    group: 'target',
  },
  // --- stream maps ----------------------------------------------------------------------------
  {
    name: 'stream_maps',
    kind: 'object',
    title: 'Stream maps',
    description:
      'Meltano SDK stream maps: per stream (name or `*` wildcard) drop (`null`), add or replace properties with expressions, `__alias__`, `__filter__`, `__source__`, `__key_properties__`, `__else__`. See the README section "Stream maps".',
    schema: { additionalProperties: { type: ['object', 'string', 'null'] } },
    group: 'mapping',
  },
  {
    name: 'stream_map_config',
    kind: 'object',
    title: 'Stream map config',
    description: 'Values stream map expressions read as `config[...]`, e.g. a hash seed. Never logged.',
    group: 'mapping',
  },
] as const satisfies readonly SettingSpec[];

/** The list for code that reads it at run time (validation, generators): one type for every entry. */
export const SETTINGS: readonly SettingSpec[] = SETTING_LIST;

/** The TypeScript type of a setting's value: its `enum` as a union, else its JSON kind. */
type ValueOf<S extends SettingSpec> = S extends { readonly enum: readonly (infer E)[] }
  ? E
  : {
      string: string;
      integer: number;
      number: number;
      boolean: boolean;
      object: Record<string, unknown>;
      array: unknown[];
    }[S['kind']];

/** A setting always has a value once resolved when it has a default or the run requires it. */
type AlwaysSet<S extends SettingSpec> = S extends { readonly default: unknown } ? true : S extends { readonly required: true } ? true : false;

type Setting = (typeof SETTING_LIST)[number];

/**
 * The resolved settings (canonical names, defaults filled) as the list declares them. A new entry
 * appears here with no further edit; `TargetConfig` (config.ts) adds only what resolution computes.
 */
export type SettingValues = { -readonly [S in Setting as AlwaysSet<S> extends true ? S['name'] : never]: ValueOf<S> } & {
  -readonly [S in Setting as AlwaysSet<S> extends true ? never : S['name']]?: ValueOf<S>;
};

/** The settings the run cannot start without. */
export const REQUIRED_SETTINGS: readonly string[] = SETTINGS.filter((spec) => spec.required === true).map((spec) => spec.name);

/** All names a setting may be given under, canonical first. */
export function namesOf(spec: SettingSpec): string[] {
  return [spec.name, ...(spec.aliases ?? [])];
}
