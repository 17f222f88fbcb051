import jsep from 'jsep';

/**
 * Stream-map expressions are Python expressions (the Meltano SDK evaluates them with simpleeval).
 * jsep is a small, maintained, dependency-free expression parser that never evaluates anything;
 * configured with Python's word operators and literals it reads the Python subset that stream maps
 * use. Its tree is then converted into the closed node set below, so the evaluator only ever sees
 * nodes it knows, and anything else (JS-only syntax, `this`, sequences) is rejected at parse time.
 *
 * jsep's operator tables are process-wide; nothing else in the target uses jsep.
 */

type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '|' | '&' | '^' | '<<' | '>>';
type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';

export type Expr =
  | { kind: 'literal'; value: string | number | boolean | null; float?: boolean }
  | { kind: 'name'; name: string }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'attribute'; object: Expr; name: string }
  | { kind: 'index'; object: Expr; index: Expr }
  | { kind: 'call'; callee: Expr; args: Expr[] }
  | { kind: 'unary'; op: 'not' | '-' | '+' | '~'; operand: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'bool'; op: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'compare'; op: CompareOp; left: Expr; right: Expr }
  | { kind: 'conditional'; test: Expr; then: Expr; otherwise: Expr };

/** An expression that cannot be parsed or uses syntax stream maps do not support. */
export class ExpressionSyntaxError extends Error {}

/** Longest expression accepted: stream maps are one-liners; this bounds parser recursion. */
const MAX_EXPRESSION_LENGTH = 10_000;

// Precedences follow Python (higher binds tighter); `if`/`else` sit below `or` so that
// `a if c else b` parses as `(a if c) else b`, which `convert` turns into a conditional.
const PYTHON_BINARY_OPS: Record<string, number> = {
  else: 0.3,
  if: 0.4,
  or: 1,
  and: 2,
  in: 6,
  'not in': 6,
  is: 6,
  'is not': 6,
  '==': 6,
  '!=': 6,
  '<': 6,
  '<=': 6,
  '>': 6,
  '>=': 6,
  '|': 7,
  '^': 8,
  '&': 9,
  '<<': 10,
  '>>': 10,
  '+': 11,
  '-': 11,
  '*': 12,
  '/': 12,
  '//': 12,
  '%': 12,
  '**': 14,
};
const COMPARE_OPS = new Set<string>(['==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is', 'is not']);
const ARITHMETIC_OPS = new Set<string>(['+', '-', '*', '/', '//', '%', '**', '|', '&', '^', '<<', '>>']);
/** `not` binds looser than comparisons and arithmetic; jsep's unary operators bind tightest. */
const NOT_PRECEDENCE = 5;

let configured = false;

function configureJsep(): void {
  if (configured) return;
  configured = true;
  jsep.removeAllBinaryOps();
  jsep.removeAllUnaryOps();
  jsep.removeAllLiterals();
  for (const [op, precedence] of Object.entries(PYTHON_BINARY_OPS)) jsep.addBinaryOp(op, precedence, op === 'else' || op === '**');
  for (const op of ['not', '-', '+', '~']) jsep.addUnaryOp(op);
  jsep.addLiteral('True', true);
  jsep.addLiteral('False', false);
  jsep.addLiteral('None', null);
  // `this` is an ordinary name in Python; no identifier can equal the empty string.
  (jsep as unknown as { this_str: string }).this_str = '';
  (jsep as unknown as { Jsep: { this_str: string } }).Jsep.this_str = '';
}

