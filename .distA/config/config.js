import AjvModule from 'ajv';
import { ConfigError } from '../errors.js';
import { HIVE_NAME } from '../schema/naming.js';
import { streamMapProblems } from '../mapping/stream-mapper.js';
import { resolveFlattening } from './flattening.js';
import { configSchema } from './schema.js';
import { SETTINGS, namesOf } from './settings.js';
// ajv is published as CommonJS with a default export; under NodeNext the class sits on .default.
const Ajv = AjvModule.default;
/**
 * Folds aliases into canonical names, fills defaults and validates. Every problem is reported at
 * once in one ConfigError, so a user fixes the config in one round.
 */
export function resolveConfig(raw) {
    const problems = [];
    const canonical = {};
    const known = new Set();
    for (const spec of SETTINGS) {
        const given = namesOf(spec).filter((n) => raw[n] !== undefined && raw[n] !== null);
        given.forEach((n) => known.add(n));
        if (given.length > 1) {
            const values = new Set(given.map((n) => JSON.stringify(raw[n])));
            if (values.size > 1)
                problems.push(`'${given.join("' and '")}' name the same setting with different values; keep one`);
        }
        const first = given[0];
        if (first !== undefined)
            canonical[spec.name] = raw[first];
        else if (spec.default !== undefined)
            canonical[spec.name] = structuredClone(spec.default);
    }
    const unknownKeys = Object.keys(raw).filter((k) => !known.has(k) && !SETTINGS.some((s) => namesOf(s).includes(k)));
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(configSchema());
    if (!validate(canonical)) {
        // The branches of "default_target_schema or schema_mapping" fail with it; their own
        // `required` errors would repeat the one problem three times.
        for (const e of validate.errors ?? [])
            if (!e.schemaPath.startsWith('#/anyOf/'))
                problems.push(describeAjvError(e));
    }
    const schemaName = canonical.default_target_schema;
    if (typeof schemaName === 'string' && schemaName.trim() === '') {
        problems.push("'default_target_schema' is empty; name the schema the tables go to");
    }
    problems.push(...schemaNameProblems(canonical));
    const flattening = resolveFlattening(raw);
    problems.push(...flattening.problems);
    canonical.data_flattening_max_level = flattening.depth;
    if (canonical.stream_maps !== undefined || canonical.stream_map_config !== undefined) {
        problems.push(...streamMapProblems(canonical));
    }
    if (problems.length > 0) {
        const unique = [...new Set(problems)];
        throw new ConfigError(`Invalid configuration: ${unique.join('; ')}`, { problems: unique.map((p) => `Invalid configuration: ${p}`) });
    }
    return { config: canonical, unknownKeys, warnings: flattening.warnings };
}
/**
 * Target schemas are created in the Hive metastore, which takes only ASCII letters, digits and `_`;
 * a bad name would otherwise fail only at the first table, after the tap has started. The value
 * itself is not repeated (configuration values are never printed).
 */
function schemaNameProblems(canonical) {
    const problems = [];
    const check = (value, key) => {
        if (typeof value === 'string' && value.trim() !== '' && !HIVE_NAME.test(value.trim())) {
            problems.push(`'${key}' is not a valid schema name: use only ASCII letters, digits and '_' (the Hive metastore refuses other characters)`);
        }
    };
    check(canonical.default_target_schema, 'default_target_schema');
    const mapping = canonical.schema_mapping;
    if (mapping && typeof mapping === 'object' && !Array.isArray(mapping)) {
        for (const [source, entry] of Object.entries(mapping)) {
            if (entry && typeof entry === 'object')
                check(entry.target_schema, `schema_mapping.${source}.target_schema`);
        }
    }
    return problems;
}
function describeAjvError(e) {
    const key = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    switch (e.keyword) {
        case 'required':
            return `'${String(e.params.missingProperty)}' is required`;
        case 'anyOf':
            return "set 'default_target_schema' (a schema name) or 'schema_mapping' (an object) so every stream has a target schema";
        case 'minLength':
            return `'${key}' is empty`;
        case 'enum':
            return `'${key}' must be one of ${e.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
        default:
            return `'${key}' ${e.message ?? 'is invalid'}`;
    }
}
//# sourceMappingURL=config.js.map