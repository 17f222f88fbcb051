/**
 * The JSON Schema of a mapped property, read from its expression before any record is seen (the
 * SDK does the same, from the text). Where the type is knowable it is used (`int(...)` integer,
 * `md5(...)` string, a comparison boolean, a property name that property's schema); otherwise the
 * caller falls back to the replaced property's schema or string, as the SDK does. Types are
 * nullable like the SDK's, since an expression may give None.
 */
const nullable = (type, extra = {}) => ({ type: [type, 'null'], ...extra });
const STRING_FUNCTIONS = new Set(['md5', 'sha256', 'str']);
const STRING_METHODS = new Set(['lower', 'upper', 'strip', 'lstrip', 'rstrip', 'replace', 'title', 'capitalize', 'zfill', 'join', 'isoformat', 'strftime']);
const BOOLEAN_METHODS = new Set(['startswith', 'endswith', 'isdigit', 'isalpha']);
const INTEGER_METHODS = new Set(['find', 'count', 'weekday']);
const INTEGER_ATTRIBUTES = new Set(['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond']);
function mainType(schema) {
    if (!schema)
        return undefined;
    const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t) => t !== 'null' && t !== undefined);
    return types.length === 1 ? types[0] : undefined;
}
function propertyOf(schema, name) {
    const properties = schema?.properties;
    return properties && Object.prototype.hasOwnProperty.call(properties, name) ? properties[name] : undefined;
}
export function inferSchema(expr, context) {
    switch (expr.kind) {
        case 'literal':
            if (typeof expr.value === 'string')
                return nullable('string');
            if (typeof expr.value === 'boolean')
                return nullable('boolean');
            if (typeof expr.value === 'number')
                return nullable(expr.float || !Number.isInteger(expr.value) ? 'number' : 'integer');
            return undefined;
        case 'name':
            if (expr.name === 'record' || expr.name === '_')
                return { ...context.source, type: ['object', 'null'] };
            if (expr.name === 'self')
                return context.self;
            return propertyOf(context.source, expr.name);
        case 'list':
            return nullable('array');
        case 'index': {
            const container = expr.object.kind === 'name' && (expr.object.name === 'record' || expr.object.name === '_') ? context.source : inferSchema(expr.object, context);
            if (expr.index.kind === 'literal' && typeof expr.index.value === 'string')
                return propertyOf(container, expr.index.value);
            const items = container?.items;
            return items && typeof items === 'object' && !Array.isArray(items) ? items : undefined;
        }
        case 'attribute':
            return INTEGER_ATTRIBUTES.has(expr.name) ? nullable('integer') : undefined;
        case 'call':
            return callSchema(expr, context);
        case 'unary':
            if (expr.op === 'not')
                return nullable('boolean');
            return numeric(inferSchema(expr.operand, context));
        case 'compare':
            return nullable('boolean');
        case 'bool':
        case 'conditional': {
            const [a, b] = expr.kind === 'bool' ? [expr.left, expr.right] : [expr.then, expr.otherwise];
            return combine(a, b, context);
        }
        case 'binary':
            return binarySchema(expr.op, inferSchema(expr.left, context), inferSchema(expr.right, context));
    }
}
function callSchema(expr, context) {
    const { callee } = expr;
    if (callee.kind === 'name') {
        const name = callee.name;
        if (STRING_FUNCTIONS.has(name))
            return nullable('string');
        if (name === 'int' || name === 'len')
            return nullable('integer');
        if (name === 'float')
            return nullable('number');
        if (name === 'bool')
            return nullable('boolean');
        if (name === 'round')
            return nullable(expr.args.length > 1 ? 'number' : 'integer');
        if (name === 'abs')
            return numeric(expr.args[0] && inferSchema(expr.args[0], context));
        return undefined;
    }
    if (callee.kind === 'attribute') {
        const method = callee.name;
        if (STRING_METHODS.has(method))
            return nullable('string');
        if (BOOLEAN_METHODS.has(method))
            return nullable('boolean');
        if (INTEGER_METHODS.has(method))
            return nullable('integer');
        if (method === 'split')
            return nullable('array', { items: { type: 'string' } });
        if (method === 'fromisoformat' || method === 'now' || method === 'utcnow' || method === 'today' || method === 'date') {
            const dateOnly = method === 'today' || method === 'date' || (callee.object.kind === 'attribute' && callee.object.name === 'date');
            return nullable('string', { format: dateOnly ? 'date' : 'date-time' });
        }
        if (method === 'dumps')
            return nullable('string');
        if (method === 'timestamp')
            return nullable('number');
    }
    return undefined;
}
function numeric(schema) {
    const t = mainType(schema);
    return t === 'integer' || t === 'number' ? nullable(t) : t === 'boolean' ? nullable('integer') : undefined;
}
function combine(a, b, context) {
    // `x if c else None` has the type of x; None adds nothing but nullability, which all types have.
    if (a.kind === 'literal' && a.value === null)
        return inferSchema(b, context);
    if (b.kind === 'literal' && b.value === null)
        return inferSchema(a, context);
    const left = inferSchema(a, context);
    const right = inferSchema(b, context);
    const [l, r] = [mainType(left), mainType(right)];
    if (l === undefined || r === undefined)
        return undefined;
    if (l === r)
        return left?.format === right?.format ? left : nullable(l);
    if ((l === 'integer' && r === 'number') || (l === 'number' && r === 'integer'))
        return nullable('number');
    return undefined;
}
function binarySchema(op, left, right) {
    const [l, r] = [mainType(left), mainType(right)];
    if (op === '+' && l === 'string' && r === 'string')
        return nullable('string');
    if (op === '*' && ((l === 'string' && r === 'integer') || (l === 'integer' && r === 'string')))
        return nullable('string');
    if (op === '/')
        return l && r && isNum(l) && isNum(r) ? nullable('number') : undefined;
    if (!l || !r || !isNum(l) || !isNum(r))
        return undefined;
    return nullable(l === 'number' || r === 'number' ? 'number' : 'integer');
}
function isNum(t) {
    return t === 'integer' || t === 'number' || t === 'boolean';
}
//# sourceMappingURL=infer-type.js.map