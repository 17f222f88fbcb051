import { ENV_PREFIX, envVarName } from '../config/env.js';
import { configSchema } from '../config/schema.js';
import { SETTINGS } from '../config/settings.js';
import { CAPABILITIES } from './capabilities.js';
import { packageInfo } from './package-info.js';
import { settingsTable } from './settings-table.js';
export const ABOUT_FORMATS = ['text', 'json', 'markdown'];
/** Pure given the package info: needs no config, so it works with a missing or broken one. */
export function aboutInfo(pkg = packageInfo()) {
    return {
        name: pkg.name,
        description: pkg.description,
        version: pkg.version,
        capabilities: [...CAPABILITIES],
        settings: configSchema(),
    };
}
export function formatAbout(info, format) {
    switch (format) {
        case 'json':
            return `${JSON.stringify(info, null, 2)}\n`;
        case 'markdown':
            return aboutMarkdown(info);
        case 'text':
            return aboutText(info);
    }
}
function settingType(schema) {
    const type = schema.type;
    return Array.isArray(type) ? type.join(' | ') : String(type ?? 'any');
}
function aboutText(info) {
    const properties = (info.settings.properties ?? {});
    const lines = [
        `Name: ${info.name}`,
        `Description: ${info.description}`,
        `Version: ${info.version}`,
        'Capabilities:',
        ...info.capabilities.map((c) => `  - ${c}`),
        'Settings:',
    ];
    for (const [name, schema] of Object.entries(properties)) {
        lines.push(`  - Name: ${name}`, `    Type: ${settingType(schema)}`, `    Environment Variable: ${envVarName(name)}`);
    }
    return `${lines.join('\n')}\n`;
}
function aboutMarkdown(info) {
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
//# sourceMappingURL=about.js.map