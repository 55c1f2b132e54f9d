// Why: runs the outputs' raw-value checks (POST /leak-check/outputs), the export filter
// (POST /exports) and the check of outputs submitted for review (POST /reviews) in one worker
// thread, so a large output does not stall the gateway's other requests. The bodies of those two
// routes (up to 32 and 16 MB) move here as bytes, are parsed and kept here, and what goes back to
// be sent or stored goes back as JSON text, so the event loop neither parses nor serializes them.
// The worker starts on first use, gets each new index once (a snapshot: key, tags, Bloom filter;
// in-process only) and answers requests as they come. A worker that fails or stops fails its
// requests with a clear error (the hosts then hold the outputs: fail closed) and is started afresh
// on the next one.
import type { Worker } from 'node:worker_threads';
import type { OutputLeakItem } from '@privet/core';
import { ServiceError } from '../audit/service-error.js';
import type { ExportLookups } from '../export/lookups.js';
import { HttpError } from '../http/errors.js';
import type { SubmitCheck } from '../review/submit-check.js';
import { startModuleWorker } from '../module-worker.js';
import type { LeakIndex } from './leak-index.js';
import type {
  CheckWorkerReply,
  CheckWorkerRequest,
  ExportedLines,
  OpenedExport,
  OpenedReview,
  OpenedReviewRules,
} from './output-worker-protocol.js';

/** A request waiting for the worker: its reply is handed to `settle`. */
interface Waiting {
  settle: (reply: CheckWorkerReply) => void;
  reject: (error: Error) => void;
}

/** A request to the worker, less the fields `request` fills in. */
type Job =
  | { type: 'check'; items: OutputLeakItem[] }
  | { type: 'open'; kind: 'export' | 'review'; bytes: Uint8Array }
  | { type: 'export-opened'; body: number; lookups: ExportLookups }
  | { type: 'review-opened'; body: number; rules: OpenedReviewRules };

/** A request body the worker parsed and keeps: its handle for the next step, and what it read. */
export interface OpenedBody<T extends OpenedExport | OpenedReview> {
  handle: number;
  opened: T;
}

/**
 * Bytes that can move to the worker without a copy: a Buffer that owns its whole ArrayBuffer (a
 * large body; a small one may share Node's pool, which must not be detached, so it is copied).
 */
function movable(bytes: Uint8Array): { bytes: Uint8Array; transfer: ArrayBuffer[] } {
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  if (own && bytes.buffer instanceof ArrayBuffer) return { bytes, transfer: [bytes.buffer] };
  return { bytes: bytes.slice(), transfer: [] };
}

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
   * Hands a request body over as bytes (moved, not copied, when it owns its memory): the worker
   * parses and validates it (a malformed body rejects with its 400), keeps it, and answers what
   * the main thread needs to decide and read the stores. Every handle must be used or closed.
   */
  open<K extends 'export' | 'review'>(
    kind: K,
    bytes: Uint8Array,
  ): Promise<OpenedBody<K extends 'export' ? OpenedExport : OpenedReview>> {
    const moved = movable(bytes);
    return this.request(
      undefined, // parsing needs no index: a malformed body is refused before one is built
      { type: 'open', kind, bytes: moved.bytes },
      (reply) => {
        if (reply.type !== 'opened' || reply.opened.kind !== kind)
          throw workerFailed('the worker answered something else');
        return {
          handle: reply.id,
          opened: reply.opened as K extends 'export' ? OpenedExport : OpenedReview,
        };
      },
      moved.transfer,
    );
  }

  /** Filters an opened export body; the filtered notebook comes back as UTF-8 JSON bytes. */
  filterOpenedExport(
    index: LeakIndex,
    handle: number,
    lookups: ExportLookups,
  ): Promise<{ lines: ExportedLines; notebookJson: Uint8Array }> {
    return this.request(index, { type: 'export-opened', body: handle, lookups }, (reply) => {
      if (reply.type !== 'exported-json') throw workerFailed('the worker answered something else');
      return { lines: reply.lines, notebookJson: reply.notebookJson };
    });
  }

  /** Checks an opened review body's output; the output comes back as its JSON text. */
  checkOpenedReview(
    index: LeakIndex,
    handle: number,
    rules: OpenedReviewRules,
  ): Promise<{ checked: SubmitCheck; outputJson: string }> {
    return this.request(index, { type: 'review-opened', body: handle, rules }, (reply) => {
      if (reply.type !== 'reviewed-json') throw workerFailed('the worker answered something else');
      return { checked: reply.checked, outputJson: reply.outputJson };
    });
  }

  /** Drops an opened body no step used (nothing to do when the worker that kept it is gone). */
  closeBody(handle: number): void {
    if (this.worker) this.post(this.worker, { type: 'close', body: handle }); // unsent: kept until the worker ends
  }

  /** Sends `job` (and the index first, if the worker does not hold it) and reads its reply. */
  private request<T>(
    index: LeakIndex | undefined,
    job: Job,
    read: (reply: CheckWorkerReply) => T,
    transfer: ArrayBuffer[] = [],
  ): Promise<T> {
    if (this.closed) return Promise.reject(workerFailed('the gateway is shutting down'));
    const worker = this.started();
    if (index && this.sent?.index !== index) {
      const generation = ++this.generation;
      const snapshot = index.snapshot();
      const unsent = this.post(worker, { type: 'index', generation, snapshot });
      if (unsent) return Promise.reject(unsent);
      this.sent = { index, generation };
    }
    const request: CheckWorkerRequest = {
      ...job,
      id: this.nextId++,
      generation: this.sent?.generation ?? 0, // no index needed (open): any generation
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
      const unsent = this.post(worker, request, transfer);
      if (unsent) {
        // Only this request fails: the worker never saw it, and the others it holds go on.
        this.waiting.delete(request.id);
        if (this.waiting.size === 0) worker.unref();
        reject(unsent);
      }
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

  /**
   * Posts `message`; answers the error when it could not be copied to the worker (nothing was
   * sent then, so the worker and the requests it holds are unaffected), else undefined.
   */
  private post(
    worker: Worker,
    message: CheckWorkerRequest,
    transfer: ArrayBuffer[] = [],
  ): ServiceError | undefined {
    try {
      worker.postMessage(message, transfer);
      return undefined;
    } catch (error) {
      return workerFailed(`a message could not be sent (${(error as Error).name})`);
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
