/**
 * Just enough of the thrift binary protocol to name the call in one HTTP request body and, for
 * ExecuteStatement, to read the SQL text. The benchmark counts statements this way (as a proxy in
 * front of the thrift endpoint), so it needs no hook in the target's sources.
 */

export interface ThriftCall {
  method: string;
  /** The SQL of an ExecuteStatement call. */
  statement?: string;
  /**
   * Hex guid of the handle the call is about: the session for ExecuteStatement, OpenSession has
   * none, the operation for GetOperationStatus, FetchResults, CloseOperation and the like. Every
   * request struct of TCLIService holds its handle as field 1, whose identifier is field 1 again.
   */
  handle?: string;
}

// Field type ids of the binary protocol.
const T_STOP = 0;
const T_BOOL = 2;
const T_BYTE = 3;
const T_DOUBLE = 4;
const T_I16 = 6;
const T_I32 = 8;
const T_I64 = 10;
const T_STRING = 11;
const T_STRUCT = 12;
const T_MAP = 13;
const T_SET = 14;
const T_LIST = 15;
const VERSION_1 = 0x80010000;

class Reader {
  offset = 0;
  constructor(private readonly buf: Buffer) {}

  byte(): number {
    const v = this.buf.readUInt8(this.offset);
    this.offset += 1;
    return v;
  }
  i16(): number {
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  i32(): number {
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  string(): string {
    return this.bytes().toString('utf8');
  }
  bytes(): Buffer {
    const length = this.i32();
    const v = this.buf.subarray(this.offset, this.offset + length);
    this.offset += length;
    return v;
  }
  skip(type: number): void {
    switch (type) {
      case T_BOOL:
      case T_BYTE:
        this.offset += 1;
        return;
      case T_I16:
        this.offset += 2;
        return;
      case T_I32:
        this.offset += 4;
        return;
      case T_DOUBLE:
      case T_I64:
        this.offset += 8;
        return;
      case T_STRING:
        this.offset += 4 + this.buf.readInt32BE(this.offset);
        return;
      case T_STRUCT:
        for (let field = this.byte(); field !== T_STOP; field = this.byte()) {
          this.i16();
          this.skip(field);
        }
        return;
      case T_MAP: {
        const keyType = this.byte();
        const valueType = this.byte();
        const size = this.i32();
        for (let i = 0; i < size; i += 1) {
          this.skip(keyType);
          this.skip(valueType);
        }
        return;
      }
      case T_SET:
      case T_LIST: {
        const elementType = this.byte();
        const size = this.i32();
        for (let i = 0; i < size; i += 1) this.skip(elementType);
        return;
      }
      default:
        throw new Error(`unknown thrift type ${type} at offset ${this.offset}`);
    }
  }
}

/** Decodes a strict binary-protocol call message; undefined when the body is something else. */
export function decodeThriftCall(body: Buffer): ThriftCall | undefined {
  try {
    const reader = new Reader(body);
    const header = reader.i32() >>> 0;
    if ((header & 0xffff0000) >>> 0 !== VERSION_1) return undefined;
    const method = reader.string();
    reader.i32(); // sequence id
    const argsAt = reader.offset;
    // args struct: field 1 is the request; its field 1 the session or operation handle.
    const guid = findBytesField(reader, [1, 1, 1, 1]);
    const call: ThriftCall = { method };
    if (guid !== undefined) call.handle = guid.toString('hex');
    if (method === 'ExecuteStatement') {
      reader.offset = argsAt;
      // TExecuteStatementReq's field 2 is the statement.
      const statement = findBytesField(reader, [1, 2]);
      if (statement !== undefined) call.statement = statement.toString('utf8');
    }
    return call;
  } catch {
    return undefined;
  }
}

/**
 * The operation handle's guid in the reply to ExecuteStatement (result field 0 is
 * TExecuteStatementResp, whose field 2 is the operation handle), in hex; undefined otherwise.
 */
export function decodeExecuteReply(body: Buffer): string | undefined {
  try {
    const reader = new Reader(body);
    if (((reader.i32() >>> 0) & 0xffff0000) >>> 0 !== VERSION_1) return undefined;
    if (reader.string() !== 'ExecuteStatement') return undefined;
    reader.i32();
    return findBytesField(reader, [0, 2, 1, 1])?.toString('hex');
  } catch {
    return undefined;
  }
}

/** Follows struct field ids down `path` and returns the string or binary found there. */
function findBytesField(reader: Reader, path: readonly number[]): Buffer | undefined {
  const [id, ...rest] = path;
  for (let type = reader.byte(); type !== T_STOP; type = reader.byte()) {
    const fieldId = reader.i16();
    if (fieldId === id) {
      if (rest.length === 0) return type === T_STRING ? reader.bytes() : undefined;
      return type === T_STRUCT ? findBytesField(reader, rest) : undefined;
    }
    reader.skip(type);
  }
  return undefined;
}

/**
 * The statement's kind for the report: its leading keywords without names, e.g. MERGE INTO,
 * CREATE OR REPLACE TEMPORARY VIEW, SET.
 */
export function statementKind(sql: string): string {
  const words: string[] = [];
  for (const word of sql.trim().split(/\s+/, 6)) {
    if (!/^[A-Za-z]+$/.test(word) || ['IF', 'NOT', 'EXISTS'].includes(word.toUpperCase())) break;
    words.push(word.toUpperCase());
  }
  return words.join(' ') || 'OTHER';
}
