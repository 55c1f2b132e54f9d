// Why: publish charges a failed synthesis when it had drawn noise (a DP outcome) and refunds it
// otherwise, deciding by whether the worker's `noise` message was seen when the failure arrived.
// Messages are delivered asynchronously; these tests pin the handshake that makes that certain.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SynthError } from '@privet/core/synth/errors';
import type { ViewColumn } from '@privet/core/synth/view';
import { runSynthInWorker } from '../../../gateway/src/synth/run-worker.js';
import { runSynthJob } from '../../../gateway/src/synth/worker.js';
import type { SynthJob, WorkerMessage } from '../../../gateway/src/synth/worker-protocol.js';

const COLUMNS: ViewColumn[] = [
  { spec: { name: 'kind', kind: 'categorical', categories: ['a', 'b', 'c'] }, output: 'string' },
];

function job(overrides: Partial<SynthJob> = {}): SynthJob {
  return {
    view: 'w',
    columns: COLUMNS,
    raw: [Array.from({ length: 60 }, (_, i) => ['a', 'b', 'c'][i % 3]!)],
    epsilon: 1,
    delta: 1e-6,
    seed: 'noise-ack-test',
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/**
 * Runs `j` in a worker as publish does: a flag set by onNoise, read when the promise settles
 * (publish charges the reservation when it is set, refunds it otherwise).
 */
async function outcome(
  j: SynthJob,
  onNoise: () => void = () => {},
): Promise<{ error: unknown; drewNoise: boolean }> {
  let drewNoise = false;
  const record = () => {
    onNoise();
    drewNoise = true;
  };
  return runSynthInWorker(j, undefined, record).then(
    () => ({ error: undefined, drewNoise }),
    (error: unknown) => ({ error, drewNoise }),
  );
}

function assertCrashed(error: unknown): void {
  assert.ok(error instanceof SynthError, String(error));
  assert.equal(error.code, 'synth.worker');
  assert.match(error.message, /^view "w": the synthesis worker crashed/);
}

describe('the first random draw of a synthesis worker', () => {
  test('the worker draws its first number only once onNoise has returned, so one that dies right after it is recorded as having drawn (charged)', async () => {
    const firstDrawn = new Int32Array(new SharedArrayBuffer(4));
    let drawnWhileRecording: number | undefined;
    const run = await outcome(job({ test: { crash: 'after-first-draw', firstDrawn } }), () => {
      // Give a worker that did not wait for the record the time to draw (it would at once).
      Atomics.wait(firstDrawn, 0, 0, 300);
      drawnWhileRecording = Atomics.load(firstDrawn, 0);
    });
    assert.equal(drawnWhileRecording, 0, 'nothing was drawn before the noise was recorded');
    assert.equal(Atomics.load(firstDrawn, 0), 1, 'then it drew');
    assertCrashed(run.error);
    assert.equal(run.drewNoise, true, 'the failure after a draw is charged, not refunded');
    // And as publish runs it, several at once, each recorded before its crash is seen.
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => outcome(job({ test: { crash: 'after-first-draw' } }))),
    );
    for (const [i, r] of runs.entries()) {
      assertCrashed(r.error);
      assert.equal(r.drewNoise, true, `run ${i}: the failure after a draw would be refunded`);
    }
  });

  test('a worker that dies before its first draw, or a job refused before it, is not recorded as having drawn (refunded)', async () => {
    const crashed = await outcome(job({ test: { crash: 'before-first-draw' } }));
    assertCrashed(crashed.error);
    assert.equal(crashed.drewNoise, false);
    const refused = await outcome(job({ raw: [] }));
    assert.ok(refused.error instanceof SynthError);
    assert.equal(refused.error.code, 'view.shape');
    assert.equal(refused.drewNoise, false);
  });

  test('in-thread with a shared ack, the job draws nothing until it is confirmed, and fails closed when it is not', async () => {
    const noiseAck = new Int32Array(new SharedArrayBuffer(4));
    // Never confirmed: the job stops before its first draw (a draw would end in the test crash).
    const posted: WorkerMessage['type'][] = [];
    await assert.rejects(
      runSynthJob(job({ test: { crash: 'after-first-draw' } }), (m) => posted.push(m.type), {
        noiseAck,
        ackTimeoutMs: 50,
      }),
      (err: unknown) => {
        assert.ok(err instanceof SynthError, String(err));
        assert.equal(err.code, 'synth.noise_unconfirmed');
        assert.match(err.message, /did not confirm within 0.05 s .* so none was drawn/);
        assert.match(err.fix, /publish again/);
        return true;
      },
    );
    assert.equal(posted.filter((t) => t === 'noise').length, 1);
    // Confirmed as the parent does (after recording it): the same result as without the ack.
    const confirmed = await runSynthJob(
      job(),
      (m) => {
        if (m.type !== 'noise') return;
        Atomics.store(noiseAck, 0, 1);
        Atomics.notify(noiseAck, 0);
      },
      { noiseAck, ackTimeoutMs: 50 },
    );
    assert.deepEqual(confirmed, await runSynthJob(job(), () => {}));
  });
});
