/**
 * The distinct keys of an open batch (batch_size_rows counts them), as a Set of them would
 * count: numbers by SameValueZero (0 and -0 are one key), text by value. Numbers (a single
 * numeric key: nearly every keyed stream) go into an open-addressing table of doubles instead
 * of a Set: a batch holds up to batch_size_rows keys per stream, and a Set of that many numbers
 * was the most expensive single step of staging a record (random access into a large table of
 * entries). test/unit/batch-keys.test.ts checks it against Set.
 */
export class BatchKeys {
  private table = new Float64Array(1024);
  private filled = new Uint8Array(1024);
  private numbers = 0;
  private readonly texts = new Set<string>();

  get size(): number {
    return this.numbers + this.texts.size;
  }

  add(key: string | number): void {
    if (typeof key === 'string') {
      this.texts.add(key);
      return;
    }
    const mask = this.table.length - 1;
    for (let slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
      if (this.filled[slot] === 0) {
        this.filled[slot] = 1;
        this.table[slot] = key;
        this.numbers += 1;
        // At most half full, so probes stay short.
        if (this.numbers * 2 > this.table.length) this.grow();
        return;
      }
      if (this.table[slot] === key) return;
    }
  }

  private grow(): void {
    const { table, filled } = this;
    this.table = new Float64Array(table.length * 2);
    this.filled = new Uint8Array(table.length * 2);
    this.numbers = 0;
    for (let i = 0; i < table.length; i += 1) if (filled[i] === 1) this.add(table[i]!);
  }
}

/** Spreads integers (the usual keys) over the table; 0 and -0 hash alike, as they are equal. */
function hash(key: number): number {
  const high = Math.floor(key / 4_294_967_296) | 0;
  return Math.imul((key | 0) ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1) >>> 16 ^ Math.imul(key | 0, 0x27d4eb2f);
}
