import { readFileSync } from 'node:fs';

export interface RssSample {
  /** Peak resident set size seen (kernel's VmHWM, which already covers moments between polls). */
  peakBytes: number;
  /** Largest current RSS (VmRSS) polled; close to the peak unless a spike fell between polls. */
  maxPolledBytes: number;
  samples: number;
  /** Every poll: milliseconds since monitoring started and VmRSS in bytes (to see a trend). */
  timeline: Array<{ ms: number; bytes: number }>;
}

/** Pure: VmHWM and VmRSS of a /proc/<pid>/status text, in bytes. */
function parseProcStatus(text: string): { hwm?: number; rss?: number } {
  const kib = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const result: { hwm?: number; rss?: number } = {};
  const hwm = kib('VmHWM');
  const rss = kib('VmRSS');
  if (hwm !== undefined) result.hwm = hwm;
  if (rss !== undefined) result.rss = rss;
  return result;
}

/**
 * Polls a process's memory every `intervalMs` until stopped. Linux only (reads /proc); a vanished
 * process simply ends the sampling, keeping what was seen.
 */
/**
 * Pure: the largest RSS in each of `parts` equal time slices of the timeline, in bytes. Flat
 * values after the first slices mean memory does not grow with the input.
 */
export function rssProfile(timeline: ReadonlyArray<{ ms: number; bytes: number }>, parts = 10): number[] {
  const end = timeline.at(-1)?.ms ?? 0;
  if (end === 0) return [];
  const maxima = new Array<number>(parts).fill(0);
  for (const { ms, bytes } of timeline) {
    const slice = Math.min(parts - 1, Math.floor((ms / end) * parts));
    maxima[slice] = Math.max(maxima[slice] ?? 0, bytes);
  }
  return maxima;
}

export function monitorRss(pid: number, intervalMs = 100): { stop: () => RssSample } {
  const sample: RssSample = { peakBytes: 0, maxPolledBytes: 0, samples: 0, timeline: [] };
  const started = performance.now();
  const poll = () => {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      return;
    }
    const { hwm, rss } = parseProcStatus(text);
    sample.samples += 1;
    if (hwm !== undefined) sample.peakBytes = Math.max(sample.peakBytes, hwm);
    if (rss !== undefined) {
      sample.maxPolledBytes = Math.max(sample.maxPolledBytes, rss);
      sample.timeline.push({ ms: performance.now() - started, bytes: rss });
    }
  };
  poll();
  const timer = setInterval(poll, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return sample;
    },
  };
}
