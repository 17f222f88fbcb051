import AjvModule from 'ajv';
import { ConfigError } from '../errors.js';
import { HIVE_NAME } from '../schema/naming.js';
import { streamMapProblems } from '../mapping/stream-mapper.js';
import { columnTypeProblems } from '../schema/column-types.js';
import { isObject } from '../singer/json.js';
import { tableLayoutProblems } from '../schema/table-layout.js';
import { resolveFlattening } from './flattening.js';
import { type EnvConfig, overlayEnv, valueHidden } from './env.js';
import { configSchema } from './schema.js';
import { reviewUnknownNames } from './unknown-keys.js';
import { REQUIRED_SETTINGS, SETTINGS, type SettingValues, namesOf } from './settings.js';

// ajv is published as CommonJS with a default export; under NodeNext the class sits on .default.
const Ajv = AjvModule.default;

interface SchemaMappingEntry {
  target_schema: string;
}

/**
 * The resolved, validated configuration the engine runs with (canonical names, defaults filled):
 * the settings list's own types (`SettingValues`, derived from src/config/settings.ts, so a new
 * setting needs no edit here), narrowed where resolution computes or checks more than the
 * setting's JSON kind.
 */
export type TargetConfig = Omit<SettingValues, keyof Resolved> & Resolved;

/** What resolveConfig computes or validates beyond each setting's JSON Schema. */
interface Resolved {
  /** Effective depth, from `data_flattening_max_level` or `flattening_enabled` + `flattening_max_depth`. */
  data_flattening_max_level: number;
  /** Shape checked by the setting's JSON Schema. */
  schema_mapping?: Record<string, SchemaMappingEntry>;
  /** Stream selector -> property -> Spark type text (validated by columnTypeProblems). */
  column_types?: Record<string, Record<string, string>>;
}

export interface ResolvedConfig {
  config: TargetConfig;
  /**
   * Settings that are valid but will not do what they may seem to, and unknown names that are
   * ignored (configs for newer versions still run); logged as warnings.
   */
  warnings: string[];
}

const TARGET_SCHEMA_SETTINGS = ['default_target_schema', 'schema_mapping'];

/**
 * Folds aliases into canonical names, fills defaults and validates. `raw` is what the config
 * files hold; `env` what `--config ENV` read (it wins over the files). Every problem is reported
 * at once in one ConfigError, typos of setting names first, so a user fixes the config in one
 * round; values are shown in problems except those of secrets.
 */
