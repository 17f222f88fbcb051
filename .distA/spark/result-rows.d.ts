import type { Row } from './executor.js';
/** The parts of HiveServer2's TColumnDesc / TRowSet that rows are built from. */
export interface ThriftColumnDesc {
    columnName: string;
    position: number;
}
interface ThriftColumnValues {
    values: unknown[];
    nulls?: Buffer;
}
export interface ThriftRowSet {
    columns?: Array<Partial<Record<'boolVal' | 'byteVal' | 'i16Val' | 'i32Val' | 'i64Val' | 'doubleVal' | 'stringVal' | 'binaryVal', ThriftColumnValues>>>;
}
/**
 * Rows from a columnar TRowSet. Unlike hive-driver's own conversion, BIGINT values beyond 2^53 stay
 * exact (as strings) and DECIMAL stays the server's text.
 */
export declare function rowsOf(columns: readonly ThriftColumnDesc[], rowSet: ThriftRowSet): Row[];
export {};
