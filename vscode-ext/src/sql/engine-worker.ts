/**
 * Entry of the worker thread WorkerSqlEngine starts (bundled as dist/sql-worker.cjs): one
 * SqlEngine, requests answered one at a time in arrival order, results as plain QueryResults and
 * failures as data. Scope checks happen on the host; here views are only loaded and dropped.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqlEngine, SqlError, quoteIdent } from './engine.js';
import type {
  EngineErrorData,
  EngineReply,
  EngineRequest,
  EngineValue,
  EngineWorkerData,
} from './worker-engine.js';

/** The one scope of this worker's engine: the host checks who fetched each view. */
const HOST_CHECKED = { client: {}, experiment: 'host-checked' };

const port = parentPort;
if (!port) {
  throw new Error(
    'engine-worker runs only as a worker thread. Fix: start it through WorkerSqlEngine.',
  );
}
const engine = new SqlEngine((workerData as EngineWorkerData).wasmDir);
let entered: Promise<void> | undefined;
let queue: Promise<void> = Promise.resolve();

port.on('message', (request: EngineRequest) => {
  queue = queue.then(async () => {
    let reply: EngineReply;
    try {
      reply = { id: request.id, ok: true, value: await answer(request) };
    } catch (error) {
      reply = { id: request.id, ok: false, error: errorData(error) };
    }
    port.postMessage(reply);
  });
});

/** Runs one request on the engine. */
async function answer(request: EngineRequest): Promise<EngineValue> {
  switch (request.op) {
    case 'drop': {
      const conn = await engine.connection();
      conn.query(`DROP TABLE IF EXISTS ${quoteIdent(request.name)}`);
      return null;
    }
    case 'load':
      entered ??= engine.enterScope(HOST_CHECKED.client, HOST_CHECKED.experiment);
      await entered;
      await engine.loadView(request.name, request.ipc, '', HOST_CHECKED);
      return null;
    case 'tablesIn':
      return engine.tablesIn(request.sql);
    case 'query':
      return engine.query(request.sql);
  }
}

/** A failure as data the host rebuilds as the same SqlError or Error. */
function errorData(error: unknown): EngineErrorData {
  if (error instanceof SqlError) {
    return {
      type: 'SqlError',
      message: error.message,
      kind: error.kind,
      ...(error.offset !== undefined ? { offset: error.offset } : {}),
      ...(error.fix !== undefined ? { fix: error.fix } : {}),
    };
  }
  return { type: 'Error', message: error instanceof Error ? error.message : String(error) };
}
