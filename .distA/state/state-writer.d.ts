import type { Writable } from 'node:stream';
/**
 * Writes one state per line to stdout (or any Writable) and waits until the write is handed off:
 * pipes are asynchronous in Node, and a state that is lost on exit would make the tap re-send data.
 */
export declare class StateWriter {
    private readonly out;
    constructor(out: Writable);
    write(state: unknown): Promise<void>;
}
