/**
 * Pure: exact decimal arithmetic on number text, so decimals never pass through a double.
 * A JSON number `-12.3400e2` is held as sign, digits without leading/trailing zeros and the power
 * of ten of the last digit: (-, "1234", 1 - 4 + 2 = -1 ... ) i.e. value = sign * digits * 10^exponent.
 */
export interface DecimalParts {
  negative: boolean;
  /** Significant digits, no leading or trailing zeros ('' for zero). */
  digits: string;
  /** Power of ten of the last digit. */
  exponent: number;
}

const NUMBER_TEXT = /^(-|\+)?(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$|^(-|\+)?\.(\d+)(?:[eE]([+-]?\d+))?$/;

/** The parts of a decimal number text (JSON syntax, also `+1`, `1.`, `.5`), or undefined. */
export function decimalParts(text: string): DecimalParts | undefined {
  const m = NUMBER_TEXT.exec(text.trim());
  if (!m) return undefined;
  const sign = m[1] ?? m[5];
  const whole = m[2] ?? '';
  const fraction = m[3] ?? m[6] ?? '';
  const exp = Number(m[4] ?? m[7] ?? '0');
  if (!Number.isSafeInteger(exp)) return undefined;
  let digits = (whole + fraction).replace(/^0+/, '');
  let exponent = exp - fraction.length;
  const trailing = /0+$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  if (digits === '') return { negative: false, digits: '', exponent: 0 };
  return { negative: sign === '-', digits, exponent };
}

/** Digits after the decimal point the value needs (0 for integers). */
export function fractionDigits(parts: DecimalParts): number {
  return parts.exponent < 0 ? -parts.exponent : 0;
}

/** Digits before the decimal point the value needs (0 for |value| < 1). */
export function integerDigits(parts: DecimalParts): number {
  return Math.max(0, parts.digits.length + parts.exponent);
}

/** Plain decimal text without exponent, e.g. `-1234.5`, `0.001`, `1200`. */
export function plainText(parts: DecimalParts): string {
  if (parts.digits === '') return '0';
  const sign = parts.negative ? '-' : '';
  if (parts.exponent >= 0) return sign + parts.digits + '0'.repeat(parts.exponent);
  const point = parts.digits.length + parts.exponent;
  if (point > 0) return `${sign}${parts.digits.slice(0, point)}.${parts.digits.slice(point)}`;
  return `${sign}0.${'0'.repeat(-point)}${parts.digits}`;
}

function same(a: DecimalParts, b: DecimalParts): boolean {
  return a.negative === b.negative && a.digits === b.digits && a.exponent === b.exponent;
}

/** True when the double nearest to `text` prints back as the same decimal value (JS prints the shortest round-trip text). */
export function exactAsDouble(text: string): boolean {
  const a = decimalParts(text);
  const n = Number(text);
  if (!a || !Number.isFinite(n)) return false;
  const b = decimalParts(String(n));
  return b !== undefined && same(a, b);
}

/** `unscaled * 10^-scale` as plain decimal text, every digit of the scale kept: `-12.3400` for (-123400n, 4). */
export function decimalText(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  } else if (scale < 0 && digits !== '0') {
    digits += '0'.repeat(-scale);
  }
  return negative ? `-${digits}` : digits;
}
