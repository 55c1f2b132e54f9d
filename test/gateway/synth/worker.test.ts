import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SynthError } from '@privet/core/synth/errors';
import type { ViewColumn } from '@privet/core/synth/view';
import { runSynthInWorker } from '../../../gateway/src/synth/run-worker.js';
import { runSynthJob } from '../../../gateway/src/synth/worker.js';
import type { SynthJob, WorkerMessage } from '../../../gateway/src/synth/worker-protocol.js';

const COLUMNS: ViewColumn[] = [
  { spec: { name: 'kind', kind: 'categorical', categories: ['a', 'b', 'c'] }, output: 'string' },
  { spec: { name: 'size', kind: 'numeric', bounds: [0, 10], bins: 5 }, output: 'number' },
];

function job(overrides: Partial<SynthJob> = {}): SynthJob {
  const kinds = Array.from({ length: 500 }, (_, i) => ['a', 'b', 'c'][i % 3]!);
  const sizes = Array.from({ length: 500 }, (_, i) => (i % 3) * 3 + (i % 2));
  return {
    view: 'w',
    columns: COLUMNS,
    raw: [kinds, sizes],
    epsilon: 1,
    delta: 1e-6,
    seed: 'worker-test',
    target: 'kind',
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('synthesis worker thread', () => {
  test('returns exactly what the same job computes in-thread, with progress along the way', async () => {
    const stages: string[] = [];
    let noise = 0;
    const inWorker = await runSynthInWorker(
      job(),
      (stage) => stages.push(stage),
      () => (noise += 1),
    );
    const posted: WorkerMessage[] = [];
    const inThread = await runSynthJob(job(), (m) => posted.push(m));
    assert.deepEqual(inWorker, inThread);
    for (const s of ['one-way', 'select', 'sample', 'fidelity']) assert.ok(stages.includes(s), s);
    // Every progress message, and one 'noise' message before the first random draw.
    assert.equal(stages.length, posted.filter((m) => m.type === 'progress').length);
    assert.equal(noise, 1, 'the first draw is reported once');
    assert.equal(posted.filter((m) => m.type === 'noise').length, 1);
    assert.ok(inWorker.rows > 400 && inWorker.rows < 600);
    assert.equal(inWorker.fidelity.utility?.target, 'kind');
  });

  test('a failing job rejects with the synthesizer error (code, what, fix), naming the view', async () => {
    await assert.rejects(runSynthInWorker(job({ raw: [[]] })), (err: unknown) => {
      assert.ok(err instanceof SynthError);
      assert.equal(err.code, 'view.shape');
      assert.match(err.message, /^view "w": The view has 2 column declarations but 1 raw columns/);
      assert.match(err.fix, /one raw column per declared column/);
      return true;
    });
  });
});
