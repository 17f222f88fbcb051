/**
 * The Meltano capabilities this target implements, in the Hub's spelling (its loader enum is
 * about, stream-maps, activate-version, batch, soft-delete, hard-delete, datatype-failsafe,
 * schema-flattening, target-schema, validate-records, structured-logging). Declared only when
 * implemented; `record-flattening` is the retired name of `schema-flattening` and is not in the enum.
 */
export declare const CAPABILITIES: readonly ["about", "activate-version", "batch", "datatype-failsafe", "hard-delete", "schema-flattening", "soft-delete", "stream-maps", "structured-logging", "target-schema", "validate-records"];
export type Capability = (typeof CAPABILITIES)[number];
