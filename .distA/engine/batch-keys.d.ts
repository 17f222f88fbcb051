/**
 * The distinct keys of an open batch (batch_size_rows counts them), as a Set of them would
 * count: numbers by SameValueZero (0 and -0 are one key), text by value. Numbers (a single
 * numeric key: nearly every keyed stream) go into an open-addressing table of doubles instead
 * of a Set: a batch holds up to batch_size_rows keys per stream, and with a Set of that many
 * numbers every record cost a random access into a large table. Here keys that follow each other
 * (ids) land in neighbouring slots, so the table is read where it was just written.
 * test/unit/batch-keys.test.ts checks it against Set.
 */
export declare class BatchKeys {
    /** Empty slots hold NaN, which no key is (JSON has no NaN). */
    private table;
    private numbers;
    private readonly texts;
    get size(): number;
    add(key: string | number): void;
    private grow;
}
