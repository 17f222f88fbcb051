import type { TableRef } from './naming.js';
/**
 * Pure: which stream of this run writes to which table. Different stream names can map to one
 * table (`a.b` and `a_b`, `Users` and `users`, `db1-public-orders` and `db2-public-orders`); their
 * rows would overwrite each other and one stream's ACTIVATE_VERSION would retire the other's rows,
 * so the second stream is refused at its SCHEMA, before any of its data moves. The metastore folds
 * case, so tables are compared case-insensitively.
 */
export declare class TableRegistry {
    private readonly owners;
    /** Records that `stream` writes to `table`, or throws when another stream of the run already does. */
    claim(stream: string, table: TableRef, where?: {
        line?: number;
    }): TableRef;
}
