/**
 * A fake iomete gateway: an HTTP proxy on 127.0.0.1 in front of the local thrift endpoint that
 * answers HTTP 429 (a token's rate limit) to the requests its rule picks, before they reach Spark,
 * as the real gateway does, and forwards the others. It records every request (arrival time,
 * thrift method, refused or not), so tests can check what was refused and how requests were paced.
 */
import { performance } from 'node:perf_hooks';
import { mulberry32 } from '../../bench/generator.js';
import { startThriftProxy, type ThriftProxy } from '../../bench/thrift-proxy.js';

export interface GatewayRequest {
  /** performance.now() at arrival. */
  at: number;
  method: string;
  /** The Retry-After sent with a 429 ('' when none was sent); undefined when forwarded. */
  refused?: string;
}

/** Decides per request: undefined forwards it; otherwise a 429 with this Retry-After ('' for none). */
export type RefusalRule = (method: string, nthOfMethod: number, now: number) => string | undefined;

export interface FakeGateway {
  port: number;
  requests: GatewayRequest[];
  proxy: ThriftProxy;
  close(): Promise<void>;
}

export async function startFakeGateway(upstream: { host: string; port: number }, rule: RefusalRule): Promise<FakeGateway> {
  const requests: GatewayRequest[] = [];
  const seen = new Map<string, number>();
  const proxy = await startThriftProxy(upstream, (call) => {
    // At arrival of the whole body: the test process is idle otherwise, so this is when it came.
    const method = call?.method ?? 'undecoded';
    const nth = seen.get(method) ?? 0;
    seen.set(method, nth + 1);
    const refused = rule(method, nth, Date.now());
    requests.push({ at: performance.now(), method, ...(refused !== undefined ? { refused } : {}) });
    if (refused === undefined) return undefined;
    const headers: Record<string, string> = refused === '' ? {} : { 'retry-after': refused };
    return { status: 429, headers };
  });
  return { port: proxy.port, requests, proxy, close: () => proxy.close() };
}

/**
 * Refuses the first request of every thrift method (so session opens, statements, polls, fetches
 * and closes all meet a 429) and then a `share` of the rest, picked by a seeded sequence; the
 * Retry-After cycles through none, delay-seconds and an HTTP-date.
 */
export function seededRefusals(seed: number, share: number): RefusalRule {
  const random = mulberry32(seed);
  let refusals = 0;
  return (_method, nth, now) => {
    if (nth > 0 && random() >= share) return undefined;
    refusals += 1;
    switch (refusals % 4) {
      case 0:
        return '';
      case 1:
        return '0';
      case 2:
        return new Date(now + 1000).toUTCString();
      default:
        return '1';
    }
  };
}

/** Pure: the most requests that arrived within any window of `windowMs` (sliding). */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while ((sorted[last] as number) - (sorted[first] as number) >= windowMs) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
