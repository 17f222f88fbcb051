import { configSchema } from '../config/schema.js';
/** Pure: the requirements of a config schema (defaults to the target's). */
export function requirementsOf(schema = configSchema()) {
    const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
    const branches = Array.isArray(schema.anyOf) ? schema.anyOf : [];
    const alternatives = branches.map((b) => (Array.isArray(b.required) ? b.required.map(String) : [])).filter((b) => b.length > 0);
    return { required, alternatives };
}
/**
 * Pure: Meltano's `settings_group_validation`, the sets of settings one of which must be complete.
 * Each alternative of the schema becomes one set with the always-required settings.
 */
export function settingsGroups(requirements = requirementsOf()) {
    if (requirements.alternatives.length === 0)
        return requirements.required.length > 0 ? [[...requirements.required]] : [];
    return requirements.alternatives.map((alternative) => [...new Set([...requirements.required, ...alternative])]);
}
/** Pure: how the README and `--about --format markdown` show a setting's requirement. */
export function requirementLabel(name, requirements = requirementsOf()) {
    if (requirements.required.includes(name))
        return 'yes';
    const others = requirements.alternatives.filter((a) => !a.includes(name)).flat();
    if (requirements.alternatives.some((a) => a.includes(name))) {
        return others.length > 0 ? `yes, or ${[...new Set(others)].map((o) => `\`${o}\``).join(' / ')}` : 'yes';
    }
    return '';
}
//# sourceMappingURL=requirements.js.map