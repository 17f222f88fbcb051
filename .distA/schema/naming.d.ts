/** Where a stream's rows land. Names are unquoted here; sql/quote.ts quotes them when SQL is built. */
export interface TableRef {
    catalog: string;
    schema: string;
    table: string;
}
export interface NamingConfig {
    catalog: string;
    default_target_schema?: string;
    schema_mapping?: Record<string, {
        target_schema: string;
    }>;
}
/**
 * What the Hive metastore accepts as a schema or table name (MetaStoreUtils.validateName: Java's
 * `\w`, i.e. ASCII letters, digits and `_`). Iceberg's Hive catalog refuses anything else with
 * "Invalid Hive object"; the metastore folds case, so names that differ only in case are one table.
 */
export declare const HIVE_NAME: RegExp;
/**
 * Splits a Singer stream name the way taps name them: `table`, `schema-table`, or
 * `catalog-schema-table...` (the rest joined with `_`). The schema part selects the target schema
 * through `schema_mapping`.
 */
export declare function splitStreamName(stream: string): {
    sourceSchema?: string;
    table: string;
};
/**
 * Pure: a valid Hive name for any text, upper case. Accents are dropped (`Größe` -> `GROSSE`,
 * `Übersicht` -> `UBERSICHT`), a few letters are spelled out (ß -> ss), every other character
 * outside `[A-Za-z0-9_]` becomes one `_`. Names that are already valid only change case, which
 * keeps the original target's names (`.`/`-` -> `_`, upper case) for every table it could create.
 */
export declare function hiveName(text: string): string;
/** Table names keep the original target's convention (upper case) so tables it created keep receiving data. */
export declare function tableRefFor(stream: string, config: NamingConfig): TableRef;
/** Column names are the property names upper-cased, as the original target created them (Spark column names are free text). */
export declare function columnNameFor(property: string): string;
