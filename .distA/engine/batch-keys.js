/**
 * The distinct keys of an open batch (batch_size_rows counts them), as a Set of them would
 * count: numbers by SameValueZero (0 and -0 are one key), text by value. Numbers (a single
 * numeric key: nearly every keyed stream) go into an open-addressing table of doubles instead
 * of a Set: a batch holds up to batch_size_rows keys per stream, and with a Set of that many
 * numbers every record cost a random access into a large table. Here keys that follow each other
 * (ids) land in neighbouring slots, so the table is read where it was just written.
 * test/unit/batch-keys.test.ts checks it against Set.
 */
export class BatchKeys {
    /** Empty slots hold NaN, which no key is (JSON has no NaN). */
    table = new Float64Array(1024).fill(Number.NaN);
    numbers = 0;
    texts = new Set();
    get size() {
        return this.numbers + this.texts.size;
    }
    add(key) {
        if (typeof key === 'string') {
            this.texts.add(key);
            return;
        }
        const table = this.table;
        const mask = table.length - 1;
        for (let slot = slotOf(key) & mask;; slot = (slot + 1) & mask) {
            const held = table[slot];
            if (held === key)
                return;
            if (held !== held) {
                table[slot] = key;
                this.numbers += 1;
                // At most half full, so probes stay short.
                if (this.numbers * 2 > table.length)
                    this.grow();
                return;
            }
        }
    }
    grow() {
        const old = this.table;
        this.table = new Float64Array(old.length * 2).fill(Number.NaN);
        this.numbers = 0;
        for (let i = 0; i < old.length; i += 1) {
            const key = old[i];
            if (key === key)
                this.add(key);
        }
    }
}
/**
 * The home slot of a key: consecutive integers get consecutive slots; the high bits are folded
 * in so that keys a power of two apart do not all share a slot. 0 and -0 get the same one.
 */
function slotOf(key) {
    const low = key | 0;
    const high = Math.floor(key / 4_294_967_296) | 0;
    return (low ^ (low >>> 18) ^ Math.imul(high, 0x9e3779b1)) >>> 0;
}
//# sourceMappingURL=batch-keys.js.map