export function resolveConfig(raw: Record<string, unknown>, env?: EnvConfig): ResolvedConfig {
  const merged = env ? overlayEnv(raw, env.values) : raw;
  const problems: string[] = [];
  const canonical: Record<string, unknown> = {};
  /** How each given setting is named in messages: the key as written, or its variable. */
  const labels = new Map<string, string>();
  const knownNames = new Set(SETTINGS.flatMap((spec) => namesOf(spec)));

  for (const spec of SETTINGS) {
    const given = namesOf(spec).filter((n) => merged[n] !== undefined && merged[n] !== null);
    if (given.length > 1) {
      const values = new Set(given.map((n) => JSON.stringify(merged[n])));
      if (values.size > 1) problems.push(`'${given.join("' and '")}' name the same setting with different values; keep one`);
    }
    const first = given[0];
    if (first !== undefined) {
      canonical[spec.name] = merged[first];
      labels.set(spec.name, env?.variables[first] ?? `'${first}'`);
    } else if (spec.default !== undefined) canonical[spec.name] = structuredClone(spec.default);
  }
  const isSet = (setting: string) => labels.has(setting);
  const unknown = reviewUnknownNames(
    { keys: Object.keys(raw).filter((k) => !knownNames.has(k)), variables: env?.unknown ?? [] },
    isSet,
    (setting) => REQUIRED_SETTINGS.includes(setting) || (TARGET_SCHEMA_SETTINGS.includes(setting) && !TARGET_SCHEMA_SETTINGS.some(isSet)),
  );
  problems.unshift(...unknown.problems, ...(env?.problems ?? []));

  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(configSchema());
  if (!validate(canonical)) {
    for (const e of validate.errors ?? []) {
      // The branches of "default_target_schema or schema_mapping" fail with it; their own
      // `required` errors would repeat the one problem three times.
      if (e.schemaPath.startsWith('#/anyOf/')) continue;
      // A typo already named the missing setting.
      if (e.keyword === 'required' && unknown.explained.has(String(e.params.missingProperty))) continue;
      if (e.keyword === 'anyOf' && TARGET_SCHEMA_SETTINGS.some((s) => unknown.explained.has(s))) continue;
      problems.push(describeAjvError(e, canonical, labels));
    }
  }
  const schemaName = canonical.default_target_schema;
  if (typeof schemaName === 'string' && schemaName.trim() === '') {
    problems.push("'default_target_schema' is empty; name the schema the tables go to");
  }
  problems.push(...schemaNameProblems(canonical));
  problems.push(...columnTypeProblems(canonical));
  problems.push(...tableLayoutProblems(canonical));

  const flattening = resolveFlattening(merged);
  problems.push(...flattening.problems);
  canonical.data_flattening_max_level = flattening.depth;
  if (canonical.stream_maps !== undefined || canonical.stream_map_config !== undefined) {
    problems.push(...streamMapProblems(canonical as { stream_maps?: Record<string, unknown>; stream_map_config?: Record<string, unknown> }));
  }

  if (problems.length > 0) throw invalidConfiguration([...new Set(problems)], unknown.notes);
  return { config: canonical as unknown as TargetConfig, warnings: [...unknown.notes.map(capitalize), ...flattening.warnings] };
}

/**
 * One error for all problems: a single line for one, else a list, one problem a line. Unknown
 * names that alone would only be warned about are listed too, so the user sees every name to fix.
 */
function invalidConfiguration(problems: readonly string[], notes: readonly string[] = []): ConfigError {
  const all = [...problems, ...notes];
  const message =
    all.length === 1 ? `Invalid configuration: ${all[0]}` : `Invalid configuration (${all.length} problems):\n${all.map((p) => `  - ${p}`).join('\n')}`;
  return new ConfigError(message, { problems: all });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
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
  if (isObject(mapping)) {
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

const ARTICLE_TYPES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
};

/** `"443a"`, `0`, `{"a":1}` (shortened), or only the JSON type of a secret's value. */
function shownValue(value: unknown, hidden: boolean): string {
  const type = Array.isArray(value) ? 'an array' : value === null ? 'null' : (ARTICLE_TYPES[typeof value] ?? typeof value);
  if (hidden) return type;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describeAjvError(e: AjvErrorLike, data: Record<string, unknown>, labels: ReadonlyMap<string, string>): string {
  const path = e.instancePath.replace(/^\//, '').split('/');
  const setting = path[0] ?? '';
  const given = labels.get(setting) ?? `'${setting}'`;
  const key = path.length > 1 ? `'${path.join('.')}'` : given;
  const value = path.reduce<unknown>((v, p) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined), data);
  const got = `, got ${shownValue(value, valueHidden(setting))}`;
  switch (e.keyword) {
    case 'required':
      return e.instancePath === '' ? `'${String(e.params.missingProperty)}' is required` : `${key} needs '${String(e.params.missingProperty)}'`;
    case 'anyOf':
      return "set 'default_target_schema' (a schema name) or 'schema_mapping' (an object) so every stream has a target schema";
    case 'minLength':
      return `${key} is empty`;
    case 'type': {
      const types = ([] as unknown[]).concat(e.params.type).map((t) => ARTICLE_TYPES[String(t)] ?? String(t));
      return `${key} must be ${types.join(' or ')}${got}`;
    }
    case 'enum':
      return `${key} must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}${got}`;
    case 'minimum':
      return `${key} must be >= ${String(e.params.limit)}${got}`;
    default:
      return `${key} ${e.message ?? 'is invalid'}${got}`;
  }
}
