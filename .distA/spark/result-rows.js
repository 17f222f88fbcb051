/**
 * Rows from a columnar TRowSet. Unlike hive-driver's own conversion, BIGINT values beyond 2^53 stay
 * exact (as strings) and DECIMAL stays the server's text.
 */
export function rowsOf(columns, rowSet) {
    const ordered = [...columns].sort((a, b) => a.position - b.position);
    const rows = [];
    ordered.forEach((desc, i) => {
        const column = rowSet.columns?.[i];
        const found = column && Object.entries(column).find(([, v]) => v != null);
        if (!found)
            return;
        const [kind, data] = found;
        const name = desc.columnName.split('.').pop() ?? desc.columnName;
        data.values.forEach((raw, r) => {
            const row = (rows[r] ??= {});
            row[name] = isNull(data.nulls, r) ? null : convert(kind, raw);
        });
    });
    return rows;
}
function isNull(nulls, index) {
    if (!nulls)
        return false;
    const byte = nulls[Math.floor(index / 8)] ?? 0;
    return (byte & (1 << index % 8)) !== 0;
}
function convert(kind, raw) {
    switch (kind) {
        case 'boolVal':
            return Boolean(raw);
        case 'i64Val':
            return exactInteger(raw);
        case 'byteVal':
        case 'i16Val':
        case 'i32Val':
        case 'doubleVal':
            return Number(raw);
        case 'binaryVal':
            return Buffer.isBuffer(raw) ? raw.toString('base64') : String(raw);
        default:
            return raw === null || raw === undefined ? null : String(raw);
    }
}
/** node-int64 values carry 8 big-endian bytes; read them as a BigInt so nothing is rounded. */
function exactInteger(raw) {
    const int64 = raw;
    if (int64 && Buffer.isBuffer(int64.buffer)) {
        const value = int64.buffer.readBigInt64BE(int64.offset ?? 0);
        return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    }
    return Number(raw);
}
//# sourceMappingURL=result-rows.js.map