/** Which settings a config must have, read from the config schema (never listed by hand). */
export interface Requirements {
    /** Always required. */
    required: string[];
    /** The config must also hold all names of at least one of these sets (the schema's anyOf). */
    alternatives: string[][];
}
/** Pure: the requirements of a config schema (defaults to the target's). */
export declare function requirementsOf(schema?: Record<string, unknown>): Requirements;
/**
 * Pure: Meltano's `settings_group_validation`, the sets of settings one of which must be complete.
 * Each alternative of the schema becomes one set with the always-required settings.
 */
export declare function settingsGroups(requirements?: Requirements): string[][];
/** Pure: how the README and `--about --format markdown` show a setting's requirement. */
export declare function requirementLabel(name: string, requirements?: Requirements): string;
