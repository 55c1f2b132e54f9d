// Why: synthesis is seconds of CPU; running it on the gateway's main thread would stall every
// HTTP request. This worker receives one SynthJob, posts progress, and returns the synthetic
// values, the exact accounting and the fidelity report. It reads no files and holds no keys.
import { parentPort, workerData } from 'node:worker_threads';
import { SynthError } from '@privet/core/synth/errors';
import { fidelityReport } from '@privet/core/synth/fidelity';
import { seededRandom } from '@privet/core/synth/seeded-random';
import { synthesizeView } from '@privet/core/synth/view';
import type { SynthJob, SynthJobResult, WorkerMessage } from './worker-protocol.js';

/** `rng`, calling `onFirst` once, just before its first draw (any method call). */
function reportingFirstDraw<T extends object>(rng: T, onFirst: () => void): T {
  let drawn = false;
  return new Proxy(rng, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        if (!drawn) {
          drawn = true;
          onFirst();
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** Runs one job (also callable in-thread, e.g. from tests); reports progress through `post`. */
export async function runSynthJob(
  job: SynthJob,
  post: (m: WorkerMessage) => void,
): Promise<SynthJobResult> {
  const rng = reportingFirstDraw(await seededRandom(job.seed), () => post({ type: 'noise' }));
  const made = synthesizeView(job.columns, job.raw, {
    epsilon: job.epsilon,
    delta: job.delta,
    rng,
    ...(job.rows !== undefined ? { rows: job.rows } : {}),
    onProgress: (stage, fraction) => post({ type: 'progress', stage, fraction }),
  });
  post({ type: 'progress', stage: 'fidelity', fraction: 0 });
  const fidelity = fidelityReport({
    view: job.view,
    real: made.realCodes,
    synthetic: made.syntheticCodes,
    labels: made.labels,
    ...(job.target ? { target: job.target } : {}),
    createdAt: job.createdAt,
  });
  post({ type: 'progress', stage: 'fidelity', fraction: 1 });
  return {
    values: made.values,
    rows: made.syntheticCodes.rows,
    measurements: made.measurements.map((m) => ({
      kind: m.kind,
      attrs: m.attrs,
      rho: m.rho.toString(),
      ...(m.sigma2 ? { sigma2: m.sigma2.toString() } : {}),
      ...(m.epsilon ? { epsilon: m.epsilon.toString() } : {}),
      ...(m.delta !== undefined ? { delta: m.delta } : {}),
    })),
    rhoTotal: made.rhoTotal.toString(),
    rhoSpent: made.rhoSpent.toString(),
    structure: made.structure,
    fidelity,
    warnings: made.warnings,
  };
}

const port = parentPort;
if (port && (workerData as { privetSynthJob?: SynthJob } | undefined)?.privetSynthJob) {
  const job = (workerData as { privetSynthJob: SynthJob }).privetSynthJob;
  runSynthJob(job, (m) => port.postMessage(m)).then(
    (result) => port.postMessage({ type: 'done', result } satisfies WorkerMessage),
    (err: unknown) =>
      port.postMessage({
        type: 'error',
        code: err instanceof SynthError ? err.code : 'synth.failed',
        message: err instanceof SynthError ? err.what : 'synthesis failed',
        fix: err instanceof SynthError ? err.fix : 'check the gateway log and report this bug',
      } satisfies WorkerMessage),
  );
}
