/**
 * Where JSON text is broken, as "line L, column C: <what>", without quoting any of the text.
 * Node's own JSON.parse messages quote the text around the error, which would put passwords
 * (config files) or record values (input lines, batch files) into logs.
 */
export declare function jsonSyntaxError(text: string): string;
