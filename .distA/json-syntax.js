import { parse, printParseErrorCode } from 'jsonc-parser';
/**
 * Where JSON text is broken, as "line L, column C: <what>", without quoting any of the text.
 * Node's own JSON.parse messages quote the text around the error, which would put passwords
 * (config files) or record values (input lines, batch files) into logs.
 */
export function jsonSyntaxError(text) {
    const errors = [];
    parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    if (!first)
        return 'not valid JSON';
    const before = text.slice(0, first.offset);
    const line = before.split('\n').length;
    const column = first.offset - before.lastIndexOf('\n');
    return `line ${line}, column ${column}: ${describe(printParseErrorCode(first.error))}`;
}
/** jsonc-parser's codes (e.g. 'PropertyNameExpected') as words. */
function describe(code) {
    return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
//# sourceMappingURL=json-syntax.js.map