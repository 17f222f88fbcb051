/**
 * Pure: the columns in the rows of `DESCRIBE TABLE` / `DESCRIBE <view>`. The column list ends where
 * the first section starts: a blank row, or a header such as `# Partition Information` or
 * `# Metadata Columns`. Both have an empty data type, which no column has; a column's name may
 * itself start with `#` (`# of items`), so the name alone cannot end the list.
 */
export function describedColumns(rows) {
    const columns = [];
    for (const row of rows) {
        const name = String(row.col_name ?? '');
        const type = String(row.data_type ?? '').trim();
        if (name === '' || type === '')
            break;
        columns.push({ name, type });
    }
    return columns;
}
//# sourceMappingURL=described-columns.js.map