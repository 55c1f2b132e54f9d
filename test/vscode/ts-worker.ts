/**
 * The SQL engine's worker entry from its TypeScript source, run through tsx like the tests
 * themselves (tsx's API: on Node 20 `--import tsx` registers its hooks on the main thread only).
 */
import type { EngineWorkerOptions } from '../../vscode-ext/src/sql/worker-engine.js';

/** Options that start vscode-ext's engine-worker.ts as WorkerSqlEngine's worker. */
export const TS_WORKER: EngineWorkerOptions = {
  script: new URL('../../vscode-ext/src/sql/engine-worker.ts', import.meta.url),
  execArgv: [
    '--conditions=privet-source',
    '--import',
    `data:text/javascript,import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register();`,
  ],
};
