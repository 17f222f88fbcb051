import { FUNCTIONS, attribute } from './builtins.js';
import { PyCallable, arithmetic, compare, contains, equals, fail, isDict, isNumeric, negate, normalizeInt, ownValue, truthy, typeName, } from './values.js';
export function evaluate(expr, scope) {
    switch (expr.kind) {
        case 'literal':
            return expr.value;
        case 'name':
            return lookup(expr.name, scope);
        case 'list':
            return expr.items.map((item) => evaluate(item, scope));
        case 'attribute':
            return attribute(evaluate(expr.object, scope), expr.name);
        case 'index':
            return index(evaluate(expr.object, scope), evaluate(expr.index, scope));
        case 'call': {
            // As in simpleeval, `f(...)` with a bare name calls the builtin even if a property is named `f`.
            const callee = expr.callee.kind === 'name' && FUNCTIONS.has(expr.callee.name) ? FUNCTIONS.get(expr.callee.name) : evaluate(expr.callee, scope);
            if (!(callee instanceof PyCallable))
                fail('TypeError', `'${typeName(callee)}' object is not callable`);
            return callee.call(expr.args.map((arg) => evaluate(arg, scope)));
        }
        case 'unary': {
            const operand = evaluate(expr.operand, scope);
            switch (expr.op) {
                case 'not':
                    return !truthy(operand);
                case '-':
                    return negate(operand);
                case '+':
                    if (!isNumeric(operand))
                        fail('TypeError', `bad operand type for unary +: '${typeName(operand)}'`);
                    return typeof operand === 'boolean' ? Number(operand) : operand;
                case '~':
                    if (typeof operand === 'bigint')
                        return normalizeInt(~operand);
                    if (isNumeric(operand) && Number.isInteger(Number(operand)))
                        return ~Number(operand);
                    return fail('TypeError', `bad operand type for unary ~: '${typeName(operand)}'`);
            }
            break;
        }
        case 'bool': {
            // Python's and/or return an operand, not a boolean, and short-circuit.
            const left = evaluate(expr.left, scope);
            if (expr.op === 'and')
                return truthy(left) ? evaluate(expr.right, scope) : left;
            return truthy(left) ? left : evaluate(expr.right, scope);
        }
        case 'compare': {
            const left = evaluate(expr.left, scope);
            const right = evaluate(expr.right, scope);
            switch (expr.op) {
                case '==':
                    return equals(left, right);
                case '!=':
                    return !equals(left, right);
                case 'in':
                    return contains(right, left);
                case 'not in':
                    return !contains(right, left);
                // Identity is only meaningful for None, True and False in expressions over JSON values.
                case 'is':
                    return identical(left, right);
                case 'is not':
                    return !identical(left, right);
                case '<':
                    return compare(expr.op, left, right) < 0;
                case '<=':
                    return compare(expr.op, left, right) <= 0;
                case '>':
                    return compare(expr.op, left, right) > 0;
                case '>=':
                    return compare(expr.op, left, right) >= 0;
            }
            break;
        }
        case 'binary':
            return arithmetic(expr.op, evaluate(expr.left, scope), evaluate(expr.right, scope));
        case 'conditional':
            return truthy(evaluate(expr.test, scope)) ? evaluate(expr.then, scope) : evaluate(expr.otherwise, scope);
    }
    return fail('SyntaxError', 'unsupported expression');
}
function identical(a, b) {
    if (a === null || b === null || typeof a === 'boolean' || typeof b === 'boolean')
        return a === b;
    return equals(a, b) && typeName(a) === typeName(b);
}
function lookup(name, scope) {
    const value = scope.names.get(name);
    if (value !== undefined)
        return value;
    const builtin = FUNCTIONS.get(name);
    if (builtin !== undefined)
        return builtin;
    return fail('NameError', `name '${name}' is not defined`);
}
function index(container, key) {
    if (Array.isArray(container) || typeof container === 'string') {
        if (typeof key !== 'number' && typeof key !== 'bigint' && typeof key !== 'boolean') {
            fail('TypeError', `${typeName(container)} indices must be integers, not ${typeName(key)}`);
        }
        const items = typeof container === 'string' ? [...container] : container;
        const raw = Number(key);
        if (!Number.isInteger(raw))
            fail('TypeError', `${typeName(container)} indices must be integers, not float`);
        const at = raw < 0 ? items.length + raw : raw;
        if (at < 0 || at >= items.length)
            fail('IndexError', `${typeName(container)} index out of range`);
        return items[at];
    }
    if (isDict(container)) {
        const found = typeof key === 'string' ? ownValue(container, key) : undefined;
        if (found === undefined)
            fail('KeyError', typeof key === 'string' ? `'${key}'` : String(key));
        return found;
    }
    return fail('TypeError', `'${typeName(container)}' object is not subscriptable`);
}
//# sourceMappingURL=evaluate.js.map