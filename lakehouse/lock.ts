import fs from 'node:fs';
import { removeAll } from './fsutil.js';
import { say } from './log.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { pidExists } from './processes.js';

const WAIT_LIMIT_MS = 30 * 60_000;

/**
 * Serialises starts (say, several test processes calling ensureLakehouse at
 * once) so only one downloads jars and launches servers; the others then find
 * it running. Best effort: a lock left by a dead process is taken over.
 */
export async function withStartLock<T>(lockFile: string, work: () => Promise<T>): Promise<T> {
  await acquire(lockFile);
  try {
    return await work();
  } finally {
    if (lockOwner(lockFile) === process.pid) removeAll(lockFile);
  }
}

async function acquire(lockFile: string): Promise<void> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  let announced = false;
  while (!tryCreate(lockFile)) {
    const owner = lockOwner(lockFile);
    if (owner !== undefined && !pidExists(owner)) {
      removeAll(lockFile);
      continue;
    }
    if (!announced) say(`another start (pid ${owner ?? '?'}) is in progress; waiting for it to finish`);
    announced = true;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${lockFile}; delete it if no start is running`);
    await sleep(500);
  }
}

function tryCreate(lockFile: string): boolean {
  try {
    fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

// Undefined while the owner has created the file but not yet written its pid.
function lockOwner(lockFile: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(lockFile, 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
