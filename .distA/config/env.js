import { ConfigError } from '../errors.js';
import { SETTINGS, namesOf } from './settings.js';
/** Prefix of the variables read by `--config ENV` (the Meltano SDK's `<PLUGIN_NAME>_` convention). */
export const ENV_PREFIX = 'TARGET_IOMETE_';
/** The `--config` value that selects environment variables instead of a file. */
export const ENV_CONFIG = 'ENV';
/** `port` -> `TARGET_IOMETE_PORT`; dashes become underscores as in the SDK. */
export function envVarName(setting) {
    return `${ENV_PREFIX}${setting.toUpperCase().replace(/-/g, '_')}`;
}
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);
/**
 * Pure: the settings given as `TARGET_IOMETE_*` variables, each cast by its schema type. Every
 * name of a setting (canonical and aliases) is looked up, so `resolveConfig` reports a clash
 * exactly as it does for files. A value that cannot be cast is an error naming the variable and
 * the expected form, never the value (it may be a secret).
 */
export function configFromEnv(env) {
    const config = {};
    const problems = [];
    for (const spec of SETTINGS) {
        for (const name of namesOf(spec)) {
            const variable = envVarName(name);
            const text = env[variable];
            if (text === undefined)
                continue;
            // An empty variable means "not set" for typed settings; a string setting may be empty on purpose.
            if (text.trim() === '' && spec.kind !== 'string')
                continue;
            const cast = castEnvValue(text, spec.kind);
            if (cast.ok)
                config[name] = cast.value;
            else
                problems.push(`${variable} ${cast.expected}`);
        }
    }
    if (problems.length > 0) {
        throw new ConfigError(`Invalid environment configuration:\n${problems.map((p) => `  * ${p}`).join('\n')}`);
    }
    return config;
}
/** Pure: one variable's text as the JSON type of its setting. */
export function castEnvValue(text, kind) {
    const trimmed = text.trim();
    switch (kind) {
        case 'string':
            return { ok: true, value: text };
        case 'integer':
            return /^[+-]?\d+$/.test(trimmed) ? { ok: true, value: Number(trimmed) } : { ok: false, expected: 'must be a whole number' };
        case 'number': {
            const value = Number(trimmed);
            return trimmed !== '' && Number.isFinite(value) ? { ok: true, value } : { ok: false, expected: 'must be a number' };
        }
        case 'boolean': {
            const word = trimmed.toLowerCase();
            if (TRUE_WORDS.has(word))
                return { ok: true, value: true };
            if (FALSE_WORDS.has(word))
                return { ok: true, value: false };
            return { ok: false, expected: 'must be one of true/false, 1/0, yes/no, on/off' };
        }
        case 'object':
        case 'array': {
            let value;
            try {
                value = JSON.parse(trimmed);
            }
            catch {
                return { ok: false, expected: `must hold a JSON ${kind}` };
            }
            const isArray = Array.isArray(value);
            const fits = kind === 'array' ? isArray : typeof value === 'object' && value !== null && !isArray;
            return fits ? { ok: true, value } : { ok: false, expected: `must hold a JSON ${kind}` };
        }
    }
}
/** Splits `--config` values into files and whether `ENV` was named (case as the SDK: exact `ENV`). */
export function configSources(values) {
    return { files: values.filter((v) => v !== ENV_CONFIG), env: values.includes(ENV_CONFIG) };
}
/**
 * Pure: file settings overlaid with environment settings. The environment wins over files whatever
 * the order of `--config` values (as in the SDK), and a setting given in the environment under any
 * of its names replaces every name of it from the files, so an alias in a file never clashes.
 */
export function overlayEnv(fromFiles, fromEnv) {
    const merged = { ...fromFiles };
    for (const spec of SETTINGS) {
        const names = namesOf(spec);
        if (names.some((n) => n in fromEnv))
            for (const n of names)
                delete merged[n];
    }
    return { ...merged, ...fromEnv };
}
//# sourceMappingURL=env.js.map