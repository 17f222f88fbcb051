/**
 * Every setting the target understands, in one list. The JSON Schema used for validation, the
 * `--about` output, plugin-definition.yml and the README settings table are all generated from it,
 * so a setting is added here and nowhere else.
 */
export type SettingKind = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';
export interface SettingSpec {
    readonly name: string;
    readonly kind: SettingKind;
    readonly title: string;
    readonly description: string;
    readonly default?: unknown;
    /** Never logged; shown as a password field by Meltano. */
    readonly secret?: boolean;
    /** Other names accepted for the same setting (seed spellings, Meltano SDK names). */
    readonly aliases?: readonly string[];
    readonly enum?: readonly string[];
    readonly minimum?: number;
    /** Extra JSON Schema keywords for the value (e.g. the shape of an object). */
    readonly schema?: Record<string, unknown>;
    readonly group: 'connection' | 's3' | 'target' | 'loading' | 'records' | 'mapping';
}
export declare const SETTINGS: readonly SettingSpec[];
/** All names a setting may be given under, canonical first. */
export declare function namesOf(spec: SettingSpec): string[];
