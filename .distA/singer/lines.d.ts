import type { Readable } from 'node:stream';
export interface LineOptions {
    /** `fail` (default): a line that is not valid UTF-8 stops the run; `replace`: bad bytes become U+FFFD, with a warning. */
    onInvalidUtf8?: 'fail' | 'replace';
    warn?: (message: string) => void;
}
/**
 * Complete lines of the input: `bytes` ends with a newline, except for the input's last line when
 * it has none (`final`). The lines are read from it where needed (lineText), so a line the record
 * path stages straight from its bytes is never decoded into a string.
 */
export interface InputChunk {
    bytes: Buffer;
    /** 1-based number of the chunk's first line. */
    first: number;
    final: boolean;
    /** Valid UTF-8 without a byte order mark: every line is its UTF-8 text as is. */
    clean: boolean;
}
export interface NumberedLine {
    line: string;
    /** 1-based line number in the input. */
    number: number;
}
/**
 * Yields the input a chunk of complete lines at a time (split at `\n`): the caller handles a
 * chunk's lines in one go, so there is no promise per line. A character split between reads
 * waits for the next one with the rest of its line. Each chunk is checked for valid UTF-8 once
 * (natively); lines of a chunk that is not (or holds a byte order mark, which each line drops on
 * its own) are decoded one by one by lineText, to report the bad one with its line number
 * instead of silently turning it into U+FFFD. Pulling chunks through an async iterator gives
 * backpressure for free: the stream is not read further while a flush awaits. Aborting (SIGTERM,
 * or the caller's stop after a failure) closes the input and ends the chunks; the caller then
 * decides what happens to what it has.
 */
export declare function lineChunks(input: Readable, signal?: AbortSignal): AsyncGenerator<InputChunk>;
/**
 * Calls `each(start, end, number)` for every line of the chunk (`end` excludes the newline),
 * stopping at the first call that returns a promise: the rest is then handled once it settles.
 */
export declare function forEachLine(chunk: InputChunk, each: (start: number, end: number, number: number) => Promise<void> | void): Promise<void> | void;
/**
 * The text of one line (a `\r` before its newline dropped). A line of a chunk that is not clean
 * is decoded on its own: invalid UTF-8 stops the run naming the line (or, with
 * on_invalid_utf8 = replace, becomes U+FFFD with a warning), and a byte order mark is dropped.
 */
export declare function lineText(chunk: InputChunk, start: number, end: number, number: number, options?: LineOptions): string;
/** Every line of a chunk with its number (for callers that want them all as text). */
export declare function chunkLines(chunk: InputChunk, options?: LineOptions): NumberedLine[];
