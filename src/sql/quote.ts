/**
 * The only two ways text enters SQL: identifiers through quoteIdentifier, literals through
 * quoteString. Spark SQL quotes identifiers with backticks (a backtick inside is doubled) and
 * string literals with single quotes (backslash is an escape character in Spark's lexer, so both
 * the quote and the backslash must be escaped).
 */

/** `name` as a Spark identifier, whatever characters it holds. */
export function quoteIdentifier(name: string): string {
  if (name.length === 0) throw new Error('An SQL identifier cannot be empty');
  return '`' + name.replace(/`/g, '``') + '`';
}

/** A dotted path of identifiers, e.g. catalog.schema.table, each part quoted. */
export function qualifiedName(...parts: string[]): string {
  return parts.map(quoteIdentifier).join('.');
}

const LITERAL_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\0': '\\0',
};

/** `value` as a Spark string literal. */
export function quoteString(value: string): string {
  return "'" + value.replace(/[\\'\n\r\t\0]/g, (c) => LITERAL_ESCAPES[c] ?? c) + "'";
}
