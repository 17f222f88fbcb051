const DECIMAL = /^DECIMAL\((\d+),(\d+)\)$/;
const WIDENINGS = { INT: 'BIGINT', INTEGER: 'BIGINT', FLOAT: 'DOUBLE', REAL: 'DOUBLE' };
export function normaliseType(describedType) {
    const upper = describedType.replace(/\s+/g, '').toUpperCase();
    if (upper === 'LONG')
        return 'BIGINT';
    if (upper === 'INTEGER')
        return 'INT';
    return upper;
}
export function typeFit(tableType, column) {
    const current = normaliseType(tableType);
    const wanted = column.type;
    if (current === wanted)
        return 'same';
    if (WIDENINGS[current] === wanted)
        return 'widen';
    const from = DECIMAL.exec(current);
    const to = DECIMAL.exec(wanted);
    // Iceberg raises a decimal's precision in place; its scale never changes.
    if (from && to)
        return from[2] === to[2] && Number(from[1]) < Number(to[1]) ? 'widen' : 'conflict';
    // Tables created before decimals were derived hold them as DOUBLE and keep doing so; a DECIMAL
    // column takes doubles through a cast that fails the load rather than round a value.
    if ((current === 'DOUBLE' && to) || (from && wanted === 'DOUBLE'))
        return 'cast';
    if (current === 'STRING')
        return 'cast';
    if (current === 'DOUBLE' && wanted === 'BIGINT')
        return 'cast';
    if (current === 'TIMESTAMP' && wanted === 'DATE')
        return 'cast';
    if (current.startsWith('DECIMAL') && wanted === 'BIGINT')
        return 'cast';
    return 'conflict';
}
/** Name for a column moved aside by the `rename` policy, e.g. `PRICE__BIGINT`. */
export function retiredColumnName(name, tableType) {
    return `${name}__${normaliseType(tableType).replace(/[^A-Z0-9]+/g, '_').replace(/_+$/, '')}`;
}
//# sourceMappingURL=evolution.js.map