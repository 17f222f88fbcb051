/**
 * Copies of short byte ranges (text values staged straight from the input) packed into shared
 * blocks: one allocation per block instead of one per value, and no reference into the input
 * chunk, which would keep every chunk a buffered row still points into alive. A block is freed
 * once no staged value refers to it (the row groups that hold them are encoded).
 */
export declare class ByteArena {
    private block;
    private used;
    copy(source: Uint8Array, start: number, end: number): Uint8Array;
}
