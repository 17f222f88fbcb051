/**
 * Pure: the columns in the rows of `DESCRIBE TABLE` / `DESCRIBE <view>`. The column list ends where
 * the first section starts: a blank row, or a header such as `# Partition Information` or
 * `# Metadata Columns`. Both have an empty data type, which no column has; a column's name may
 * itself start with `#` (`# of items`), so the name alone cannot end the list.
 */
export declare function describedColumns(rows: readonly Record<string, unknown>[]): Array<{
    name: string;
    type: string;
}>;
