import { type SettingSpec } from './settings.js';
/** JSON Schema (draft 2019-09 subset that ajv and Meltano both read) for one setting. */
export declare function settingSchema(spec: SettingSpec): Record<string, unknown>;
/**
 * The schema of a resolved config (aliases already folded into canonical names). Unknown keys are
 * allowed so configs written for newer versions still run; they are reported as warnings.
 */
export declare const REQUIRED_SETTINGS: readonly ["host", "lakehouse", "user", "password", "s3_bucket"];
export declare function configSchema(): Record<string, unknown>;
