/** Bytes of blocks the arena copies into; bigger values get an array of their own. */
const BLOCK_BYTES = 64 * 1024;
/**
 * Copies of short byte ranges (text values staged straight from the input) packed into shared
 * blocks: one allocation per block instead of one per value, and no reference into the input
 * chunk, which would keep every chunk a buffered row still points into alive. A block is freed
 * once no staged value refers to it (the row groups that hold them are encoded).
 */
export class ByteArena {
    block = new Uint8Array(0);
    used = 0;
    copy(source, start, end) {
        const length = end - start;
        if (length > BLOCK_BYTES / 8) {
            // Not source.slice: on a Buffer that is a view, not a copy.
            const own = new Uint8Array(length);
            own.set(source.subarray(start, end));
            return own;
        }
        if (this.used + length > this.block.length) {
            this.block = new Uint8Array(BLOCK_BYTES);
            this.used = 0;
        }
        const at = this.used;
        this.block.set(source.subarray(start, end), at);
        this.used = at + length;
        return this.block.subarray(at, at + length);
    }
}
//# sourceMappingURL=byte-arena.js.map