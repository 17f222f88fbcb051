import { ENV_CONFIG, ENV_PREFIX, envVarName } from '../config/env.js';
import type { SettingSpec } from '../config/settings.js';
import { requirementsOf, type Requirements } from './requirements.js';

/** Pure: a value as Markdown code, JSON for anything but strings. */
function code(value: unknown): string {
  const text = typeof value === 'string' ? (value === '' ? '""' : value) : JSON.stringify(value);
  return `\`${text.replace(/`/g, "'")}\``;
}

/** Table cells may not hold pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

const DURATION_UNITS: ReadonlyArray<[number, string]> = [
  [86_400, 'd'],
  [3_600, 'h'],
  [60, 'min'],
  [1, 's'],
];
const BYTE_UNITS: ReadonlyArray<[number, string]> = [
  [2 ** 30, 'GiB'],
  [2 ** 20, 'MiB'],
  [2 ** 10, 'KiB'],
  [1, 'bytes'],
];

/** Pure: the largest unit that states the amount exactly (10800 s is "3 h", 90 s stays "90 s"). */
function inUnits(amount: number, units: ReadonlyArray<[number, string]>): string {
  if (amount === 0) return `0 ${units[units.length - 1]![1]}`;
  const [size, unit] = units.find(([size]) => Number.isInteger(amount / size)) ?? units[units.length - 1]!;
  return `${amount / size} ${unit}`;
}

/**
 * Pure: how the settings table shows a default. The unit comes from the setting's name, which says
 * it for every measured setting (`*_seconds`, `*_bytes`, `*_rows`), so a new one needs no extra field.
 */
export function formatDefault(spec: Pick<SettingSpec, 'name' | 'default'>): string {
  const value = spec.default;
  if (value === undefined) return '';
  if (typeof value === 'number' && value > 0) {
    if (spec.name.endsWith('_seconds')) return inUnits(value, DURATION_UNITS);
    if (spec.name.endsWith('_bytes')) return inUnits(value, BYTE_UNITS);
    if (spec.name.endsWith('_rows')) return `${value.toLocaleString('en-US')} rows`;
  }
  return code(value);
}

/** Pure: the "Needed" cell: always, instead of another setting, or when (from the setting's `neededWhen`). */
export function neededLabel(spec: Pick<SettingSpec, 'name' | 'neededWhen'>, requirements: Requirements = requirementsOf()): string {
  if (requirements.required.includes(spec.name)) return 'always';
  const branches = requirements.alternatives.filter((a) => a.includes(spec.name));
  if (branches.length > 0) {
    const others = [...new Set(requirements.alternatives.filter((a) => !a.includes(spec.name)).flat())];
    return others.length > 0 ? `unless ${others.map((o) => `\`${o}\``).join(' / ')} is set` : 'always';
  }
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
export function environmentRule(): string {
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
    const cells = [`\`${spec.name}\``, neededLabel(spec, requirements), formatDefault(spec), describe(spec)];
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

/** Pure: the environment rule, then one table per settings group, in the order groups first appear. */
export function groupedSettingsTables(specs: readonly SettingSpec[], requirements: Requirements = requirementsOf()): string {
  const groups = [...new Set(specs.map((s) => s.group))];
  const tables = groups.map((group) => {
    const title = GROUP_TITLES[group] ?? group[0]!.toUpperCase() + group.slice(1);
    return `#### ${title}\n\n${settingsTable(specs.filter((s) => s.group === group), requirements)}`;
  });
  return [environmentRule(), ...tables].join('\n\n');
}