/** Parses one stream-map expression. Throws ExpressionSyntaxError with a short reason. */
export function parseExpression(source: string): Expr {
  if (source.length > MAX_EXPRESSION_LENGTH) throw new ExpressionSyntaxError(`expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  if (source.trim() === '') throw new ExpressionSyntaxError('expression is empty');
  configureJsep();
  let tree: jsep.Expression;
  try {
    tree = jsep(source);
  } catch (e) {
    if (e instanceof RangeError) throw new ExpressionSyntaxError(NESTED_TOO_DEEPLY);
    throw new ExpressionSyntaxError((e as Error).message);
  }
  return convert(tree, 0);
}

/** Deepest tree accepted: real expressions nest a few levels; this keeps evaluation off the stack limit. */
const MAX_EXPRESSION_DEPTH = 100;
const NESTED_TOO_DEEPLY = `expression is nested more than ${MAX_EXPRESSION_DEPTH} levels deep`;

function convert(node: jsep.Expression, depth: number): Expr {
  if (depth > MAX_EXPRESSION_DEPTH) throw new ExpressionSyntaxError(NESTED_TOO_DEEPLY);
  const down = (child: jsep.Expression) => convert(child, depth + 1);
  switch (node.type) {
    case 'Literal': {
      const literal = node as jsep.Literal;
      const value = literal.value;
      if (typeof value === 'number') return { kind: 'literal', value, float: /[.eE]/.test(literal.raw) };
      if (typeof value === 'string' || typeof value === 'boolean' || value === null) return { kind: 'literal', value };
      throw new ExpressionSyntaxError(`unsupported literal ${literal.raw}`);
    }
    case 'Identifier':
      return { kind: 'name', name: (node as jsep.Identifier).name };
    case 'ArrayExpression':
      return {
        kind: 'list',
        items: (node as jsep.ArrayExpression).elements.map((item) => {
          if (item === null) throw new ExpressionSyntaxError('empty item in a list');
          return down(item);
        }),
      };
    case 'MemberExpression': {
      const member = node as jsep.MemberExpression;
      if (member.optional) throw new ExpressionSyntaxError("'?.' is not Python syntax");
      if (member.computed) return { kind: 'index', object: down(member.object), index: down(member.property) };
      if (member.property.type !== 'Identifier') throw new ExpressionSyntaxError('attribute name expected after "."');
      return { kind: 'attribute', object: down(member.object), name: (member.property as jsep.Identifier).name };
    }
    case 'CallExpression': {
      const call = node as jsep.CallExpression;
      return { kind: 'call', callee: down(call.callee), args: call.arguments.map(down) };
    }
    case 'UnaryExpression': {
      const unary = node as jsep.UnaryExpression;
      return { kind: 'unary', op: unary.operator as 'not' | '-' | '+' | '~', operand: down(unary.argument) };
    }
    case 'BinaryExpression':
      return binary(node as jsep.BinaryExpression, depth);
    case 'ConditionalExpression':
      throw new ExpressionSyntaxError("'c ? a : b' is not Python syntax; write 'a if c else b'");
    case 'Compound':
    case 'SequenceExpression':
      throw new ExpressionSyntaxError('one expression expected (no "," or ";" between expressions)');
    case 'ThisExpression':
      return { kind: 'name', name: 'this' };
    default:
      throw new ExpressionSyntaxError(`unsupported syntax (${node.type})`);
  }
}

function binary(node: jsep.BinaryExpression, depth: number): Expr {
  const down = (child: jsep.Expression) => convert(child, depth + 1);
  const op = node.operator;
  if (op === 'if') throw new ExpressionSyntaxError("'if' without 'else'; write 'a if condition else b'");
  if (op === 'else') {
    const left = node.left as jsep.BinaryExpression;
    if (left.type !== 'BinaryExpression' || left.operator !== 'if') throw new ExpressionSyntaxError("'else' without 'if'; write 'a if condition else b'");
    return { kind: 'conditional', then: down(left.left), test: down(left.right), otherwise: down(node.right) };
  }
  const left = down(node.left);
  const right = down(node.right);
  // jsep gives `not` the tight binding of unary operators: `not a == b` arrives as `(not a) == b`.
  // Python reads `not (a == b)`, so a `not` on the left of a tighter operator is moved outwards.
  if (left.kind === 'unary' && left.op === 'not' && PYTHON_BINARY_OPS[op]! > NOT_PRECEDENCE) {
    return { kind: 'unary', op: 'not', operand: rebuild(op, left.operand, right) };
  }
  // Likewise Python's `**` binds tighter than a unary sign on its left: `-2 ** 2` is -4.
  if (op === '**' && left.kind === 'unary' && left.op !== 'not') return { ...left, operand: rebuild(op, left.operand, right) };
  return rebuild(op, left, right);
}

function rebuild(op: string, left: Expr, right: Expr): Expr {
  if (op === 'and' || op === 'or') return { kind: 'bool', op, left, right };
  if (COMPARE_OPS.has(op)) return { kind: 'compare', op: op as CompareOp, left, right };
  if (ARITHMETIC_OPS.has(op)) return { kind: 'binary', op: op as BinaryOp, left, right };
  throw new ExpressionSyntaxError(`unsupported operator '${op}'`);
}
