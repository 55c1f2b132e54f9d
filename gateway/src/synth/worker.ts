// Why: synthesis is seconds of CPU; running it on the gateway's main thread would stall every
// HTTP request. This worker receives one SynthJob, posts progress, and returns the synthetic
// values, the exact accounting and the fidelity report. It reads no files and holds no keys.
// Before its first random draw it posts `noise` and blocks until the publishing thread has
// recorded it (a shared Int32Array set with Atomics): a message is delivered asynchronously, so a
// worker that crashed right after drawing could otherwise be seen to fail before it drew, and the
// failure — a DP outcome — would be refunded.
import { parentPort, workerData } from 'node:worker_threads';
import { SynthError } from '@privet/core/synth/errors';
import { fidelityReport } from '@privet/core/synth/fidelity';
import { seededRandom } from '@privet/core/synth/seeded-random';
import { synthesizeView } from '@privet/core/synth/view';
import type {
  SynthJob,
  SynthJobResult,
  SynthJobTestHooks,
  WorkerMessage,
} from './worker-protocol.js';

/** How long the worker waits for the publishing thread to record its first draw. */
export const NOISE_ACK_TIMEOUT_MS = 60_000;

/** Thrown by the `crash` test hook; the worker thread turns it into an uncaught error. */
class TestCrash extends Error {}

/**
 * `rng`, calling `onFirst` once just before its first draw (any method call) and `afterFirst`
 * just after that draw.
 */
function reportingFirstDraw<T extends object>(
  rng: T,
  onFirst: () => void,
  afterFirst: () => void,
): T {
  let drawn = false;
  return new Proxy(rng, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        const first = !drawn;
        if (first) {
          onFirst();
          drawn = true;
        }
        const out = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (first) afterFirst();
        return out;
      };
    },
  });
}

/** Options of runSynthJob in a worker thread. */
export interface NoiseAckOptions {
  /**
   * Shared with the publishing thread, which sets element 0 to 1 once it has recorded the `noise`
   * message; the job waits for it before its first draw. Absent in-thread (tests), where `post`
   * is synchronous: nothing to wait for.
   */
  noiseAck?: Int32Array;
  /** How long to wait for that (default NOISE_ACK_TIMEOUT_MS). */
  ackTimeoutMs?: number;
}

/** Posts `noise`, then waits until the publishing thread confirms it (fails closed if it does not). */
function announceNoise(
  job: SynthJob,
  post: (m: WorkerMessage) => void,
  options: NoiseAckOptions,
): void {
  post({ type: 'noise' });
  const ack = options.noiseAck;
  if (!ack) return;
  const timeout = options.ackTimeoutMs ?? NOISE_ACK_TIMEOUT_MS;
  // 'not-equal' means the flag was set before the wait began: confirmed.
  if (Atomics.wait(ack, 0, 0, timeout) === 'timed-out')
    throw new SynthError(
      'synth.noise_unconfirmed',
      `the publishing thread did not confirm within ${timeout / 1000} s that the synthesis may draw noise, so none was drawn`,
      'check the gateway log and its load (a busy or stalled main thread), then publish again',
      job.view,
    );
}

/** Runs one job (also callable in-thread, e.g. from tests); reports progress through `post`. */
export async function runSynthJob(
  job: SynthJob,
  post: (m: WorkerMessage) => void,
  options: NoiseAckOptions = {},
): Promise<SynthJobResult> {
  const hooks = job.test;
  const crash = (when: SynthJobTestHooks['crash']) => {
    if (hooks?.crash === when) throw new TestCrash(`test crash ${when}`);
  };
  const rng = reportingFirstDraw(
    await seededRandom(job.seed),
    () => {
      crash('before-first-draw');
      announceNoise(job, post, options);
    },
    () => {
      if (hooks?.firstDrawn) {
        Atomics.store(hooks.firstDrawn, 0, 1);
        Atomics.notify(hooks.firstDrawn, 0);
      }
      crash('after-first-draw');
    },
  );
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
const data = workerData as { privetSynthJob?: SynthJob; privetNoiseAck?: Int32Array } | undefined;
if (port && data?.privetSynthJob) {
  const job = data.privetSynthJob;
  const noiseAck = data.privetNoiseAck;
  // In a worker the ack is required: without it the first draw could outrun its record.
  const run = noiseAck
    ? runSynthJob(job, (m) => port.postMessage(m), { noiseAck })
    : Promise.reject(
        new SynthError(
          'synth.noise_unconfirmed',
          'the synthesis worker was started without the shared noise acknowledgement, so it drew nothing',
          'start it through runSynthInWorker (gateway/src/synth/run-worker.ts)',
          job.view,
        ),
      );
  run.then(
    (result) => port.postMessage({ type: 'done', result } satisfies WorkerMessage),
    (err: unknown) => {
      // The test hook dies as a crash does: an uncaught error, no `error` message.
      if (err instanceof TestCrash)
        process.nextTick(() => {
          throw err;
        });
      else
        port.postMessage({
          type: 'error',
          code: err instanceof SynthError ? err.code : 'synth.failed',
          message: err instanceof SynthError ? err.what : 'synthesis failed',
          fix: err instanceof SynthError ? err.fix : 'check the gateway log and report this bug',
        } satisfies WorkerMessage);
    },
  );
}
