import { Worker } from 'node:worker_threads';
import { ENCODER_MODULE, ENCODER_ROLE, type EncoderFailure, type EncoderReply, type EncoderRequest } from './parquet-encoder.js';
import type { StagedColumn } from './parquet-layout.js';
import type { BlockData } from './row-block.js';
import { StagingError } from './staging-error.js';

/**
 * The one owner of the Parquet encoder thread (parquet-encoder.ts) on the record path's side:
 * it starts the thread on first use, numbers the files, sends their row groups, and answers
 * finish and discard with a promise each. The protocol's rules:
 *
 *  E1  Requests of one file reach the thread in the order sent, and each finish or discard gets
 *      exactly one `settled` answer; a file's failure is also reported once, early (`failed`), so
 *      the next row group sent stops the run instead of staging more rows for a file that is lost.
 *  E2  At most MAX_QUEUED row groups wait to be encoded: sending another blocks the record path
 *      (Atomics.wait on a counter the thread lowers) until the thread has caught up, so memory
 *      stays bounded when encoding is the slower side.
 *  E3  The thread keeps the process alive only while a finish or discard waits for it.
 *  E4  If the thread dies, every waiting promise is rejected, and so is everything after.
 */

/** Row groups sent and not yet encoded before the record path waits (each at most ROW_GROUP_BYTES of values). */
const MAX_QUEUED = 6;
/** The record path gives up waiting for the encoder after this long without progress. */
const STALL_MS = 120_000;

class EncoderThread {
  private worker: Worker | undefined;
  private readonly queued = new Int32Array(new SharedArrayBuffer(4));
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private readonly failures = new Map<number, EncoderFailure>();
  private dead: Error | undefined;
  private nextId = 1;

  /** Registers a batch file whose descriptor `fd` is open for writing; returns its id. */
  open(fd: number, path: string, columns: readonly StagedColumn[], compress: boolean): number {
    const id = this.nextId++;
    this.send({ type: 'open', id, fd, path, columns: [...columns], compress });
    return id;
  }

  /** The file's failure, once the thread has reported one. */
  failure(id: number): EncoderFailure | undefined {
    return this.failures.get(id);
  }

  /** Sends a row group (its buffers move to the thread); waits while the thread is behind (E2). */
  rows(id: number, block: BlockData, transfer: ArrayBuffer[]): void {
    const started = Date.now();
    for (let n = Atomics.load(this.queued, 0); n >= MAX_QUEUED; n = Atomics.load(this.queued, 0)) {
      if (Atomics.wait(this.queued, 0, n, 1000) === 'timed-out' && Date.now() - started > STALL_MS) {
        throw new Error(`The Parquet encoder thread has not encoded a row group for ${STALL_MS / 1000} s`);
      }
    }
    Atomics.add(this.queued, 0, 1);
    this.send({ type: 'rows', id, block }, transfer);
  }

  /** Resolves once the file is complete and closed; rejects with its failure (E1). */
  finish(id: number): Promise<void> {
    return this.request({ type: 'finish', id });
  }

  /** Resolves once the thread has closed the file (the caller removes it). */
  discard(id: number): Promise<void> {
    return this.request({ type: 'discard', id });
  }

  private request(request: EncoderRequest): Promise<void> {
    if (this.dead) return Promise.reject(this.dead);
    const settled = new Promise<void>((resolve, reject) => this.waiting.set(request.id, { resolve, reject }));
    this.send(request);
    this.worker?.ref();
    return settled;
  }

  private send(request: EncoderRequest, transfer: ArrayBuffer[] = []): void {
    if (this.dead) throw this.dead;
    this.thread().postMessage(request, transfer);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const url = new URL(ENCODER_MODULE);
    const workerData = { role: ENCODER_ROLE, queued: this.queued.buffer };
    // Run from the TypeScript sources (tests, tsx), the thread loads its module through tsx too.
    const worker = url.pathname.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData })
      : new Worker(url, { workerData });
    worker.unref();
    worker.on('message', (reply: EncoderReply) => this.onReply(reply));
    const die = (e: Error) => {
      this.dead ??= new Error(`The Parquet encoder thread stopped: ${e.message}`);
      Atomics.store(this.queued, 0, 0);
      for (const { reject } of this.waiting.values()) reject(this.dead);
      this.waiting.clear();
    };
    worker.on('error', die);
    worker.on('exit', (code) => die(new Error(`exit code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private onReply(reply: EncoderReply): void {
    if (reply.type === 'failed') {
      this.failures.set(reply.id, reply.failure);
      return;
    }
    this.failures.delete(reply.id);
    const waiter = this.waiting.get(reply.id);
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker?.unref();
    if (!waiter) return;
    if (reply.failure) waiter.reject(failureError(reply.failure));
    else waiter.resolve();
  }
}

/** A failure of the encoder as the record path reports it: a StagingError names the setting to check. */
export function failureError(failure: EncoderFailure): Error {
  return failure.staging ? new StagingError(failure.message) : new Error(failure.message);
}

/** The process's encoder thread, started on first use. */
export const encoderThread = new EncoderThread();
