/**
 * Stream-map expressions are Python expressions (the Meltano SDK evaluates them with simpleeval).
 * jsep is a small, maintained, dependency-free expression parser that never evaluates anything;
 * configured with Python's word operators and literals it reads the Python subset that stream maps
 * use. Its tree is then converted into the closed node set below, so the evaluator only ever sees
 * nodes it knows, and anything else (JS-only syntax, `this`, sequences) is rejected at parse time.
 *
 * jsep's operator tables are process-wide; nothing else in the target uses jsep.
 */
export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '|' | '&' | '^' | '<<' | '>>';
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';
export type Expr = {
    kind: 'literal';
    value: string | number | boolean | null;
    float?: boolean;
} | {
    kind: 'name';
    name: string;
} | {
    kind: 'list';
    items: Expr[];
} | {
    kind: 'attribute';
    object: Expr;
    name: string;
} | {
    kind: 'index';
    object: Expr;
    index: Expr;
} | {
    kind: 'call';
    callee: Expr;
    args: Expr[];
} | {
    kind: 'unary';
    op: 'not' | '-' | '+' | '~';
    operand: Expr;
} | {
    kind: 'binary';
    op: BinaryOp;
    left: Expr;
    right: Expr;
} | {
    kind: 'bool';
    op: 'and' | 'or';
    left: Expr;
    right: Expr;
} | {
    kind: 'compare';
    op: CompareOp;
    left: Expr;
    right: Expr;
} | {
    kind: 'conditional';
    test: Expr;
    then: Expr;
    otherwise: Expr;
};
/** An expression that cannot be parsed or uses syntax stream maps do not support. */
export declare class ExpressionSyntaxError extends Error {
}
/** Longest expression accepted: stream maps are one-liners; this bounds parser recursion. */
export declare const MAX_EXPRESSION_LENGTH = 10000;
/** Parses one stream-map expression. Throws ExpressionSyntaxError with a short reason. */
export declare function parseExpression(source: string): Expr;
/** Deepest tree accepted: real expressions nest a few levels; this keeps evaluation off the stack limit. */
export declare const MAX_EXPRESSION_DEPTH = 100;
