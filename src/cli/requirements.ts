import { configSchema } from '../config/schema.js';

/** Which settings a config must have, read from the config schema (never listed by hand). */
export interface Requirements {
  /** Always required. */
  required: string[];
  /** The config must also hold all names of at least one of these sets (the schema's anyOf). */
  alternatives: string[][];
}

/** Pure: the requirements of a config schema (defaults to the target's). */
export function requirementsOf(schema: Record<string, unknown> = configSchema()): Requirements {
  const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
  const branches = Array.isArray(schema.anyOf) ? (schema.anyOf as Array<{ required?: unknown }>) : [];
  const alternatives = branches.map((b) => (Array.isArray(b.required) ? b.required.map(String) : [])).filter((b) => b.length > 0);
  return { required, alternatives };
}

/**
 * Pure: Meltano's `settings_group_validation`, the sets of settings one of which must be complete.
 * Each alternative of the schema becomes one set with the always-required settings.
 */
export function settingsGroups(requirements: Requirements = requirementsOf()): string[][] {
  if (requirements.alternatives.length === 0) return requirements.required.length > 0 ? [[...requirements.required]] : [];
  return requirements.alternatives.map((alternative) => [...new Set([...requirements.required, ...alternative])]);
}

/** Pure: how the README and `--about --format markdown` show a setting's requirement. */
export function requirementLabel(name: string, requirements: Requirements = requirementsOf()): string {
  if (requirements.required.includes(name)) return 'yes';
  const others = requirements.alternatives.filter((a) => !a.includes(name)).flat();
  if (requirements.alternatives.some((a) => a.includes(name))) {
    return others.length > 0 ? `yes, or ${[...new Set(others)].map((o) => `\`${o}\``).join(' / ')}` : 'yes';
  }
  return '';
}
