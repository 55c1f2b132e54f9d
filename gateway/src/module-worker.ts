// Why: the gateway runs synthesis and output checks in worker threads. Built, a worker is the
// sibling `.js` of the module starting it. Run from source (tests under tsx), a worker's entry
// module does not pass through loader hooks registered by the parent's --import, so a two-line
// bootstrap registers tsx inside the worker and then imports the `.ts` file.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Starts the worker module `name` (no extension) next to the module at `parentUrl`. */
export function startModuleWorker(parentUrl: string, name: string, workerData?: unknown): Worker {
  const options = workerData === undefined ? {} : { workerData };
  if (!fileURLToPath(parentUrl).endsWith('.ts'))
    return new Worker(new URL(`./${name}.js`, parentUrl), options);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL(`./${name}.ts`, parentUrl).href);
  const bootstrap = `import(${tsx}).then((t) => { t.register(); return import(${entry}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
