import { envVarName } from '../config/env.js';
import { requirementLabel, requirementsOf } from './requirements.js';
/** Pure: a value as Markdown code, JSON for anything but strings. */
function code(value) {
    const text = typeof value === 'string' ? (value === '' ? '""' : value) : JSON.stringify(value);
    return `\`${text.replace(/`/g, "'")}\``;
}
/** Table cells may not hold pipes or line breaks. */
function cell(text) {
    return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}
/** Pure: the description cell, with allowed values, other names and the environment variable. */
function describe(spec) {
    const parts = [spec.description];
    if (spec.enum)
        parts.push(`One of ${spec.enum.map(code).join(', ')}.`);
    if (spec.aliases && spec.aliases.length > 0)
        parts.push(`Also accepted as ${spec.aliases.map(code).join(', ')}.`);
    if (spec.secret)
        parts.push('Secret: never logged.');
    parts.push(`Env: \`${envVarName(spec.name)}\`.`);
    return parts.join(' ');
}
/** Pure: a Markdown table of settings: name, requirement, default, description. */
export function settingsTable(specs, requirements = requirementsOf()) {
    const lines = ['| Setting | Required | Default | Description |', '|---|---|---|---|'];
    for (const spec of specs) {
        const cells = [
            `\`${spec.name}\``,
            requirementLabel(spec.name, requirements),
            spec.default === undefined ? '' : code(spec.default),
            describe(spec),
        ];
        lines.push(`| ${cells.map(cell).join(' | ')} |`);
    }
    return lines.join('\n');
}
const GROUP_TITLES = {
    connection: 'Connection to the lakehouse',
    s3: 'S3 staging',
    target: 'Where the data lands',
    loading: 'Loading',
    records: 'Records',
    mapping: 'Stream maps',
};
/** Pure: one table per settings group, in the order groups first appear. */
export function groupedSettingsTables(specs, requirements = requirementsOf()) {
    const groups = [...new Set(specs.map((s) => s.group))];
    return groups
        .map((group) => {
        const title = GROUP_TITLES[group] ?? group[0].toUpperCase() + group.slice(1);
        return `#### ${title}\n\n${settingsTable(specs.filter((s) => s.group === group), requirements)}`;
    })
        .join('\n\n');
}
//# sourceMappingURL=settings-table.js.map