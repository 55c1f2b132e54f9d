import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { predictNaiveBayes, trainNaiveBayes } from '@privet/core/synth/classifier';
import type { DiscreteTable } from '@privet/core/synth/table';

/** y (3 classes, 0 common and 2 rare) predicted from x, which equals y; z is noise (size 3). */
function table(rows: { y: number; x: number; z: number }[]): DiscreteTable {
  return {
    columns: [
      { name: 'y', size: 3, codes: Int32Array.from(rows, (r) => r.y) },
      { name: 'x', size: 4, codes: Int32Array.from(rows, (r) => r.x) },
      { name: 'z', size: 3, codes: Int32Array.from(rows, (r) => r.z) },
    ],
    rows: rows.length,
  };
}

describe('naive Bayes of the fidelity utility check', () => {
  test('a feature value never seen in training is left out, not read as a rare class', () => {
    const train: { y: number; x: number; z: number }[] = [];
    for (let i = 0; i < 100; i++) train.push({ y: 0, x: 0, z: i % 2 });
    for (let i = 0; i < 3; i++) train.push({ y: 1, x: 1, z: i % 2 });
    for (let i = 0; i < 3; i++) train.push({ y: 2, x: 2, z: i % 2 });
    const model = trainNaiveBayes(table(train), 'y');
    // Code 3 of x and code 2 of z (e.g. "(not released)" in real test rows) never occur in
    // training. With smoothing alone each would weigh ~1/(n_class) and pull towards classes 1, 2;
    // left out, the prior (class 0) decides.
    const test = table([
      { y: 0, x: 3, z: 2 },
      { y: 1, x: 1, z: 2 },
      { y: 0, x: 0, z: 2 },
    ]);
    assert.deepEqual([...predictNaiveBayes(model, test)], [0, 1, 0]);
  });
});
