import type { Column } from '../schema/columns.js';
import type { KeyBounds } from '../sql/statements.js';
import { dateDays, timestampMicros, unscaledDecimal } from '../staging/parquet-layout.js';
import { SPAN, type Cell, type Spans } from '../staging/row-block.js';

/**
 * The smallest and largest staged value of one key column of an open batch, compared as Spark
 * compares them in the column's type: BIGINT, TIMESTAMP (microseconds), DATE (days) and DECIMAL
 * (unscaled integer at the column's scale) as numbers, text by its UTF-8 bytes (Spark's string
 * order, which is not JavaScript's UTF-16 order). The load's MERGE matches only target rows in
 * that range (keyRangeCondition), so Iceberg skips data files whose statistics lie outside it.
 * Other types (DOUBLE: -0.0 and NaN; BOOLEAN; JSON text) are not tracked: no range, no predicate.
 */
export class KeyRange {
  private low: number | bigint | undefined;
  private high: number | bigint | undefined;
  private lowText: Buffer | undefined;
  private highText: Buffer | undefined;
  private nulls = false;
  private readonly numeric: ((cell: Exclude<Cell, typeof SPAN | null>) => number | bigint) | undefined;

  /** `index`: the column's position in the batch layout (its cell in each row). */
  constructor(
    readonly column: Pick<Column, 'name' | 'type' | 'kind' | 'scale'>,
    readonly index: number,
  ) {
    this.numeric = numericValue(column);
  }

  /** True when the column's type has a range (see the class comment). */
  get tracked(): boolean {
    return this.numeric !== undefined || this.column.kind === 'string';
  }

  /** Counts one row's cell of the column (a SPAN cell's bytes are in `spans`). */
  add(cell: Cell, spans?: Spans): void {
    if (cell === null) {
      this.nulls = true;
      return;
    }
    if (this.numeric) {
      const value = this.numeric(cell as Exclude<Cell, typeof SPAN | null>);
      // number and bigint compare exactly with each other.
      if (this.low === undefined || value < this.low) this.low = value;
      if (this.high === undefined || value > this.high) this.high = value;
      this.countedValue(value);
      return;
    }
    if (this.column.kind !== 'string') return;
    if (cell === SPAN) {
      const bytes = spans!.bytes;
      const start = spans!.start[this.index]!;
      const end = spans!.end[this.index]!;
      if (this.lowText === undefined || this.lowText.compare(bytes, start, end) > 0) this.lowText = Buffer.from(bytes.subarray(start, end));
      if (this.highText === undefined || this.highText.compare(bytes, start, end) < 0) this.highText = Buffer.from(bytes.subarray(start, end));
      this.countedText(bytes, start, end);
      return;
    }
    const bytes = typeof cell === 'string' ? Buffer.from(cell, 'utf8') : Buffer.from(cell as Uint8Array);
    if (this.lowText === undefined || this.lowText.compare(bytes) > 0) this.lowText = bytes;
    if (this.highText === undefined || this.highText.compare(bytes) < 0) this.highText = bytes;
    this.countedText(bytes, 0, bytes.length);
  }

  /** A subclass's look at each non-NULL value counted, as compared (see PartitionRange). */
  protected countedValue(value: number | bigint): void {
    void value;
  }

  /** A subclass's look at each non-NULL text counted: its UTF-8 bytes[start, end). */
  protected countedText(bytes: Uint8Array, start: number, end: number): void {
    void [bytes, start, end];
  }

  /** The range of the values counted so far, or undefined when the type has none or no row was counted. */
  bounds(): KeyBounds | undefined {
    if (!this.tracked) return undefined;
    const { name, type } = this.column;
    if (this.numeric) {
      if (this.low === undefined) return this.nulls ? { column: name, type, nulls: true } : undefined;
      return { column: name, type, min: this.low, max: this.high!, nulls: this.nulls };
    }
    if (this.lowText === undefined) return this.nulls ? { column: name, type, nulls: true } : undefined;
    return { column: name, type, min: this.lowText.toString('utf8'), max: this.highText!.toString('utf8'), nulls: this.nulls };
  }
}

/** The value Spark compares for a staged cell of a numeric-like column (as the batch file stores it), or undefined. */
function numericValue(column: Pick<Column, 'kind' | 'scale'>): ((cell: Exclude<Cell, typeof SPAN | null>) => number | bigint) | undefined {
  switch (column.kind) {
    case 'integer':
      // Staged integers are numbers, or text beyond 2^53.
      return (cell) => (typeof cell === 'number' ? cell : BigInt(cell as string | bigint));
    case 'timestamp':
      // Microseconds (staged from the input's bytes) or the staging text.
      return (cell) => (typeof cell === 'number' || typeof cell === 'bigint' ? cell : timestampMicros(cell as string));
    case 'date':
      return (cell) => dateDays(cell as string);
    case 'decimal': {
      const scale = column.scale ?? 0;
      return (cell) => unscaledDecimal(String(cell), scale);
    }
    default:
      return undefined;
  }
}
