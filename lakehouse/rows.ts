export type Row = Record<string, unknown>;

// Shapes of the TCLIService structs as the thrift library hands them over.
interface ColumnDescriptor {
  columnName: string;
  position: number;
}

interface ResultSchema {
  columns: ColumnDescriptor[];
}

interface ColumnValues {
  values: unknown[];
  nulls?: Buffer;
}

type ThriftColumn = Partial<Record<(typeof COLUMN_KINDS)[number], ColumnValues | null>>;

interface ResultRowSet {
  columns?: ThriftColumn[] | null;
}

const COLUMN_KINDS = ['boolVal', 'byteVal', 'i16Val', 'i32Val', 'i64Val', 'doubleVal', 'stringVal', 'binaryVal'] as const;

/**
 * Turns columnar result sets into row objects. hive-driver's own JsonResult
 * converts BIGINT and DECIMAL through JS numbers, which silently rounds values
 * beyond 2^53; here a BIGINT that does not fit a number stays a bigint, and
 * DECIMAL, complex and timestamp values stay the exact strings the server sent.
 */
export function decodeRows(schema: ResultSchema | null, rowSets: ResultRowSet[]): Row[] {
  if (!schema) return [];
  const names = [...schema.columns].sort((a, b) => a.position - b.position).map((column) => column.columnName);
  return rowSets.flatMap((rowSet) => decodeRowSet(names, rowSet));
}

function decodeRowSet(names: string[], rowSet: ResultRowSet): Row[] {
  const columns = names.map((_, i) => columnValues(rowSet.columns?.[i]));
  const rowCount = Math.max(0, ...columns.map((column) => column.length));
  return Array.from({ length: rowCount }, (_, rowIndex) =>
    Object.fromEntries(names.map((name, i) => [name, columns[i]?.[rowIndex] ?? null])),
  );
}

function columnValues(column: ThriftColumn | undefined): unknown[] {
  if (!column) return [];
  for (const kind of COLUMN_KINDS) {
    const data = column[kind];
    if (data) return data.values.map((value, i) => (isNull(data.nulls, i) ? null : decodeValue(kind, value)));
  }
  return [];
}

function isNull(nulls: Buffer | undefined, index: number): boolean {
  const byte = nulls?.[Math.floor(index / 8)];
  return byte !== undefined && (byte & (1 << index % 8)) !== 0;
}

function decodeValue(kind: (typeof COLUMN_KINDS)[number], value: unknown): unknown {
  return kind === 'i64Val' ? decodeInt64(value) : value;
}

// The thrift library hands out node-int64 objects: 8 big-endian bytes at an offset.
function decodeInt64(value: unknown): number | bigint {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  const { buffer, offset } = value as { buffer: Buffer; offset?: number };
  const exact = buffer.readBigInt64BE(offset ?? 0);
  const asNumber = Number(exact);
  return Number.isSafeInteger(asNumber) ? asNumber : exact;
}

/** JSON with bigints written as plain digits, so no consumer sees a rounded value. */
export function rowToJson(row: Row): string {
  const fields = Object.entries(row).map(([name, value]) => `${JSON.stringify(name)}:${valueToJson(value)}`);
  return `{${fields.join(',')}}`;
}

function valueToJson(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (Buffer.isBuffer(value)) return JSON.stringify(value.toString('base64'));
  return JSON.stringify(value) ?? 'null';
}
