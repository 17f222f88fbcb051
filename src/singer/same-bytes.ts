/**
 * True when `a[aStart, aEnd)` and `b[bStart, bEnd)` hold the same bytes. The one byte-range
 * equality of the input path (scanner keys, stream names, field names), called per field of
 * every record. Not Buffer#compare with ranges: its argument checks and native call measured
 * 300-600 ns a call against 10-70 ns for this loop on Node 20 (short keys, 10 million calls).
 */
export function sameBytes(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): boolean {
  const length = aEnd - aStart;
  if (length !== bEnd - bStart) return false;
  for (let i = 0; i < length; i += 1) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}
