import { ENV_CONFIG, ENV_PREFIX, envVarName } from '../config/env.js';
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
 * Pure: a setting's default as people read it: sizes in binary units and durations in the largest
 * whole unit, with the value to write after them (`256 MiB (268435456)`, `3 h (10800)`; `30 s`);
 * other values as they are written. The unit comes from the setting's name, which says it for
 * every measured setting (`*_bytes`, `*_seconds`), so a new one needs no extra field. Undefined
 * for settings without a default.
 */
export function defaultText(spec: Pick<SettingSpec, 'name' | 'default'>): string | undefined {
  const value = spec.default;
  if (value === undefined) return undefined;
  const plain = typeof value === 'string' ? (value === '' ? '""' : value) : JSON.stringify(value);
  if (typeof value !== 'number' || value <= 0) return plain;
  const unit = spec.name.endsWith('_bytes') ? size(value) : spec.name.endsWith('_seconds') ? duration(value) : undefined;
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

function duration(value: number): string {
  if (value % 3600 === 0) return `${value / 3600} h`;
  if (value % 60 === 0) return `${value / 60} min`;
  return `${value} s`;
}

/** Pure: the table's default cell: the value as code, its units in front when it has some (`256 MiB (\`268435456\`)`). */
export function defaultCell(spec: Pick<SettingSpec, 'name' | 'default'>): string {
  if (spec.default === undefined) return '';
  const text = defaultText(spec)!;
  const value = code(spec.default);
  const inUnits = /^(.*) \((.*)\)$/.exec(text);
  if (inUnits) return `${inUnits[1]} (${value})`;
  return /^\d+(\.\d+)? s$/.test(text) ? `${value} s` : value;
}

/**
 * Pure: the "Needed" cell: the schema's requirement (`yes`, `yes, or \`schema_mapping\``), else
 * when the setting must be set after all (its `neededWhen`), else nothing.
 */
export function neededLabel(spec: Pick<SettingSpec, 'name' | 'neededWhen'>, requirements: Requirements = requirementsOf()): string {
  const required = requirementLabel(spec.name, requirements);
  if (required) return required;
  return spec.neededWhen ? `when ${spec.neededWhen}` : '';
}

/** Pure: the description cell, with allowed values, other names and secrecy. */
function describe(spec: SettingSpec): string {
  const parts = [spec.description];
  if (spec.enum) parts.push(`One of ${spec.enum.map(code).join(', ')}.`);
  if (spec.aliases && spec.aliases.length > 0) parts.push(`Also accepted as ${spec.aliases.map(code).join(', ')}.`);
  if (spec.secret) parts.push('Secret: never logged.');
  return parts.join(' ');
}

/** Pure: the rule that names every setting's environment variable, said once above the tables. */
function environmentRule(): string {
  return (
    `Every setting can also be given as an environment variable: \`${ENV_PREFIX}\` and the setting's name in upper case ` +
    `(\`s3_bucket\` is \`${envVarName('s3_bucket')}\`). The target reads them with \`--config ${ENV_CONFIG}\`, where they win over ` +
    'config files, and Meltano reads them for the loader (its `.env` file included).'
  );
}

/** Pure: a Markdown table of settings: name, when it is needed, default, description. */
export function settingsTable(specs: readonly SettingSpec[], requirements: Requirements = requirementsOf()): string {
  const lines = ['| Setting | Needed | Default | Description |', '|---|---|---|---|'];
  for (const spec of specs) {
    const cells = [`\`${spec.name}\``, neededLabel(spec, requirements), defaultCell(spec), describe(spec)];
    lines.push(`| ${cells.map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}

const GROUP_TITLES: Record<string, string> = {
  connection: 'Connection to the lakehouse',
  s3: 'S3 staging',
  target: 'Where the data lands',
  loading: 'Loading',
  maintenance: 'Maintenance',
  records: 'Records',
  mapping: 'Stream maps',
};

/** Pure: the environment rule, then one table per settings group, in the order groups first appear. */
export function groupedSettingsTables(specs: readonly SettingSpec[], requirements: Requirements = requirementsOf()): string {
  const groups = [...new Set(specs.map((s) => s.group))];
  const tables = groups.map((group) => {
    const title = GROUP_TITLES[group] ?? group[0]!.toUpperCase() + group.slice(1);
    return `#### ${title}\n\n${settingsTable(specs.filter((s) => s.group === group), requirements)}`;
  });
  return [environmentRule(), ...tables].join('\n\n');
}
