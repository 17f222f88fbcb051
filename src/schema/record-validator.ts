import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from '../singer/messages.js';

// Both packages are CommonJS with default exports; under NodeNext they sit on .default.
const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;

export type Validate = (record: unknown) => string | undefined;

/**
 * Compiles a stream schema into a validator that returns the first problem in words (field path
 * and rule), or undefined for a valid record. Taps add keywords of their own (`inclusion`, ...),
 * so unknown keywords are ignored.
 */
export function compileValidator(schema: JsonSchema): Validate {
  const ajv = new Ajv({ allErrors: false, strict: false, validateFormats: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (record) => {
    if (validate(record)) return undefined;
    const e = validate.errors?.[0];
    if (!e) return 'does not match the schema';
    const field = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(record)';
    return `field '${field}' ${e.message ?? 'is invalid'}`;
  };
}
