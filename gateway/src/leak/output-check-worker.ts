// Why: an output's raw-value check draws every run of up to four words and looks each up (about
// 240 ms for a 1 MB output), and an export's rule check and hashes cost tens of milliseconds per
// megabyte more; on the gateway's event loop that would stall every other request. This worker
// thread answers POST /leak-check/outputs batches, filters POST /exports notebooks
// (export/lookups.ts) and checks POST /reviews outputs (review/submit-check.ts), from a snapshot
// of the index the main thread built (output-worker.ts). It reads no files and keeps nothing
// beyond the index.
import { parentPort } from 'node:worker_threads';
import { filterWithLookups } from '../export/lookups.js';
import { HttpError } from '../http/errors.js';
import { LeakIndex } from './leak-index.js';
import { rawValueVerdicts } from './outputs.js';
import { checkSubmitted } from '../review/submit-check.js';
import type { CheckWorkerReply, CheckWorkerRequest } from './output-worker-protocol.js';

let index: { generation: number; index: LeakIndex } | undefined;

/** The answer to one request (none for a new index). */
async function answer(m: CheckWorkerRequest): Promise<CheckWorkerReply | undefined> {
  if (m.type === 'index') {
    index = { generation: m.generation, index: LeakIndex.fromSnapshot(m.snapshot) };
    return undefined;
  }
  if (!index || index.generation !== m.generation)
    return { type: 'failed', id: m.id, message: 'the worker does not hold that index' };
  const current = index.index;
  try {
    if (m.type === 'check')
      return { type: 'result', id: m.id, rawValue: rawValueVerdicts(current, m.items) };
    if (m.type === 'review') {
      const checked = await checkSubmitted(
        m.input,
        (item) => rawValueVerdicts(current, [item])[0] === true,
      );
      return { type: 'reviewed', id: m.id, checked };
    }
    const filtered = await filterWithLookups(m.notebook, m.lookups, async (items) =>
      rawValueVerdicts(current, items),
    );
    return { type: 'exported', id: m.id, filtered };
  } catch (error) {
    if (error instanceof HttpError)
      return {
        type: 'failed',
        id: m.id,
        message: error.message,
        refusal: { code: error.code, message: error.message, fix: error.fix },
      };
    return { type: 'failed', id: m.id, message: (error as Error).name };
  }
}

parentPort?.on('message', (m: CheckWorkerRequest) => {
  void answer(m).then((reply) => {
    if (reply) parentPort?.postMessage(reply);
  });
});
