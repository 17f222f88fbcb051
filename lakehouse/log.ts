// Progress goes to stderr so that stdout stays machine-readable (`sql` prints JSON lines there).
export function say(message: string): void {
  process.stderr.write(`[lakehouse] ${message}\n`);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function megabytes(bytes: number): string {
  // Decimal megabytes, the unit pip and PyPI report sizes in.
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
}
