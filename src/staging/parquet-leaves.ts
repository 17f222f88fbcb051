import { parquetSchema, type FileMetaData, type SchemaElement, type SchemaTree } from 'hyparquet';
import { decimalValue, isoTime, jsonShaped } from './parquet-values.js';

/**
 * Leaves hyparquet does not decode the way a JSON tap would have sent them, decoded here as the
 * rows come (in lists, structs and map values too):
 *
 * DECIMAL: hyparquet makes a double of it (unscaled / 10^scale), which keeps 15 to 17 significant
 * digits: a Postgres numeric(18,4) of 99999999999999.9999 would arrive as 100000000000000. So,
 * before the rows are read, the DECIMAL annotation is taken off the file's schema for every decimal
 * leaf stored as an integer or as fixed-length bytes: hyparquet then hands over the stored unscaled
 * integers, which become exact values (decimalValue). Left to hyparquet: decimals stored as
 * variable-length BYTE_ARRAY (without the annotation hyparquet would read them as text) and
 * decimals that are map keys (object keys are text). Those are exact as doubles up to 15 digits,
 * where the double is rounded back to the scale (hyparquet's division leaves 0.30000000000000004);
 * a wider one is refused, never rounded.
 *
 * TIME: hyparquet hands over the count of units since midnight; a JSON tap sends `HH:MM:SS.ffffff`.
 *
 * Returns a decoder for each top-level column that holds such a leaf; other columns take jsonShaped.
 */
export function leafDecoders(metadata: FileMetaData): Map<string, (value: unknown) => unknown> {
  const exact = new Map<SchemaElement, number>();
  const doubles = new Map<SchemaElement, number>();
  const times = new Map<SchemaElement, bigint>();
  const mark = (node: SchemaTree, mapKey: boolean): boolean => {
    const { element } = node;
    if (node.children.length === 0) {
      const perSecond = timeUnitsPerSecond(element);
      if (perSecond !== undefined) {
        times.set(element, perSecond);
        return true;
      }
      if (element.converted_type !== 'DECIMAL' && element.logical_type?.type !== 'DECIMAL') return false;
      const scale = element.scale ?? 0;
      if (element.type === 'BYTE_ARRAY' || mapKey) {
        const precision = element.precision ?? 38;
        if (precision > 15) {
          throw new Error(
            `column ${node.path.join('.')} is a DECIMAL(${precision},${scale}) stored ${mapKey ? 'as a map key' : 'as BYTE_ARRAY'}, which the target cannot read without rounding; ` +
              'write it as FIXED_LEN_BYTE_ARRAY (pyarrow and Spark do) or as text',
          );
        }
        doubles.set(element, scale);
        return true;
      }
      exact.set(element, scale);
      element.converted_type = undefined;
      element.logical_type = undefined;
      return true;
    }
    // A MAP's key and value are the children of its one key_value group.
    const children = isMap(node) ? (node.children[0] as SchemaTree).children : node.children;
    let holds = false;
    for (const child of children) holds = mark(child, mapKey || (children !== node.children && child.element.name === 'key')) || holds;
    return holds;
  };
  const columns = new Map<string, (value: unknown) => unknown>();
  for (const column of parquetSchema(metadata).children) {
    if (mark(column, false)) columns.set(column.element.name, (value) => decode(value, column, { exact, doubles, times }));
  }
  return columns;
}

interface Leaves {
  /** Decimals read as unscaled integers, by scale. */
  exact: ReadonlyMap<SchemaElement, number>;
  /** Decimals hyparquet made doubles of, by scale. */
  doubles: ReadonlyMap<SchemaElement, number>;
  /** Times of day, by units per second. */
  times: ReadonlyMap<SchemaElement, bigint>;
}

function decode(value: unknown, node: SchemaTree, leaves: Leaves): unknown {
  if (value === null || value === undefined) return null;
  if (node.children.length === 0) {
    // A repeated leaf (a list without the LIST annotation) arrives as an array of values.
    if (Array.isArray(value) || ArrayBuffer.isView(value) && !(value instanceof Uint8Array)) {
      return Array.from(value as ArrayLike<unknown>, (v) => decode(v, node, leaves));
    }
    const perSecond = leaves.times.get(node.element);
    if (perSecond !== undefined && (typeof value === 'number' || typeof value === 'bigint')) return isoTime(BigInt(value), perSecond);
    const scale = leaves.exact.get(node.element);
    if (scale !== undefined) return decimalValue(value as number | bigint | Uint8Array, scale);
    const rounded = leaves.doubles.get(node.element);
    if (rounded !== undefined && typeof value === 'number' && Number.isFinite(value)) return Number(value.toFixed(Math.min(rounded, 100)));
    return jsonShaped(value);
  }
  if (isList(node)) {
    const list = node.children[0] as SchemaTree;
    const element = list.children.length === 1 ? (list.children[0] as SchemaTree) : list;
    return Array.from(value as ArrayLike<unknown>, (v) => decode(v, element, leaves));
  }
  if (Array.isArray(value)) return value.map((v) => decode(v, node, leaves));
  const out: Record<string, unknown> = {};
  const set = (key: string, v: unknown) => Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  if (isMap(node)) {
    const valueNode = (node.children[0] as SchemaTree).children.find((c) => c.element.name === 'value');
    for (const [key, v] of Object.entries(value)) set(key, valueNode ? decode(v, valueNode, leaves) : jsonShaped(v));
    return out;
  }
  for (const [key, v] of Object.entries(value)) {
    const child = node.children.find((c) => c.element.name === key);
    set(key, child ? decode(v, child, leaves) : jsonShaped(v));
  }
  return out;
}

/** hyparquet's test for a value assembled as a list (schema.js isListLike). */
function isList(node: SchemaTree): boolean {
  const list = node.children[0];
  return node.element.converted_type === 'LIST' && node.children.length === 1 && list !== undefined && list.children.length <= 1 && list.element.repetition_type === 'REPEATED';
}

/** hyparquet's test for a value assembled as an object of keys and values (schema.js isMapLike). */
function isMap(node: SchemaTree): boolean {
  const keyValue = node.children[0];
  return node.element.converted_type === 'MAP' && node.children.length === 1 && keyValue !== undefined && keyValue.children.length === 2 && keyValue.element.repetition_type === 'REPEATED';
}

/** Units per second of a TIME leaf (TIME_MILLIS, TIME_MICROS, or the TIME logical type), else undefined. */
function timeUnitsPerSecond(element: SchemaElement): bigint | undefined {
  if (element.converted_type === 'TIME_MILLIS') return 1_000n;
  if (element.converted_type === 'TIME_MICROS') return 1_000_000n;
  const logical = element.logical_type;
  if (logical?.type !== 'TIME') return undefined;
  return logical.unit === 'MILLIS' ? 1_000n : logical.unit === 'MICROS' ? 1_000_000n : 1_000_000_000n;
}
