/**
 * The only two ways text enters SQL: identifiers through quoteIdentifier, literals through
 * quoteString. Spark SQL quotes identifiers with backticks (a backtick inside is doubled) and
 * string literals with single quotes (backslash is an escape character in Spark's lexer, so both
 * the quote and the backslash must be escaped).
 */
/** `name` as a Spark identifier, whatever characters it holds. */
export declare function quoteIdentifier(name: string): string;
/** A dotted path of identifiers, e.g. catalog.schema.table, each part quoted. */
export declare function qualifiedName(...parts: string[]): string;
/** `value` as a Spark string literal. */
export declare function quoteString(value: string): string;
