import { InputError } from '../errors.js';
import { flattenSchema, flattenedKey } from './flatten.js';
import { columnNameFor } from './naming.js';
import { resolveSchema } from './resolve-schema.js';
import { decimalParts, fractionDigits, integerDigits } from '../singer/decimal-text.js';
/** Spark's widest exact decimal; every decimal column gets it, so a narrower schema later never needs a change. */
export const DECIMAL_PRECISION = 38;
const KIND_TYPES = {
    integer: 'BIGINT',
    number: 'DOUBLE',
    boolean: 'BOOLEAN',
    string: 'STRING',
    timestamp: 'TIMESTAMP',
    date: 'DATE',
    json: 'STRING',
};
export function decimalType(scale) {
    return `DECIMAL(${DECIMAL_PRECISION},${scale})`;
}
function typesOf(schema, info = { types: new Set(), stringFormats: new Set() }) {
    const own = new Set();
    const add = (t) => {
        if (typeof t === 'string' && t !== 'null')
            own.add(t);
    };
    if (Array.isArray(schema.type))
        schema.type.forEach(add);
    else
        add(schema.type);
    own.forEach((t) => info.types.add(t));
    if (own.has('string'))
        info.stringFormats.add(typeof schema.format === 'string' ? schema.format : undefined);
    if ((own.has('number') || own.has('integer')) && info.numberSchema === undefined && schema.multipleOf !== undefined)
        info.numberSchema = schema;
    for (const option of [...arrayOf(schema.anyOf), ...arrayOf(schema.oneOf)])
        typesOf(option, info);
    return info;
}
function arrayOf(value) {
    return Array.isArray(value) ? value : [];
}
/**
 * Chooses how a property is stored. Mixed types fall back to STRING so no value is rejected;
 * objects and arrays are kept whole as JSON text. A date-time is a TIMESTAMP only when every
 * string it may be is a date-time: `anyOf [date-time, string]` also allows `"n/a"`, so it is text.
 */
export function valueKindFor(schema) {
    const { types, stringFormats, numberSchema } = typesOf(schema);
    if (types.has('object') || types.has('array'))
        return 'json';
    const numeric = types.size > 0 && [...types].every((t) => t === 'integer' || t === 'number');
    if (numeric && types.has('number'))
        return decimalScale(numberSchema) !== undefined ? 'decimal' : 'number';
    if (types.size > 1)
        return 'string';
    const [only] = types;
    switch (only) {
        case 'integer':
            return 'integer';
        case 'boolean':
            return 'boolean';
        case 'string': {
            const [format] = stringFormats;
            if (stringFormats.size !== 1)
                return 'string';
            if (format === 'date-time')
                return 'timestamp';
            if (format === 'date')
                return 'date';
            return 'string';
        }
        default:
            return 'string';
    }
}
/**
 * The scale of a decimal column, or undefined for a DOUBLE. A `number` with `multipleOf` has
 * exact values: `multipleOf: 0.01` gives scale 2 (the digits after the point of multipleOf). The
 * column is DECIMAL(38, scale) unless `maximum`/`minimum` (or their exclusive forms) allow more
 * integer digits than the 38 - scale left, as for PostgreSQL's unconstrained `numeric`
 * (multipleOf 1e-38, maximum 1e38): no exact Spark type holds those, so they stay DOUBLE.
 */
export function decimalScale(schema) {
    if (schema === undefined)
        return undefined;
    const step = decimalParts(String(schema.multipleOf));
    if (!step || step.digits === '' || step.negative)
        return undefined;
    const scale = fractionDigits(step);
    if (scale > DECIMAL_PRECISION)
        return undefined;
    let integer = 0;
    for (const keyword of ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum']) {
        const bound = schema[keyword];
        if (typeof bound === 'boolean' || bound === undefined)
            continue;
        const parts = decimalParts(String(bound));
        if (!parts)
            continue;
        // An exclusive bound of 10^k needs k integer digits, an inclusive one k + 1.
        const exclusive = keyword.startsWith('exclusive') || schema[keyword.includes('aximum') ? 'exclusiveMaximum' : 'exclusiveMinimum'] === true;
        const powerOfTen = parts.digits === '1';
        integer = Math.max(integer, integerDigits(parts) - (exclusive && powerOfTen ? 1 : 0));
    }
    return integer + scale > DECIMAL_PRECISION ? undefined : scale;
}
export function columnOf(path, kind, scale = 0, maxKeyLength) {
    const property = flattenedKey(path, maxKeyLength);
    const name = columnNameFor(property);
    if (kind === 'decimal')
        return { property, path, name, type: decimalType(scale), kind, scale };
    return { property, path, name, type: KIND_TYPES[kind], kind };
}
/** The column of one property schema. */
export function columnFor(path, schema, maxKeyLength) {
    const kind = valueKindFor(schema);
    return columnOf(path, kind, kind === 'decimal' ? decimalScale(typesOf(schema).numberSchema) : 0, maxKeyLength);
}
/** The table columns of a stream schema, in the order the tap lists its properties. */
export function columnsFor(schema, stream, flatteningMaxLevel = 0, line, flatteningMaxKeyLength) {
    const where = line === undefined ? { stream } : { line, stream };
    const columns = [];
    const byName = new Map();
    for (const { path, schema: propertySchema } of flattenSchema(resolveSchema(schema, where), flatteningMaxLevel)) {
        if (path.some((step) => step === '')) {
            throw new InputError(`The stream schema has a property with an empty name${path.length > 1 ? ` inside '${path.slice(0, -1).join('.')}'` : ''}; a column needs a name, rename it in the tap`, where);
        }
        const column = columnFor(path, propertySchema, flatteningMaxKeyLength);
        const clash = byName.get(column.name);
        if (clash !== undefined) {
            throw new InputError(`Properties '${clash}' and '${column.property}' both map to column ${column.name} (Spark column names are case-insensitive); rename one in the tap`, where);
        }
        byName.set(column.name, column.property);
        columns.push(column);
    }
    if (columns.length === 0)
        throw new InputError('The stream schema has no properties, so its table would have no columns', where);
    return columns;
}
//# sourceMappingURL=columns.js.map