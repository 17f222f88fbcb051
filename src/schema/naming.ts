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
 * What the Hive metastore accepts as a schema or table name (MetaStoreUtils.validateName: Java's
 * `\w`, i.e. ASCII letters, digits and `_`). Iceberg's Hive catalog refuses anything else with
 * "Invalid Hive object"; the metastore folds case, so names that differ only in case are one table.
 */
export const HIVE_NAME = /^[A-Za-z0-9_]+$/;

/**
 * Letters without a Unicode decomposition whose ASCII spelling is obvious. Accented letters (ö, é,
 * ñ, ...) need no entry: canonical decomposition splits them into base letter + combining mark.
 * The list is fixed in the code rather than taken from a transliteration library on purpose: a
 * table's name must never change when a dependency is updated.
 */
const LETTERS: Record<string, string> = {
  ß: 'ss',
  ẞ: 'SS',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  ł: 'l',
  Ł: 'L',
  þ: 'th',
  Þ: 'TH',
  ı: 'i',
};

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
 * Pure: a valid Hive name for any text, upper case. Accents are dropped (`Größe` -> `GROSSE`,
 * `Übersicht` -> `UBERSICHT`), a few letters are spelled out (ß -> ss), every other character
 * outside `[A-Za-z0-9_]` becomes one `_`. Names that are already valid only change case, which
 * keeps the original target's names (`.`/`-` -> `_`, upper case) for every table it could create.
 */
export function hiveName(text: string): string {
  let out = '';
  for (const char of text.normalize('NFD')) {
    if (/[A-Za-z0-9_]/.test(char)) out += char;
    else if (/\p{M}/u.test(char)) continue; // a combining mark split off an accented letter
    else out += LETTERS[char] ?? '_';
  }
  return out.toUpperCase();
}

/** Table names keep the original target's convention (upper case) so tables it created keep receiving data. */
export function tableRefFor(stream: string, config: NamingConfig): TableRef {
  const { sourceSchema, table } = splitStreamName(stream);
  const mapped = sourceSchema !== undefined && config.schema_mapping && Object.hasOwn(config.schema_mapping, sourceSchema) ? config.schema_mapping[sourceSchema]?.target_schema : undefined;
  const schema = (mapped ?? config.default_target_schema)?.trim();
  if (!schema) {
    throw new InputError(
      `No target schema for this stream: set 'default_target_schema' or map source schema '${sourceSchema ?? ''}' in 'schema_mapping'`,
      { stream },
    );
  }
  if (table === '') throw new InputError('The stream name gives an empty table name', { stream });
  return { catalog: config.catalog, schema, table: hiveName(table) };
}

/**
 * Pure: the column name of a property, upper case as the original target created them, but only
 * where upper-casing keeps the letter: Spark finds a column by comparing names ignoring case
 * character by character (Java's equalsIgnoreCase), so `ß` must stay `ß` (`toUpperCase` spells it
 * `SS`, and `SELECT größe` would no longer find `GRÖSSE`). A character is upper-cased when its
 * upper case is one character that lower-cases back to the character's own lower case (`ö` -> `Ö`,
 * not `ß` -> `SS`, `ı` -> `I` or `ﬁ` -> `FI`); characters beyond the Basic Multilingual Plane are
 * kept as they are. ASCII names come out exactly as before.
 */
export function columnNameFor(property: string): string {
  let out = '';
  for (const char of property) {
    const upper = char.toUpperCase();
    out += upper.length === 1 && char.length === 1 && upper.toLowerCase() === char.toLowerCase() ? upper : char;
  }
  return out;
}

/**
 * Pure: the key under which Spark sees a column name: two names with the same key are one column
 * to Spark (names compared ignoring case one UTF-16 unit at a time, as Java's equalsIgnoreCase
 * does: a unit's upper case, then its lower case). Used to find a property's column among a
 * table's columns and to refuse properties that would share one.
 */
export function columnKey(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i += 1) {
    const unit = name[i]!;
    const upper = unit.toUpperCase();
    const folded = upper.length === 1 ? upper : unit;
    const lower = folded.toLowerCase();
    out += lower.length === 1 ? lower : folded;
  }
  return out;
}
