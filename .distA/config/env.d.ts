import { type SettingKind } from './settings.js';
/** Prefix of the variables read by `--config ENV` (the Meltano SDK's `<PLUGIN_NAME>_` convention). */
export declare const ENV_PREFIX = "TARGET_IOMETE_";
/** The `--config` value that selects environment variables instead of a file. */
export declare const ENV_CONFIG = "ENV";
/** `port` -> `TARGET_IOMETE_PORT`; dashes become underscores as in the SDK. */
export declare function envVarName(setting: string): string;
/**
 * Pure: the settings given as `TARGET_IOMETE_*` variables, each cast by its schema type. Every
 * name of a setting (canonical and aliases) is looked up, so `resolveConfig` reports a clash
 * exactly as it does for files. A value that cannot be cast is an error naming the variable and
 * the expected form, never the value (it may be a secret).
 */
export declare function configFromEnv(env: NodeJS.ProcessEnv): Record<string, unknown>;
type Cast = {
    ok: true;
    value: unknown;
} | {
    ok: false;
    expected: string;
};
/** Pure: one variable's text as the JSON type of its setting. */
export declare function castEnvValue(text: string, kind: SettingKind): Cast;
/** Splits `--config` values into files and whether `ENV` was named (case as the SDK: exact `ENV`). */
export declare function configSources(values: readonly string[]): {
    files: string[];
    env: boolean;
};
/**
 * Pure: file settings overlaid with environment settings. The environment wins over files whatever
 * the order of `--config` values (as in the SDK), and a setting given in the environment under any
 * of its names replaces every name of it from the files, so an alias in a file never clashes.
 */
export declare function overlayEnv(fromFiles: Record<string, unknown>, fromEnv: Record<string, unknown>): Record<string, unknown>;
export {};
