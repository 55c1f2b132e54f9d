// Why: an output's raw-value check draws every run of up to four words and looks each up (about
// 240 ms for a 1 MB output), and an export's rule check and hashes cost tens of milliseconds per
// megabyte more; on the gateway's event loop that would stall every other request. This worker
// thread answers POST /leak-check/outputs batches, parses the bodies of POST /exports and
// POST /reviews (opened-bodies.ts), filters export notebooks (export/lookups.ts) and checks review
// outputs (review/submit-check.ts), from a snapshot of the index the main thread built
// (output-worker.ts). It reads no files and keeps nothing beyond the index and the bodies of
// requests in progress.
import { parentPort } from 'node:worker_threads';
import { HttpError } from '../http/errors.js';
import { LeakIndex } from './leak-index.js';
import { rawValueVerdicts } from './outputs.js';
import { checkOpenedReview, closeBody, filterOpenedExport, openBody } from './opened-bodies.js';
import type { CheckWorkerReply, CheckWorkerRequest } from './output-worker-protocol.js';

let index: { generation: number; index: LeakIndex } | undefined;

/** The answer to one request (none for a new index). */
async function answer(m: CheckWorkerRequest): Promise<CheckWorkerReply | undefined> {
  if (m.type === 'index') {
    index = { generation: m.generation, index: LeakIndex.fromSnapshot(m.snapshot) };
    return undefined;
  }
  if (m.type === 'close') return (closeBody(m.body), undefined);
  try {
    // Parsing a body needs no index.
    if (m.type === 'open')
      return { type: 'opened', id: m.id, opened: openBody(m.id, m.kind, m.bytes) };
    if (!index || index.generation !== m.generation)
      return { type: 'failed', id: m.id, message: 'the worker does not hold that index' };
    const current = index.index;
    if (m.type === 'check')
      return { type: 'result', id: m.id, rawValue: rawValueVerdicts(current, m.items) };
    if (m.type === 'export-opened') {
      const { lines, notebookJson } = await filterOpenedExport(m.body, m.lookups, async (items) =>
        rawValueVerdicts(current, items),
      );
      return { type: 'exported-json', id: m.id, lines, notebookJson };
    }
    const { checked, outputJson } = await checkOpenedReview(
      m.body,
      m.rules,
      (item) => rawValueVerdicts(current, [item])[0] === true,
    );
    return { type: 'reviewed-json', id: m.id, checked, outputJson };
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
    // The export's JSON bytes move to the main thread instead of being copied.
    if (reply)
      parentPort?.postMessage(
        reply,
        reply.type === 'exported-json' ? [reply.notebookJson.buffer as ArrayBuffer] : [],
      );
  });
});
