/**
 * Python value semantics for stream-map expressions, over plain JSON values: None is null, ints
 * are numbers (BigInt beyond 2^53, as the input parser hands them over), lists are arrays and
 * dicts are plain objects read through their own keys only (never their prototype). Messages
 * follow Python's wording so users can search them.
 */
/** datetime.datetime / datetime.date values; turned into ISO-8601 text when they leave a map. */
export declare class PyDateTime {
    /** Wall-clock fields as UTC milliseconds (the offset is kept apart, as Python does). */
    readonly wallMs: number;
    readonly micro: number;
    /** Minutes east of UTC, or null for a naive datetime. */
    readonly offsetMinutes: number | null;
    readonly dateOnly: boolean;
    constructor(
    /** Wall-clock fields as UTC milliseconds (the offset is kept apart, as Python does). */
    wallMs: number, micro: number, 
    /** Minutes east of UTC, or null for a naive datetime. */
    offsetMinutes: number | null, dateOnly?: boolean);
}
export declare class MapEvaluationError extends Error {
}
export type Dict = {
    [key: string]: PyValue;
};
export type PyValue = null | boolean | number | bigint | string | PyValue[] | Dict | PyDateTime | PyCallable | PyNamespace;
/** A function or bound method the expression may call; the only callables that exist. */
export declare class PyCallable {
    readonly name: string;
    readonly call: (args: PyValue[]) => PyValue;
    constructor(name: string, call: (args: PyValue[]) => PyValue);
}
/** A module-like object (`datetime`, `datetime.datetime`, `json`) with a fixed member table. */
export declare class PyNamespace {
    readonly name: string;
    readonly members: ReadonlyMap<string, PyValue>;
    constructor(name: string, members: ReadonlyMap<string, PyValue>);
}
/** Largest string or list an expression may build (guards `'x' * 10**12`). */
export declare const MAX_BUILT_LENGTH: number;
export declare function fail(kind: string, message: string): never;
export declare function isDict(v: unknown): v is Dict;
export declare function ownValue(dict: Dict, key: string): PyValue | undefined;
export declare function typeName(v: PyValue | undefined): string;
export declare function truthy(v: PyValue): boolean;
export declare function isNumeric(v: PyValue): v is number | bigint | boolean;
/** A BigInt result back to a number when it fits exactly. */
export declare function normalizeInt(v: bigint): number | bigint;
export declare function checkLength(length: number): void;
export declare function add(a: PyValue, b: PyValue): PyValue;
export declare function arithmetic(op: string, a: PyValue, b: PyValue): PyValue;
export declare function negate(v: PyValue): PyValue;
export declare function equals(a: PyValue, b: PyValue): boolean;
/** -1, 0 or 1 like Python's ordering, or a TypeError for types Python cannot order. */
export declare function compare(op: string, a: PyValue, b: PyValue): number;
export declare function contains(container: PyValue, item: PyValue): boolean;
export declare function isoFormat(d: PyDateTime, separator?: string): string;
/** Python's str(). Numbers are JSON numbers, so 1.0 reads as 1 (JSON does not keep the difference). */
export declare function pyStr(v: PyValue): string;
export declare function pyRepr(v: PyValue): string;
/**
 * A value as it leaves a map into a record: datetimes become ISO text, as the SDK's JSON writer
 * does. Only lists can hold values an expression made (there are no dict literals), so dicts are
 * passed on as they are.
 */
export declare function toRecordValue(v: PyValue): unknown;
