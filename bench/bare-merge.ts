import type { BenchOptions } from './args.js';
export async function bareMerge(_options: BenchOptions, _root: string): Promise<{ ok: boolean; text: string }> {
  return { ok: false, text: 'not yet' };
}
