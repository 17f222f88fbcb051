/** Rows of Spark's `DESCRIBE TABLE` for a table of `columns` ([name, type]) partitioned by `partitioning` (as Spark prints each field). */
export function describeRows(columns: ReadonlyArray<readonly [string, string]>, partitioning: readonly string[]): Array<Record<string, string>> {
  return [
    ...columns.map(([col_name, data_type]) => ({ col_name, data_type })),
    { col_name: '', data_type: '' },
    { col_name: '# Partitioning', data_type: '' },
    ...partitioning.map((data_type, i) => ({ col_name: `Part ${i}`, data_type })),
    { col_name: '', data_type: '' },
    { col_name: '# Metadata Columns', data_type: '' },
  ];
}
