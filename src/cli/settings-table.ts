import { envVarName } from '../config/env.js';
import type { SettingSpec } from '../config/settings.js';
import { requirementLabel, requirementsOf, type Requirements } from './requirements.js';

/** Pure: a value as Markdown code, JSON for anything but strings. */
function code(value: unknown): string {
  const text = typeof value === 'string' ? (value === '' ? '""' : value) : JSON.stringify(value);
  return `\`${text.replace(/`/g, "'")}\``;
}

/** Table cells may not hold pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/**
 * Pure: a setting's default as people read it: sizes in binary units and durations in the
 * largest whole unit, with the value to write after them (`256 MiB (268435456)`, `3 h (10800)`);
 * other values as they are written. Undefined for settings without a default.
 */
export function defaultText(spec: SettingSpec): string | undefined {
  const value = spec.default;
  if (value === undefined) return undefined;
  const plain = typeof value === 'string' ? (value === '' ? '""' : value) : JSON.stringify(value);
  if (typeof value !== 'number' || value <= 0) return plain;
  const unit = spec.name.endsWith('_bytes') ? size(value) : spec.name.endsWith('_seconds') ? seconds(value) : undefined;
  return unit === undefined || unit === `${value} s` ? (unit ?? plain) : `${unit} (${plain})`;
}

function size(bytes: number): string {
  const units = ['GiB', 'MiB', 'KiB'];
  for (const [i, unit] of units.entries()) {
    const scale = 1024 ** (units.length - i);
    if (bytes % scale === 0) return `${bytes / scale} ${unit}`;
  }
  return `${bytes} bytes`;
}

function seconds(value: number): string {
  if (value % 3600 === 0) return `${value / 3600} h`;
  if (value % 60 === 0) return `${value / 60} min`;
  return `${value} s`;
}

/** Pure: the description cell, with allowed values, other names and the environment variable. */
function describe(spec: SettingSpec): string {
  const parts = [spec.description];
  if (spec.enum) parts.push(`One of ${spec.enum.map(code).join(', ')}.`);
  if (spec.aliases && spec.aliases.length > 0) parts.push(`Also accepted as ${spec.aliases.map(code).join(', ')}.`);
  if (spec.secret) parts.push('Secret: never logged.');
  parts.push(`Env: \`${envVarName(spec.name)}\`.`);
  return parts.join(' ');
}

/** The default as code, with its units in front when it has some (`256 MiB (\`268435456\`)`). */
function defaultCell(spec: SettingSpec): string {
  if (spec.default === undefined) return '';
  const text = defaultText(spec)!;
  const value = code(spec.default);
  const inUnits = /^(.*) \((.*)\)$/.exec(text);
  if (inUnits) return `${inUnits[1]} (${value})`;
  return /^\d+ s$/.test(text) ? `${value} s` : value;
}

/** Pure: a Markdown table of settings: name, requirement, default, description. */
export function settingsTable(specs: readonly SettingSpec[], requirements: Requirements = requirementsOf()): string {
  const lines = ['| Setting | Required | Default | Description |', '|---|---|---|---|'];
  for (const spec of specs) {
    const cells = [
      `\`${spec.name}\``,
      requirementLabel(spec.name, requirements),
      defaultCell(spec),
      describe(spec),
    ];
    lines.push(`| ${cells.map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}

const GROUP_TITLES: Record<string, string> = {
  connection: 'Connection to the lakehouse',
  s3: 'S3 staging',
  target: 'Where the data lands',
  loading: 'Loading',
  records: 'Records',
  mapping: 'Stream maps',
};

/** Pure: one table per settings group, in the order groups first appear. */
export function groupedSettingsTables(specs: readonly SettingSpec[], requirements: Requirements = requirementsOf()): string {
  const groups = [...new Set(specs.map((s) => s.group))];
  return groups
    .map((group) => {
      const title = GROUP_TITLES[group] ?? group[0]!.toUpperCase() + group.slice(1);
      return `#### ${title}\n\n${settingsTable(specs.filter((s) => s.group === group), requirements)}`;
    })
    .join('\n\n');
}
