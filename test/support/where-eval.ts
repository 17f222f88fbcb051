/**
 * A small evaluator of the predicates maintenance gives `rewrite_data_files` (sql/compaction-filter.ts)
 * over one row, for the in-memory lakehouse: backquoted columns, integer and string literals
 * (Spark's escapes), `=`, `<`, `<=`, `>`, `>=`, `IN (...)`, `BETWEEN ... AND ...`, `IS NULL`,
 * `startswith(...)`, `AND`, `OR`, `NOT` and parentheses, with SQL's three-valued logic. Anything else is an error:
 * a predicate the fake cannot read is a finding, not a match. Literals that are function calls
 * (TIMESTAMP_MICROS(n), DATE_FROM_UNIX_DATE(n)) evaluate to their integer argument, as the fake
 * keeps such columns as numbers.
 */
export type SqlValue = bigint | string | null;

const TOKEN = /\s*(?:(`(?:[^`]|``)*`)|('(?:[^'\\]|\\.)*')|(-?\d+)|(>=|<=|<>|!=|[=<>(),])|([A-Za-z_]\w*))/y;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0' };

type Token = { kind: 'column'; text: string } | { kind: 'string'; text: string } | { kind: 'number'; value: bigint } | { kind: 'op'; text: string } | { kind: 'word'; text: string };

function tokens(where: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < where.length) {
    if (/^\s*$/.test(where.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(where);
    if (!m) throw new Error(`cannot read the predicate at ${at}: ${where.slice(at, at + 40)}`);
    if (m[1]) out.push({ kind: 'column', text: m[1].slice(1, -1).replace(/``/g, '`') });
    else if (m[2]) out.push({ kind: 'string', text: m[2].slice(1, -1).replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c) });
    else if (m[3]) out.push({ kind: 'number', value: BigInt(m[3]) });
    else if (m[4]) out.push({ kind: 'op', text: m[4] });
    else out.push({ kind: 'word', text: m[5]!.toUpperCase() });
  }
  return out;
}

/** True, false or unknown (null), as SQL. */
type Truth = boolean | null;
const and = (a: Truth, b: Truth): Truth => (a === false || b === false ? false : a === null || b === null ? null : true);
const or = (a: Truth, b: Truth): Truth => (a === true || b === true ? true : a === null || b === null ? null : false);

function compare(a: SqlValue, b: SqlValue): number | null {
  if (a === null || b === null) return null;
  if (typeof a !== typeof b) throw new Error(`compares ${typeof a} with ${typeof b}`);
  if (typeof a === 'string') return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b as string, 'utf8'));
  return a < (b as bigint) ? -1 : a > (b as bigint) ? 1 : 0;
}

/** Whether `row` (columns by name, compared ignoring case as Spark does) satisfies `where`: only true selects it. */
export function satisfies(where: string, row: Readonly<Record<string, SqlValue>>): boolean {
  const ts = tokens(where);
  let i = 0;
  const peek = () => ts[i];
  const isWord = (w: string) => peek()?.kind === 'word' && (peek() as { text: string }).text === w;
  const isOp = (o: string) => peek()?.kind === 'op' && (peek() as { text: string }).text === o;
  const expect = (check: boolean, what: string) => {
    if (!check) throw new Error(`expected ${what} at token ${i} of: ${where}`);
    i += 1;
  };
  const columns = new Map(Object.entries(row).map(([k, v]) => [k.toLowerCase(), v]));

  const value = (): SqlValue => {
    const t = peek();
    i += 1;
    if (t?.kind === 'number') return t.value;
    if (t?.kind === 'string') return t.text;
    if (t?.kind === 'word' && t.text === 'NULL') return null;
    if (t?.kind === 'column') {
      if (!columns.has(t.text.toLowerCase())) throw new Error(`unknown column ${t.text} in: ${where}`);
      return columns.get(t.text.toLowerCase())!;
    }
    if (t?.kind === 'word' && (t.text === 'TIMESTAMP_MICROS' || t.text === 'DATE_FROM_UNIX_DATE')) {
      expect(isOp('('), '(');
      const v = value();
      expect(isOp(')'), ')');
      return v;
    }
    throw new Error(`expected a value at token ${i - 1} of: ${where}`);
  };

  const predicate = (): Truth => {
    if (isOp('(')) {
      i += 1;
      const inner = disjunction();
      expect(isOp(')'), ')');
      return inner;
    }
    if (isWord('NOT')) {
      i += 1;
      const inner = predicate();
      return inner === null ? null : !inner;
    }
    if (isWord('STARTSWITH')) {
      i += 1;
      expect(isOp('('), '(');
      const text = value();
      expect(isOp(','), ',');
      const prefix = value();
      expect(isOp(')'), ')');
      if (text === null || prefix === null) return null;
      if (typeof text !== 'string' || typeof prefix !== 'string') throw new Error(`startswith of ${typeof text} and ${typeof prefix}`);
      return text.startsWith(prefix);
    }
    const left = value();
    if (isWord('IS')) {
      i += 1;
      const negated = isWord('NOT');
      if (negated) i += 1;
      expect(isWord('NULL'), 'NULL');
      return (left === null) !== negated;
    }
    if (isWord('IN')) {
      i += 1;
      expect(isOp('('), '(');
      let result: Truth = false;
      for (;;) {
        const c = compare(left, value());
        result = or(result, c === null ? null : c === 0);
        if (isOp(')')) break;
        expect(isOp(','), ',');
      }
      i += 1;
      return result;
    }
    if (isWord('BETWEEN')) {
      i += 1;
      const low = value();
      expect(isWord('AND'), 'AND');
      const high = value();
      const a = compare(left, low);
      const b = compare(left, high);
      return and(a === null ? null : a >= 0, b === null ? null : b <= 0);
    }
    const op = peek();
    expect(op?.kind === 'op' && ['=', '<', '<=', '>', '>=', '<>', '!='].includes(op.text), 'a comparison');
    const c = compare(left, value());
    if (c === null) return null;
    switch ((op as { text: string }).text) {
      case '=':
        return c === 0;
      case '<':
        return c < 0;
      case '<=':
        return c <= 0;
      case '>':
        return c > 0;
      case '>=':
        return c >= 0;
      default:
        return c !== 0;
    }
  };
  /** Operands of `word` (AND, OR) from left to right. */
  const chain = (word: string, operand: () => Truth, combine: (a: Truth, b: Truth) => Truth) => (): Truth => {
    let result = operand();
    while (isWord(word)) {
      i += 1;
      result = combine(result, operand());
    }
    return result;
  };
  const disjunction = chain('OR', chain('AND', predicate, and), or);
  const result = disjunction();
  if (i !== ts.length) throw new Error(`unexpected token ${i} of: ${where}`);
  return result === true;
}
