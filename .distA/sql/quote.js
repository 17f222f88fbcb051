/**
 * The only two ways text enters SQL: identifiers through quoteIdentifier, literals through
 * quoteString. Spark SQL quotes identifiers with backticks (a backtick inside is doubled) and
 * string literals with single quotes (backslash is an escape character in Spark's lexer, so both
 * the quote and the backslash must be escaped).
 */
/** `name` as a Spark identifier, whatever characters it holds. */
export function quoteIdentifier(name) {
    if (name.length === 0)
        throw new Error('An SQL identifier cannot be empty');
    return '`' + name.replace(/`/g, '``') + '`';
}
/** A dotted path of identifiers, e.g. catalog.schema.table, each part quoted. */
export function qualifiedName(...parts) {
    return parts.map(quoteIdentifier).join('.');
}
const LITERAL_ESCAPES = {
    '\\': '\\\\',
    "'": "\\'",
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\0': '\\0',
};
/** `value` as a Spark string literal. */
export function quoteString(value) {
    return "'" + value.replace(/[\\'\n\r\t\0]/g, (c) => LITERAL_ESCAPES[c] ?? c) + "'";
}
//# sourceMappingURL=quote.js.map