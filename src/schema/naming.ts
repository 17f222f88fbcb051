import { InputError } from '../errors.js';

/** Where a stream's rows land. Names are unquoted here; sql/quote.ts quotes them when SQL is built. */
export interface TableRef {
  catalog: string;
  schema: string;
  table: string;
}

export interface NamingConfig {
  catalog: string;
  default_target_schema?: string;
  schema_mapping?: Record<string, { target_schema: string }>;
}

/**
 * Splits a Singer stream name the way taps name them: `table`, `schema-table`, or
 * `catalog-schema-table...` (the rest joined with `_`). The schema part selects the target schema
 * through `schema_mapping`.
 */
export function splitStreamName(stream: string): { sourceSchema?: string; table: string } {
  const parts = stream.split('-');
  if (parts.length === 1) return { table: stream };
  if (parts.length === 2) return { sourceSchema: parts[0], table: parts[1] ?? '' };
  return { sourceSchema: parts[1], table: parts.slice(2).join('_') };
}

/**
 * Table names keep the original target's convention (dots and dashes become `_`, upper case) so
 * tables it created keep receiving data.
 */
export function tableRefFor(stream: string, config: NamingConfig): TableRef {
  const { sourceSchema, table } = splitStreamName(stream);
  const mapped = sourceSchema !== undefined ? config.schema_mapping?.[sourceSchema]?.target_schema : undefined;
  const schema = (mapped ?? config.default_target_schema)?.trim();
  if (!schema) {
    throw new InputError(
      `No target schema for this stream: set 'default_target_schema' or map source schema '${sourceSchema ?? ''}' in 'schema_mapping'`,
      { stream },
    );
  }
  const tableName = table.replace(/[.-]/g, '_').toUpperCase();
  if (tableName === '') throw new InputError('The stream name gives an empty table name', { stream });
  return { catalog: config.catalog, schema, table: tableName };
}

/** Column names are the property names upper-cased, as the original target created them. */
export function columnNameFor(property: string): string {
  return property.toUpperCase();
}
