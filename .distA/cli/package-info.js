import { readFileSync } from 'node:fs';
let cached;
/**
 * name, version and description from package.json, the one place they are set. Resolved from this
 * module's location, which is two levels below the package root both in src/ and in dist/.
 */
export function packageInfo() {
    if (cached)
        return cached;
    const json = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    cached = { name: json.name ?? 'target-iomete', version: json.version ?? '0.0.0', description: json.description ?? '' };
    return cached;
}
//# sourceMappingURL=package-info.js.map