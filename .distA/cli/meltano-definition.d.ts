import { type SettingSpec } from '../config/settings.js';
/** Meltano setting kinds (the Hub's base_setting enum) this target's settings map to. */
export type MeltanoKind = 'string' | 'password' | 'options' | 'integer' | 'decimal' | 'boolean' | 'object' | 'array';
/** One entry of a plugin definition's `settings`, keys in the order the Hub writes them. */
export interface MeltanoSetting {
    name: string;
    aliases?: string[];
    label: string;
    kind: MeltanoKind;
    description: string;
    value?: unknown;
    options?: Array<{
        label: string;
        value: string;
    }>;
    sensitive?: true;
}
/**
 * Pure: the Meltano kind of a setting. Secrets are `password` (with `sensitive: true`, as the Hub
 * writes both), string enums `options`, JSON `number` is Meltano's `decimal` (cast with Decimal,
 * written to the config file as a number).
 */
export declare function meltanoKind(spec: SettingSpec): MeltanoKind;
export declare function meltanoSetting(spec: SettingSpec): MeltanoSetting;
/** Pure: every setting, sorted by name as the Hub sorts them. */
export declare function meltanoSettings(specs?: readonly SettingSpec[]): MeltanoSetting[];
/**
 * The part of a plugin definition a project's meltano.yml needs to install and run the loader:
 * paste it under `plugins.loaders` (JSON is valid YAML). `meltano install` pip-installs `pip_url`,
 * whose console script is `executable`.
 */
export declare function loaderFragment(): Record<string, unknown>;
/** The full Meltano Hub loader definition (keys sorted as the Hub writes its YAML files). */
export declare function pluginDefinition(): Record<string, unknown>;
