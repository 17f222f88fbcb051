import { ENV_PREFIX, envVarName } from '../config/env.js';
import { configSchema } from '../config/schema.js';
import { SETTINGS } from '../config/settings.js';
import { CAPABILITIES } from './capabilities.js';
import { packageInfo, type PackageInfo } from './package-info.js';
import { requirementLabel, requirementsOf } from './requirements.js';
import { defaultText, settingsTable } from './settings-table.js';

export type AboutFormat = 'text' | 'json' | 'markdown';
export const ABOUT_FORMATS: readonly AboutFormat[] = ['text', 'json', 'markdown'];

/**
 * What `--about` reports. Keys in the Meltano SDK's order (name, description, version,
 * capabilities, settings); the SDK's Python-only keys (sdk_version, supported_python_versions)
 * are left out, which Hub tooling accepts. `settings` is the config JSON Schema the target
 * validates with, so secrets carry `secret` and `writeOnly`.
 */
export interface AboutInfo {
  name: string;
  description: string;
  version: string;
  capabilities: string[];
  settings: Record<string, unknown>;
}

/** Pure given the package info: needs no config, so it works with a missing or broken one. */
export function aboutInfo(pkg: PackageInfo = packageInfo()): AboutInfo {
  return {
    name: pkg.name,
    description: pkg.description,
    version: pkg.version,
    capabilities: [...CAPABILITIES],
    settings: configSchema(),
  };
}

export function formatAbout(info: AboutInfo, format: AboutFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(info, null, 2)}\n`;
    case 'markdown':
      return aboutMarkdown(info);
    case 'text':
      return aboutText(info);
  }
}

function settingType(schema: unknown): string {
  const type = (schema as { type?: unknown }).type;
  return Array.isArray(type) ? type.join(' | ') : String(type ?? 'any');
}

function aboutText(info: AboutInfo): string {
  const properties = (info.settings.properties ?? {}) as Record<string, unknown>;
  const lines = [
    `Name: ${info.name}`,
    `Description: ${info.description}`,
    `Version: ${info.version}`,
    'Capabilities:',
    ...info.capabilities.map((c) => `  - ${c}`),
    'Settings:',
  ];
  const requirements = requirementsOf(info.settings);
  for (const [name, schema] of Object.entries(properties)) {
    const spec = SETTINGS.find((s) => s.name === name);
    const required = requirementLabel(name, requirements).replace(/`/g, "'");
    const defaultValue = spec ? defaultText(spec) : undefined;
    lines.push(
      `  - Name: ${name}`,
      `    Type: ${settingType(schema)}`,
      ...(required ? [`    Required: ${required}`] : []),
      ...(defaultValue !== undefined ? [`    Default: ${defaultValue}`] : []),
      ...(spec?.aliases?.length ? [`    Also accepted as: ${spec.aliases.join(', ')}`] : []),
      `    Environment Variable: ${envVarName(name)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function aboutMarkdown(info: AboutInfo): string {
  return [
    `# \`${info.name}\``,
    '',
    info.description,
    '',
    `Version ${info.version}.`,
    '',
    '## Capabilities',
    '',
    ...info.capabilities.map((c) => `* \`${c}\``),
    '',
    '## Settings',
    '',
    settingsTable(SETTINGS),
    '',
    `A full list of supported settings and capabilities is available by running: \`${info.name} --about\``,
    '',
    '### Configure using environment variables',
    '',
    `With \`--config ENV\`, every setting is also read from its \`${ENV_PREFIX}<SETTING>\` variable, cast by the setting's type; variables win over config files.`,
    '',
  ].join('\n');
}
