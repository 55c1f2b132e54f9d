// Why: starts the synthesis worker for one job (the sibling `worker` module, module-worker.ts) and
// turns its messages into a promise plus progress callbacks. The worker waits before its first
// random draw until `onNoise` has run here and the shared noise ack is set (see worker.ts): a
// worker that dies after drawing has then always been recorded as having drawn.
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../module-worker.js';
import { SynthError } from '@privet/core/synth/errors';
import type { SynthJob, SynthJobResult, WorkerMessage } from './worker-protocol.js';

/** Progress of a worker job: stage name and fraction of that stage. */
export type WorkerProgress = (stage: string, fraction: number) => void;

function startWorker(job: SynthJob, noiseAck: Int32Array): Worker {
  return startModuleWorker(import.meta.url, 'worker', {
    privetSynthJob: job,
    privetNoiseAck: noiseAck,
  });
}

/**
 * Runs `job` in a worker thread; rejects with a SynthError when synthesis fails. `onNoise` is
 * called once, before the job draws its first random number (a failure after it is a DP
 * outcome); the job draws nothing until `onNoise` has returned.
 */
export function runSynthInWorker(
  job: SynthJob,
  onProgress?: WorkerProgress,
  onNoise?: () => void,
): Promise<SynthJobResult> {
  return new Promise((resolve, reject) => {
    const noiseAck = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const worker = startWorker(job, noiseAck);
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress?.(m.stage, m.fraction);
      else if (m.type === 'noise') {
        // Recorded first, then released: the worker draws only once the caller knows it may.
        onNoise?.();
        Atomics.store(noiseAck, 0, 1);
        Atomics.notify(noiseAck, 0);
      } else if (m.type === 'done') finish(() => resolve(m.result));
      else finish(() => reject(new SynthError(m.code, m.message, m.fix, job.view)));
    });
    worker.once('error', (err) =>
      finish(() =>
        reject(
          new SynthError(
            'synth.worker',
            `the synthesis worker crashed (${err.name})`,
            'check free memory and the gateway log, then publish again',
            job.view,
          ),
        ),
      ),
    );
    worker.once('exit', (code) =>
      finish(() =>
        reject(
          new SynthError(
            'synth.worker',
            `the synthesis worker exited with code ${code} before finishing`,
            'check free memory and the gateway log, then publish again',
            job.view,
          ),
        ),
      ),
    );
  });
}
