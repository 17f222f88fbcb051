import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { InputError } from '../errors.js';
import { isExactNumber } from '../singer/json.js';
// Both packages are CommonJS with default exports; under NodeNext they sit on .default.
const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;
/**
 * Compiles a stream schema into a validator that returns the first problem in words (field path
 * and rule), or undefined for a valid record. Taps add keywords of their own (`inclusion`, ...),
 * so unknown keywords are ignored.
 */
export function compileValidator(schema, stream) {
    // ownProperties: a record without `constructor` must not find Object.prototype's instead.
    const ajv = new Ajv({ allErrors: false, strict: false, validateFormats: true, ownProperties: true });
    addFormats(ajv);
    let validate;
    try {
        validate = ajv.compile(withoutBigInts(schema));
    }
    catch (e) {
        throw new InputError(`The stream schema cannot be used for validate_records: ${e.message}`, { stream });
    }
    return (record) => {
        if (validate(plainNumbers(record)))
            return undefined;
        const e = validate.errors?.[0];
        if (!e)
            return 'does not match the schema';
        const field = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(record)';
        return `field '${field}' ${e.message ?? 'is invalid'}`;
    };
}
/**
 * Records hold numbers no double keeps exactly as BigInt or ExactNumber (see singer/json.ts); the
 * validator knows only JS numbers, and as numbers they are checked the same way. Records without
 * such values are validated as they are (no copy).
 */
function plainNumbers(value) {
    if (typeof value === 'bigint' || isExactNumber(value))
        return Number(value);
    if (typeof value !== 'object' || value === null || !holdsExact(value))
        return value;
    if (Array.isArray(value))
        return value.map(plainNumbers);
    const out = {};
    for (const [k, v] of Object.entries(value))
        Object.defineProperty(out, k, { value: plainNumbers(v), enumerable: true, writable: true, configurable: true });
    return out;
}
function holdsExact(value) {
    if (typeof value === 'bigint' || isExactNumber(value))
        return true;
    if (typeof value !== 'object' || value === null)
        return false;
    return Object.values(value).some(holdsExact);
}
/**
 * Schema limits such as `maximum: 9223372036854775807` are parsed exactly (as BigInt), which the
 * validator does not accept; as limits, their nearest numbers do the same job.
 */
function withoutBigInts(value) {
    if (typeof value === 'bigint' || isExactNumber(value))
        return Number(value);
    if (Array.isArray(value))
        return value.map(withoutBigInts);
    if (value && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutBigInts(v)]));
    }
    return value;
}
//# sourceMappingURL=record-validator.js.map