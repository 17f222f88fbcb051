import type { SchemaElement } from 'hyparquet-writer';
import { DECIMAL_PRECISION, type ValueKind } from '../schema/columns.js';
import { daysFromCivil, epochMicros } from '../schema/calendar.js';
import { digits } from '../schema/datetime.js';

/**
 * Pure: how the staged values of a batch are typed in its Parquet file, so Spark reads every
 * column with the table's type and no cast: BIGINT as INT64, DOUBLE, BOOLEAN, text as UTF-8
 * byte arrays (byte-exact, NULL distinct from ''), TIMESTAMP as INT64 microseconds since the
 * epoch adjusted to UTC, DATE as INT32 days, DECIMAL(38,s) as a 16-byte two's-complement
 * integer. Field i is named `c<i>` (see stageField): any property name stays safe in the file.
 * The record order of the batch is the row order of the file (Spark's `_metadata.row_index`).
 */

/** What the layout needs to know of a column. */
export interface StagedColumn {
  kind: ValueKind;
  /** For `decimal`: digits after the decimal point. */
  scale?: number;
}

/** Name of the staged field that holds column i; fixed ASCII names keep any property name safe in the file. */
export function stageField(index: number): string {
  return `c${index}`;
}

const TIMESTAMP_MICROS = { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } as const;

/** The Parquet schema of a batch file with these columns (every field optional: NULL is a value). */
export function parquetSchema(columns: readonly StagedColumn[]): SchemaElement[] {
  const fields = columns.map((column, i): SchemaElement => {
    const name = stageField(i);
    const base = { name, repetition_type: 'OPTIONAL' as const };
    switch (column.kind) {
      case 'integer':
        return { ...base, type: 'INT64' };
      case 'number':
        return { ...base, type: 'DOUBLE' };
      case 'boolean':
        return { ...base, type: 'BOOLEAN' };
      case 'string':
      case 'json':
        return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8' };
      case 'timestamp':
        return { ...base, type: 'INT64', logical_type: TIMESTAMP_MICROS };
      case 'date':
        return { ...base, type: 'INT32', converted_type: 'DATE' };
      case 'decimal':
        return { ...base, type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, converted_type: 'DECIMAL', precision: DECIMAL_PRECISION, scale: column.scale ?? 0 };
    }
  });
  return [{ name: 'root', num_children: fields.length }, ...fields];
}

/**
 * Key-value metadata of every batch file. Spark reads dates before 1582 and timestamps before 1900
 * of a Parquet file without a writer version by `spark.sql.parquet.datetimeRebaseModeInRead`,
 * which defaults to refusing them; the values here are proleptic Gregorian (the calendar Spark 3
 * writes), and the version key says exactly that, so such dates load unchanged.
 */
export const FILE_METADATA = [{ key: 'org.apache.spark.version', value: '3.5.0' }];

const STAGED_TIMESTAMP = /^\d{4,5}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}Z$/;
const STAGED_DATE = /^(\d{4})-(\d\d)-(\d\d)$/;

/** Microseconds since the epoch of a staged timestamp (`YYYY-MM-DD HH:MM:SS.ffffffZ`, UTC). */
export function timestampMicros(text: string): bigint {
  // Checked once, then read by position: the staging form is fixed (a 5-digit year only where an
  // offset crossed the year 9999), and capturing its fields with a regular expression was the
  // most expensive part of encoding a timestamp.
  const y = text.length - 23;
  if ((y !== 4 && y !== 5) || !STAGED_TIMESTAMP.test(text)) throw new Error(`Staged timestamp '${text}' is not in the staging form`);
  const micros = epochMicros(digits(text, 0, y), digits(text, y + 1, 2), digits(text, y + 4, 2), digits(text, y + 7, 2), digits(text, y + 10, 2), digits(text, y + 13, 2), digits(text, y + 16, 6));
  return typeof micros === 'bigint' ? micros : BigInt(micros);
}

/** Days since the epoch of a staged date (`YYYY-MM-DD`). */
export function dateDays(text: string): number {
  const m = STAGED_DATE.exec(text);
  if (!m) throw new Error(`Staged date '${text}' is not in the staging form`);
  return daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** The unscaled integer of a staged decimal (plain text such as `-12.5`) at `scale` digits. */
export function unscaledDecimal(text: string, scale: number): bigint {
  const negative = text.startsWith('-');
  const unsigned = negative || text.startsWith('+') ? text.slice(1) : text;
  const [whole = '', fraction = ''] = unsigned.split('.');
  if (!/^\d*$/.test(whole) || !/^\d*$/.test(fraction) || fraction.length > scale) throw new Error(`Staged decimal '${text}' does not fit scale ${scale}`);
  const unscaled = BigInt(`${whole}${fraction.padEnd(scale, '0')}` || '0');
  return negative ? -unscaled : unscaled;
}
