/**
 * Statements that create or change a table's entry in the catalog (CREATE SCHEMA, CREATE TABLE,
 * CREATE TABLE ... AS SELECT, ALTER TABLE) run one at a time across the run, in the order they
 * are asked for. Concurrent CREATE TABLEs have failed in the Hive Metastore's DataNucleus layer
 * (Iceberg's CommitStateUnknownException around a NullPointerException in StatementMappingIndex),
 * which leaves it unknown whether the table exists. Loads into existing tables (MERGE, INSERT) do
 * not go through here and still run side by side up to `parallelism`.
 */
export class CatalogChanges {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `change` once every change asked for before it has settled; its own outcome is returned. */
  run<T>(change: () => Promise<T>): Promise<T> {
    const result = this.tail.then(change);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
