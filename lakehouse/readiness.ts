import { setTimeout as sleep } from 'node:timers/promises';
import { portAnswers } from './ports.js';
import { isRunning, type ManagedProcess } from './processes.js';
import { say, seconds } from './log.js';
import { HOST } from './settings.js';
import { probeEndpoint, type ThriftEndpoint } from './thrift-client.js';

export interface ReadinessTarget {
  endpoint: ThriftEndpoint;
  s3Port: number;
  processes: ManagedProcess[];
  stateDir: string;
  timeoutMs: number;
}

class NotReadyError extends Error {}

const NOTICE_EVERY_MS = 15_000;

/** Ready = s3rver answers and a real Thrift session runs SELECT 1. A crashed child fails fast. */
export async function waitUntilReady(target: ReadinessTarget): Promise<void> {
  const started = Date.now();
  const deadline = started + target.timeoutMs;
  let reason = 'nothing answered yet';
  let nextNotice = started + NOTICE_EVERY_MS;
  while (Date.now() < deadline) {
    assertAlive(target);
    const probe = await probeOnce(target, deadline);
    if (probe === undefined) return;
    reason = probe;
    if (Date.now() >= nextNotice) {
      say(`still waiting after ${seconds(Date.now() - started)}: ${reason}`);
      nextNotice += NOTICE_EVERY_MS;
    }
    await sleep(500);
  }
  throw new NotReadyError(`not ready after ${seconds(target.timeoutMs)}: ${reason}`);
}

function assertAlive(target: ReadinessTarget): void {
  const dead = target.processes.find((proc) => !isRunning(proc, target.stateDir));
  if (dead) throw new NotReadyError(`${dead.name} (pid ${dead.pid}) exited during startup`);
}

/** Returns why the stack is not ready yet, or undefined once it is. */
async function probeOnce(target: ReadinessTarget, deadline: number): Promise<string | undefined> {
  if (!(await portAnswers(HOST, target.s3Port))) return `s3rver is not answering on port ${target.s3Port} yet`;
  // Checking the port first avoids building a Thrift client per refused connection.
  if (!(await portAnswers(HOST, target.endpoint.port))) return `Spark Thrift Server is not listening on port ${target.endpoint.port} yet`;
  const probe = await probeEndpoint(target.endpoint, Math.max(1_000, Math.min(15_000, deadline - Date.now())));
  return probe.ok ? undefined : `thrift endpoint not ready: ${probe.reason}`;
}
