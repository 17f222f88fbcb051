import AjvModule from 'ajv';
import { ConfigError } from '../errors.js';
import { HIVE_NAME } from '../schema/naming.js';
import { streamMapProblems } from '../mapping/stream-mapper.js';
import { columnTypeProblems } from '../schema/column-types.js';
import { resolveFlattening } from './flattening.js';
import { configSchema } from './schema.js';
import { SETTINGS, namesOf } from './settings.js';

// ajv is published as CommonJS with a default export; under NodeNext the class sits on .default.
const Ajv = AjvModule.default;

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
  max_requests_per_second?: number;
  rate_limit_retry_seconds: number;
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
  on_inexact_number: 'fail' | 'round';
  /** Stream selector -> property -> Spark type text (validated by columnTypeProblems). */
  column_types?: Record<string, Record<string, string>>;
  default_number_type: string;
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
export function resolveConfig(raw: Record<string, unknown>): ResolvedConfig {
  const problems: string[] = [];
  const canonical: Record<string, unknown> = {};
  const known = new Set<string>();

  for (const spec of SETTINGS) {
    const given = namesOf(spec).filter((n) => raw[n] !== undefined && raw[n] !== null);
    given.forEach((n) => known.add(n));
    if (given.length > 1) {
      const values = new Set(given.map((n) => JSON.stringify(raw[n])));
      if (values.size > 1) problems.push(`'${given.join("' and '")}' name the same setting with different values; keep one`);
    }
    const first = given[0];
    if (first !== undefined) canonical[spec.name] = raw[first];
    else if (spec.default !== undefined) canonical[spec.name] = structuredClone(spec.default);
  }
  const unknownKeys = Object.keys(raw).filter((k) => !known.has(k) && !SETTINGS.some((s) => namesOf(s).includes(k)));

  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(configSchema());
  if (!validate(canonical)) {
    // The branches of "default_target_schema or schema_mapping" fail with it; their own
    // `required` errors would repeat the one problem three times.
    for (const e of validate.errors ?? []) if (!e.schemaPath.startsWith('#/anyOf/')) problems.push(describeAjvError(e));
  }
  const schemaName = canonical.default_target_schema;
  if (typeof schemaName === 'string' && schemaName.trim() === '') {
    problems.push("'default_target_schema' is empty; name the schema the tables go to");
  }
  problems.push(...schemaNameProblems(canonical));
  problems.push(...columnTypeProblems(canonical));

  const flattening = resolveFlattening(raw);
  problems.push(...flattening.problems);
  canonical.data_flattening_max_level = flattening.depth;
  if (canonical.stream_maps !== undefined || canonical.stream_map_config !== undefined) {
    problems.push(...streamMapProblems(canonical as { stream_maps?: Record<string, unknown>; stream_map_config?: Record<string, unknown> }));
  }

  if (problems.length > 0) {
    const unique = [...new Set(problems)];
    throw new ConfigError(`Invalid configuration: ${unique.join('; ')}`, { problems: unique.map((p) => `Invalid configuration: ${p}`) });
  }
  return { config: canonical as unknown as TargetConfig, unknownKeys, warnings: flattening.warnings };
}

/**
 * Target schemas are created in the Hive metastore, which takes only ASCII letters, digits and `_`;
 * a bad name would otherwise fail only at the first table, after the tap has started. The value
 * itself is not repeated (configuration values are never printed).
 */
function schemaNameProblems(canonical: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const check = (value: unknown, key: string) => {
    if (typeof value === 'string' && value.trim() !== '' && !HIVE_NAME.test(value.trim())) {
      problems.push(`'${key}' is not a valid schema name: use only ASCII letters, digits and '_' (the Hive metastore refuses other characters)`);
    }
  };
  check(canonical.default_target_schema, 'default_target_schema');
  const mapping = canonical.schema_mapping;
  if (mapping && typeof mapping === 'object' && !Array.isArray(mapping)) {
    for (const [source, entry] of Object.entries(mapping)) {
      if (entry && typeof entry === 'object') check((entry as Record<string, unknown>).target_schema, `schema_mapping.${source}.target_schema`);
    }
  }
  return problems;
}

interface AjvErrorLike {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function describeAjvError(e: AjvErrorLike): string {
  const key = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  switch (e.keyword) {
    case 'required':
      return `'${String(e.params.missingProperty)}' is required`;
    case 'anyOf':
      return "set 'default_target_schema' (a schema name) or 'schema_mapping' (an object) so every stream has a target schema";
    case 'minLength':
      return `'${key}' is empty`;
    case 'enum':
      return `'${key}' must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `'${key}' ${e.message ?? 'is invalid'}`;
  }
}
