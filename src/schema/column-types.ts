import { isObject } from '../singer/json.js';
import { selectsStream } from '../mapping/stream-mapper.js';
import { DECIMAL_PRECISION, type SparkType, type ValueKind } from './columns.js';

/**
 * Pure: the column types a user may choose (`column_types`, `default_number_type`), read from
 * their text, and which choice applies to a stream's property.
 */

/** A chosen column type: the Spark type and how values are staged for it. */
interface ColumnTypeChoice {
  type: SparkType;
  kind: ValueKind;
  precision?: number;
  scale?: number;
}

const SIMPLE: Record<string, ValueKind> = { DOUBLE: 'number', BIGINT: 'integer', STRING: 'string', TIMESTAMP: 'timestamp', DATE: 'date', BOOLEAN: 'boolean' };
const DECIMAL_TEXT = /^DECIMAL\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/i;

/** The choice a type text names, or the problem with it (a phrase naming the allowed forms). */
function parseColumnType(text: unknown): ColumnTypeChoice | { problem: string } {
  const allowed = `use DECIMAL(p,s) with 1 <= p <= ${DECIMAL_PRECISION} and 0 <= s <= p, DOUBLE, BIGINT, STRING, TIMESTAMP, DATE or BOOLEAN`;
  if (typeof text !== 'string') return { problem: `must be a type name (text); ${allowed}` };
  const upper = text.trim().toUpperCase();
  const kind = SIMPLE[upper];
  if (kind) return { type: upper as SparkType, kind };
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m) return { problem: `'${text}' is not a type the target creates; ${allowed}` };
  const precision = Number(m[1]);
  const scale = Number(m[2]);
  if (precision < 1 || precision > DECIMAL_PRECISION || scale > precision) return { problem: `'${text}' is not a valid decimal type; ${allowed}` };
  return { type: `DECIMAL(${precision},${scale})`, kind: 'decimal', precision, scale };
}

/** The number types `default_number_type` may name: a plain number is stored as a double, an exact decimal or its text. */
const NUMBER_KINDS = new Set<ValueKind>(['number', 'decimal', 'string']);

/** Problems of the two settings, each naming the setting and key (for resolveConfig). */
export function columnTypeProblems(config: { column_types?: unknown; default_number_type?: unknown }): string[] {
  const problems: string[] = [];
  const types = config.column_types;
  // A column_types that is no object at all is reported by the settings schema.
  for (const [selector, properties] of Object.entries(isObject(types) ? types : {})) {
    if (!isObject(properties)) {
      problems.push(`'column_types.${selector}' must be an object of property names and types, e.g. {"amount": "DECIMAL(18,4)"}`);
      continue;
    }
    for (const [property, text] of Object.entries(properties)) {
      const choice = parseColumnType(text);
      if ('problem' in choice) problems.push(`'column_types.${selector}.${property}' ${choice.problem}`);
    }
  }
  if (typeof config.default_number_type === 'string') {
    const choice = parseColumnType(config.default_number_type);
    if ('problem' in choice) problems.push(`'default_number_type' ${choice.problem.replace(/, BIGINT.*$/, ' or STRING')}`);
    else if (!NUMBER_KINDS.has(choice.kind)) problems.push(`'default_number_type' must be DOUBLE, DECIMAL(p,s) or STRING, not '${String(config.default_number_type)}'`);
  }
  return problems;
}

/** What the settings choose for the columns of one stream. */
export interface StreamColumnTypes {
  /** Property (flattened name) -> the type chosen for it. */
  properties: ReadonlyMap<string, ColumnTypeChoice>;
  /** The type of a plain `number` (no exact DECIMAL from multipleOf); undefined for DOUBLE. */
  defaultNumber?: ColumnTypeChoice;
}

/**
 * The choices of validated settings for `stream` (its name after stream maps). Selectors are
 * matched as stream maps match them (the exact name, or a `*`/`?`/`[...]` pattern). For each
 * property the entry named exactly for the stream wins; among patterns the last one listed wins.
 */
export function columnTypesFor(stream: string, config: { column_types?: Record<string, Record<string, string>>; default_number_type?: string }): StreamColumnTypes {
  const properties = new Map<string, ColumnTypeChoice>();
  const entries = Object.entries(config.column_types ?? {});
  const ordered = [...entries.filter(([selector]) => selector !== stream), ...entries.filter(([selector]) => selector === stream)];
  for (const [selector, types] of ordered) {
    if (!selectsStream(selector, stream)) continue;
    for (const [property, text] of Object.entries(types)) {
      const choice = parseColumnType(text);
      if (!('problem' in choice)) properties.set(property, choice);
    }
  }
  const number = config.default_number_type === undefined ? undefined : parseColumnType(config.default_number_type);
  const defaultNumber = number && !('problem' in number) && number.kind !== 'number' ? number : undefined;
  return defaultNumber ? { properties, defaultNumber } : { properties };
}

