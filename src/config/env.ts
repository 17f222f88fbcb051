import { SETTINGS, namesOf, type SettingKind } from './settings.js';

/** Prefix of the variables read by `--config ENV` (the Meltano SDK's `<PLUGIN_NAME>_` convention). */
export const ENV_PREFIX = 'TARGET_IOMETE_';

/** The `--config` value that selects environment variables instead of a file. */
export const ENV_CONFIG = 'ENV';

/** `port` -> `TARGET_IOMETE_PORT`; dashes become underscores as in the SDK. */
export function envVarName(setting: string): string {
  return `${ENV_PREFIX}${setting.toUpperCase().replace(/-/g, '_')}`;
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/** Settings whose values are never shown in messages: secrets, and the values stream maps read as config (hash seeds). */
export function valueHidden(setting: string): boolean {
  return setting === 'stream_map_config' || SETTINGS.some((s) => s.name === setting && s.secret === true);
}

/** Variables with the prefix that are read elsewhere (logging), not settings. */
const NOT_SETTINGS = new Set(['TARGET_IOMETE_LOGLEVEL', 'TARGET_IOMETE_LOG_FORMAT']);

/** What `--config ENV` found in the environment. */
export interface EnvConfig {
  /** Settings by the name their variable spells (canonical or alias), each cast by its type. */
  values: Record<string, unknown>;
  /** Setting name -> the variable it came from, for messages. */
  variables: Record<string, string>;
  /** Variables that could not be cast, one problem each. */
  problems: string[];
  /** `TARGET_IOMETE_*` variables that name no setting (a typo, or a setting of another version). */
  unknown: string[];
}

/**
 * Pure: the settings given as `TARGET_IOMETE_*` variables, each cast by its schema type. Every
 * name of a setting (canonical and aliases) is looked up, so `resolveConfig` reports a clash
 * exactly as it does for files. A value that cannot be cast is a problem naming the variable and
 * the expected form, and the value unless the setting is a secret. Variables of Meltano's plugin
 * extras (`TARGET_IOMETE__<EXTRA>`) and of logging are not settings and not reported.
 */
export function configFromEnv(env: NodeJS.ProcessEnv): EnvConfig {
  const result: EnvConfig = { values: {}, variables: {}, problems: [], unknown: [] };
  const known = new Set(NOT_SETTINGS);
  for (const spec of SETTINGS) {
    for (const name of namesOf(spec)) {
      const variable = envVarName(name);
      known.add(variable);
      const text = env[variable];
      if (text === undefined) continue;
      // An empty variable means "not set" for typed settings; a string setting may be empty on purpose.
      if (text.trim() === '' && spec.kind !== 'string') continue;
      const cast = castEnvValue(text, spec.kind);
      if (cast.ok) {
        result.values[name] = cast.value;
        result.variables[name] = variable;
      } else {
        result.problems.push(`${variable} ${cast.expected}${valueHidden(spec.name) ? '' : `, got ${JSON.stringify(text)}`}`);
      }
    }
  }
  result.unknown = Object.keys(env)
    .filter((v) => v.startsWith(ENV_PREFIX) && !v.startsWith(`${ENV_PREFIX}_`) && !known.has(v))
    .sort();
  return result;
}

type Cast = { ok: true; value: unknown } | { ok: false; expected: string };

/** Pure: one variable's text as the JSON type of its setting. */
export function castEnvValue(text: string, kind: SettingKind): Cast {
  const trimmed = text.trim();
  switch (kind) {
    case 'string':
      return { ok: true, value: text };
    case 'integer':
      return /^[+-]?\d+$/.test(trimmed) ? { ok: true, value: Number(trimmed) } : { ok: false, expected: 'must be an integer' };
    case 'number': {
      const value = Number(trimmed);
      return trimmed !== '' && Number.isFinite(value) ? { ok: true, value } : { ok: false, expected: 'must be a number' };
    }
    case 'boolean': {
      const word = trimmed.toLowerCase();
      if (TRUE_WORDS.has(word)) return { ok: true, value: true };
      if (FALSE_WORDS.has(word)) return { ok: true, value: false };
      return { ok: false, expected: 'must be one of true/false, 1/0, yes/no, on/off' };
    }
    case 'object':
    case 'array': {
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch {
        return { ok: false, expected: `must hold a JSON ${kind}` };
      }
      const isArray = Array.isArray(value);
      const fits = kind === 'array' ? isArray : typeof value === 'object' && value !== null && !isArray;
      return fits ? { ok: true, value } : { ok: false, expected: `must hold a JSON ${kind}` };
    }
  }
}

/** Splits `--config` values into files and whether `ENV` was named (case as the SDK: exact `ENV`). */
export function configSources(values: readonly string[]): { files: string[]; env: boolean } {
  return { files: values.filter((v) => v !== ENV_CONFIG), env: values.includes(ENV_CONFIG) };
}

/**
 * Pure: file settings overlaid with environment settings. The environment wins over files whatever
 * the order of `--config` values (as in the SDK), and a setting given in the environment under any
 * of its names replaces every name of it from the files, so an alias in a file never clashes.
 */
export function overlayEnv(fromFiles: Record<string, unknown>, fromEnv: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...fromFiles };
  for (const spec of SETTINGS) {
    const names = namesOf(spec);
    if (names.some((n) => n in fromEnv)) for (const n of names) delete merged[n];
  }
  return { ...merged, ...fromEnv };
}
