// Why: runs the outputs' raw-value checks (POST /leak-check/outputs), the export filter
// (POST /exports) and the check of outputs submitted for review (POST /reviews) in one worker
// thread, so a large output does not stall the gateway's other requests. The worker starts on
// first use, gets each new index once (a snapshot: key, tags, Bloom filter; in-process only) and
// answers requests as they come. A worker that fails or stops fails its requests with a clear
// error (the hosts then hold the outputs: fail closed) and is started afresh on the next one.
import type { Worker } from 'node:worker_threads';
import type { OutputLeakItem } from '@privet/core';
import { ServiceError } from '../audit/service-error.js';
import type { FilteredNotebook } from '../export/filter.js';
import type { ExportLookups } from '../export/lookups.js';
import { HttpError } from '../http/errors.js';
import type { SubmitCheck, SubmitCheckInput } from '../review/submit-check.js';
import { startModuleWorker } from '../module-worker.js';
import type { LeakIndex } from './leak-index.js';
import type { CheckWorkerReply, CheckWorkerRequest } from './output-worker-protocol.js';

/** A request waiting for the worker: its reply is handed to `settle`. */
interface Waiting {
  settle: (reply: CheckWorkerReply) => void;
  reject: (error: Error) => void;
}

/** A request to the worker, less the fields `request` fills in. */
type Job =
  | { type: 'check'; items: OutputLeakItem[] }
  | { type: 'export'; notebook: unknown; lookups: ExportLookups }
  | { type: 'review'; input: SubmitCheckInput };

/** The error a batch fails with when the worker cannot answer it (no value in it). */
function workerFailed(why: string): ServiceError {
  return new ServiceError(
    'internal',
    'leak.worker',
    `the raw-value check could not run: ${why}`,
    'run the cell again; if this keeps happening, check the gateway log and free memory',
  );
}

/** The gateway's output-check worker thread. */
export class OutputCheckWorker {
  private worker: Worker | undefined;
  /** The index the worker holds, and its generation. */
  private sent: { index: LeakIndex; generation: number } | undefined;
  private generation = 0;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private closed = false;

  /** One verdict per item (a raw identifier value shown or not), from the worker. */
  check(index: LeakIndex, items: OutputLeakItem[]): Promise<boolean[]> {
    return this.request(index, { type: 'check', items }, (reply) => {
      if (reply.type !== 'result') throw workerFailed('the worker answered something else');
      return reply.rawValue;
    });
  }

  /**
   * The export of `notebook` filtered in the worker (rules, hashes and raw-value lookups) with the
   * stores' answers `lookups`; a notebook the filter refuses rejects with its HttpError.
   */
  filterExport(
    index: LeakIndex,
    notebook: unknown,
    lookups: ExportLookups,
  ): Promise<FilteredNotebook> {
    return this.request(index, { type: 'export', notebook, lookups }, (reply) => {
      if (reply.type !== 'exported') throw workerFailed('the worker answered something else');
      return reply.filtered;
    });
  }

  /** An output submitted for review, checked in the worker: content hash, rules, raw value. */
  checkSubmitted(index: LeakIndex, input: SubmitCheckInput): Promise<SubmitCheck> {
    return this.request(index, { type: 'review', input }, (reply) => {
      if (reply.type !== 'reviewed') throw workerFailed('the worker answered something else');
      return reply.checked;
    });
  }

  /** Sends `job` (and the index first, if the worker does not hold it) and reads its reply. */
  private request<T>(index: LeakIndex, job: Job, read: (reply: CheckWorkerReply) => T): Promise<T> {
    if (this.closed) return Promise.reject(workerFailed('the gateway is shutting down'));
    const worker = this.started();
    if (this.sent?.index !== index) {
      const generation = ++this.generation;
      const snapshot = index.snapshot();
      if (!this.post(worker, { type: 'index', generation, snapshot }))
        return Promise.reject(workerFailed('the index could not be sent to the worker'));
      this.sent = { index, generation };
    }
    const request: CheckWorkerRequest = {
      ...job,
      id: this.nextId++,
      generation: this.sent.generation,
    };
    return new Promise<T>((resolve, reject) => {
      worker.ref(); // a request waiting keeps the process alive; idle, the worker does not
      const settle = (reply: CheckWorkerReply): void => {
        if (reply.type !== 'failed') {
          try {
            resolve(read(reply));
          } catch (error) {
            reject(error as Error);
          }
        } else if (reply.refusal) {
          const { code, message, fix } = reply.refusal;
          reject(new HttpError(code, message, fix));
        } else reject(workerFailed(reply.message));
      };
      this.waiting.set(request.id, { settle, reject });
      this.post(worker, request); // a failed post rejects every waiting request, this one too
    });
  }

  /** Stops the worker; batches still waiting fail. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.stopped(workerFailed('the gateway is shutting down'));
    await worker?.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startModuleWorker(import.meta.url, 'output-check-worker');
    worker.on('message', (reply: CheckWorkerReply) => {
      const waiting = this.waiting.get(reply.id);
      if (!waiting) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      waiting.settle(reply);
    });
    worker.on('error', (error) => {
      if (this.worker === worker) this.stopped(workerFailed(`the worker failed (${error.name})`));
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.stopped(workerFailed(`the worker exited (code ${code})`));
    });
    // Idle, the worker does not keep the process alive: the gateway's own lifetime decides (unref
    // after the listeners, as adding one refs the worker's port again).
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Posts `message`; false (the worker stopped, waiting batches failed) when it cannot. */
  private post(worker: Worker, message: CheckWorkerRequest): boolean {
    try {
      worker.postMessage(message);
      return true;
    } catch (error) {
      this.stopped(workerFailed(`a message could not be sent (${(error as Error).name})`));
      void worker.terminate();
      return false;
    }
  }

  /** Forgets the worker and fails every waiting batch with `error`. */
  private stopped(error: ServiceError): void {
    this.worker = undefined;
    this.sent = undefined;
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) w.reject(error);
  }
}
