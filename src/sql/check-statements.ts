import { quoteIdentifier } from './quote.js';

/** The queries `--check` sends (cli/check.ts), each answering one question about the lakehouse. */

/** Does the session answer a query? One row, `probe` = 1. */
export function selectOne(): string {
  return 'SELECT 1 AS probe';
}

/** Is the catalog there? Its schemas. */
export function showSchemas(catalog: string): string {
  return `SHOW NAMESPACES IN ${quoteIdentifier(catalog)}`;
}

/**
 * Can the lakehouse read what was staged? The probe file's `probe` column, read by path from
 * Parquet as every load reads its batch (statements.ts), no view.
 */
export function readProbeFile(location: string, column: string): string {
  return `SELECT ${quoteIdentifier(column)} FROM parquet.${quoteIdentifier(location)}`;
}
