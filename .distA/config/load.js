import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import { jsonSyntaxError } from '../json-syntax.js';
/** Reads and merges config files; later files win key by key. */
export async function readConfigFiles(paths) {
    const merged = {};
    for (const path of paths) {
        let text;
        try {
            text = await readFile(path, 'utf8');
        }
        catch (e) {
            throw new ConfigError(`Cannot read config file ${path}: ${e.code ?? e.message}`);
        }
        let parsed;
        try {
            parsed = JSON.parse(text);
        }
        catch {
            // Only the position: the parser's own message quotes the text, which may hold secrets.
            throw new ConfigError(`Config file ${path} is not valid JSON at ${jsonSyntaxError(text)}`);
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
            throw new ConfigError(`Config file ${path} must hold a JSON object`);
        }
        Object.assign(merged, parsed);
    }
    return merged;
}
//# sourceMappingURL=load.js.map