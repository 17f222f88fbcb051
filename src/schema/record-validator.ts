import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { InputError } from '../errors.js';
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
export function compileValidator(schema: JsonSchema, stream: string): Validate {
  const ajv = new Ajv({ allErrors: false, strict: false, validateFormats: true });
  addFormats(ajv);
  let validate: ReturnType<typeof ajv.compile>;
  try {
    validate = ajv.compile(withoutBigInts(schema) as JsonSchema);
  } catch (e) {
    throw new InputError(`The stream schema cannot be used for validate_records: ${(e as Error).message}`, { stream });
  }
  return (record) => {
    if (validate(record)) return undefined;
    const e = validate.errors?.[0];
    if (!e) return 'does not match the schema';
    const field = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(record)';
    return `field '${field}' ${e.message ?? 'is invalid'}`;
  };
}

/**
 * Schema limits such as `maximum: 9223372036854775807` are parsed exactly (as BigInt), which the
 * validator does not accept; as limits, their nearest numbers do the same job.
 */
function withoutBigInts(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(withoutBigInts);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutBigInts(v)]));
  }
  return value;
}
