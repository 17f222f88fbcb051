import { REQUIRED_SETTINGS, SETTINGS, type SettingSpec } from './settings.js';

/** JSON Schema (draft 2019-09 subset that ajv and Meltano both read) for one setting. */
function settingSchema(spec: SettingSpec): Record<string, unknown> {
  const schema: Record<string, unknown> = {
    type: spec.kind,
    title: spec.title,
    description: spec.description,
  };
  if (spec.default !== undefined) schema.default = spec.default;
  if (spec.enum) schema.enum = [...spec.enum];
  if (spec.minimum !== undefined) schema.minimum = spec.minimum;
  if (spec.secret) {
    schema.secret = true;
    schema.writeOnly = true;
  }
  return { ...schema, ...spec.schema };
}

/**
 * The schema of a resolved config (aliases already folded into canonical names). Unknown keys are
 * allowed so configs written for newer versions still run; they are reported as warnings.
 */
export function configSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const spec of SETTINGS) {
    const schema = settingSchema(spec);
    // A required text setting given as "" is as missing as no setting (an empty token only fails later, with HTTP 401).
    if (spec.required === true && spec.kind === 'string') schema.minLength = 1;
    properties[spec.name] = schema;
  }
  return {
    type: 'object',
    properties,
    required: [...REQUIRED_SETTINGS],
    anyOf: [
      { required: ['default_target_schema'] },
      { required: ['schema_mapping'] },
    ],
    additionalProperties: true,
  };
}
