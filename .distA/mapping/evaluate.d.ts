import type { Expr } from './expression.js';
import { type PyValue } from './values.js';
/**
 * Evaluates a parsed stream-map expression over one record. Only the node kinds of `Expr` exist,
 * names resolve through `Scope` (a Map, never an object's prototype chain), and the only callables
 * are the whitelisted builtins, so an expression can reach nothing of the Node runtime.
 */
export interface Scope {
    /** Variables: record properties, `record`, `_`, `config`, `self`. */
    readonly names: {
        get(name: string): PyValue | undefined;
    };
}
export declare function evaluate(expr: Expr, scope: Scope): PyValue;
