import { InputError } from '../errors.js';
/**
 * Pure: which stream of this run writes to which table. Different stream names can map to one
 * table (`a.b` and `a_b`, `Users` and `users`, `db1-public-orders` and `db2-public-orders`); their
 * rows would overwrite each other and one stream's ACTIVATE_VERSION would retire the other's rows,
 * so the second stream is refused at its SCHEMA, before any of its data moves. The metastore folds
 * case, so tables are compared case-insensitively.
 */
export class TableRegistry {
    owners = new Map();
    /** Records that `stream` writes to `table`, or throws when another stream of the run already does. */
    claim(stream, table, where = {}) {
        const key = [table.catalog, table.schema, table.table].map((part) => part.toLowerCase()).join('.');
        const owner = this.owners.get(key);
        if (owner !== undefined && owner !== stream) {
            throw new InputError(`Streams '${owner}' and '${stream}' both map to table ${table.catalog}.${table.schema}.${table.table}, so their rows would mix; ` +
                `send them in separate runs with different 'default_target_schema', map their source schemas apart with 'schema_mapping', or rename one stream in the tap`, { ...where, stream });
        }
        this.owners.set(key, stream);
        return table;
    }
}
//# sourceMappingURL=table-registry.js.map