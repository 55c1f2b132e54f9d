// Why: an output's raw-value check draws every run of up to four words and looks each up (about
// 240 ms for a 1 MB output); on the gateway's event loop that would stall every other request.
// This worker thread answers POST /leak-check/outputs batches from a snapshot of the index the
// main thread built (output-worker.ts). It reads no files and keeps nothing beyond the index.
import { parentPort } from 'node:worker_threads';
import { LeakIndex } from './leak-index.js';
import { rawValueVerdicts } from './outputs.js';
import type { CheckWorkerReply, CheckWorkerRequest } from './output-worker-protocol.js';

let index: { generation: number; index: LeakIndex } | undefined;

/** The answer to one request. */
function answer(m: CheckWorkerRequest): CheckWorkerReply | undefined {
  if (m.type === 'index') {
    index = { generation: m.generation, index: LeakIndex.fromSnapshot(m.snapshot) };
    return undefined;
  }
  if (!index || index.generation !== m.generation)
    return { type: 'failed', id: m.id, message: 'the worker does not hold that index' };
  const current = index.index;
  try {
    const rawValue = rawValueVerdicts(current, m.items);
    return { type: 'result', id: m.id, rawValue };
  } catch (error) {
    return { type: 'failed', id: m.id, message: (error as Error).name };
  }
}

parentPort?.on('message', (m: CheckWorkerRequest) => {
  const reply = answer(m);
  if (reply) parentPort?.postMessage(reply);
});
