import { SETTINGS, type SettingSpec } from '../config/settings.js';
import { CAPABILITIES } from './capabilities.js';
import { packageInfo } from './package-info.js';
import { PLUGIN, prereqMarkdown } from './plugin-metadata.js';
import { settingsGroups } from './requirements.js';

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
  options?: Array<{ label: string; value: string }>;
  sensitive?: true;
}

/**
 * Pure: the Meltano kind of a setting. Secrets are `password` (with `sensitive: true`, as the Hub
 * writes both), string enums `options`, JSON `number` is Meltano's `decimal` (cast with Decimal,
 * written to the config file as a number).
 */
export function meltanoKind(spec: SettingSpec): MeltanoKind {
  if (spec.secret) return 'password';
  if (spec.enum && spec.kind === 'string') return 'options';
  if (spec.kind === 'number') return 'decimal';
  return spec.kind;
}

function meltanoSetting(spec: SettingSpec): MeltanoSetting {
  const kind = meltanoKind(spec);
  return {
    name: spec.name,
    ...(spec.aliases && spec.aliases.length > 0 ? { aliases: [...spec.aliases] } : {}),
    label: spec.title,
    kind,
    description: spec.description,
    ...(spec.default !== undefined ? { value: structuredClone(spec.default) } : {}),
    ...(kind === 'options' ? { options: (spec.enum ?? []).map((value) => ({ label: optionLabel(value), value })) } : {}),
    ...(spec.secret ? { sensitive: true as const } : {}),
  };
}

/** `append-only` -> `Append Only`, as the Hub labels options. */
function optionLabel(value: string): string {
  return value
    .split(/[-_\s]+/)
    .map((w) => (w === '' ? w : w[0]!.toUpperCase() + w.slice(1)))
    .join(' ');
}

/** Pure: every setting, sorted by name as the Hub sorts them. */
function meltanoSettings(specs: readonly SettingSpec[] = SETTINGS): MeltanoSetting[] {
  return [...specs].sort((a, b) => a.name.localeCompare(b.name)).map(meltanoSetting);
}

/**
 * The part of a plugin definition a project's meltano.yml needs to install and run the loader:
 * paste it under `plugins.loaders` (JSON is valid YAML). `meltano install` pip-installs `pip_url`,
 * whose console script is `executable`.
 */
export function loaderFragment(): Record<string, unknown> {
  const { name } = packageInfo();
  return {
    name,
    namespace: PLUGIN.namespace,
    pip_url: PLUGIN.pip_url,
    executable: PLUGIN.executable,
    capabilities: [...CAPABILITIES],
    settings: meltanoSettings(),
    settings_group_validation: settingsGroups(),
  };
}

/** The full Meltano Hub loader definition (keys sorted as the Hub writes its YAML files). */
export function pluginDefinition(): Record<string, unknown> {
  const { description } = packageInfo();
  const fragment = loaderFragment();
  const definition: Record<string, unknown> = {
    ...fragment,
    description,
    domain_url: PLUGIN.domain_url,
    keywords: [...PLUGIN.keywords],
    label: PLUGIN.label,
    logo_url: PLUGIN.logo_url,
    maintenance_status: PLUGIN.maintenance_status,
    prereq: prereqMarkdown(),
    quality: PLUGIN.quality,
    repo: PLUGIN.repo,
    variant: PLUGIN.variant,
  };
  return Object.fromEntries(Object.keys(definition).sort().map((k) => [k, definition[k]]));
}
