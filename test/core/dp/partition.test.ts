import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  partitionSelection,
  releaseProbability,
  selectPartitions,
  suppressionProbability,
} from '@privet/core/dp/partition';
import { Rational } from '@privet/core/dp/rational';
import { DpError } from '@privet/core/dp/errors';
import { seededRandom } from '@privet/core/synth/seeded-random';

const R = (x: string | number) => Rational.from(x);

describe('DP partition selection (thresholded discrete Laplace)', () => {
  test('threshold is the smallest τ with g·P(Y ≥ τ − 1) ≤ δ', () => {
    for (const [eps, delta, g] of [
      ['1', '1e-6', 1],
      ['0.5', '1e-8', 5],
      ['2', '1e-5', 3],
    ] as const) {
      const sel = partitionSelection(R(eps), R(delta), g);
      assert.ok(sel.scale.equals(R(g).div(R(eps))));
      const r = Math.exp(-1 / sel.scale.toNumber());
      const tail = (t: bigint) => (g * r ** Number(t)) / (1 + r);
      assert.ok(tail(sel.threshold - 1n) <= Number(delta), `τ=${sel.threshold} too small`);
      assert.ok(tail(sel.threshold - 2n) > Number(delta), `τ=${sel.threshold} not minimal`);
    }
    assert.equal(partitionSelection(R(1), R('1e-6'), 1).threshold, 15n);
  });

  test('a key held by one unit is released with probability ≤ δ/g; big keys almost surely', () => {
    const sel = partitionSelection(R(1), R('1e-6'), 2);
    assert.ok(2 * releaseProbability(sel, 1) <= 1e-6);
    assert.ok(releaseProbability(sel, 1) > 1e-7); // and the threshold is not wastefully high
    assert.ok(suppressionProbability(sel, 100) < 1e-12);
    const mid = releaseProbability(sel, sel.threshold);
    assert.ok(mid > 0.5 && mid < 0.8, `P(release | n = τ) = ${mid}`);
  });

  // A seeded ChaCha20 stream, the same every run: with the system CSPRNG this 5-σ check of a
  // binomial count failed by chance about once in 1.7 million runs.
  test('empirically: single-unit keys appear at the predicted rate (δ = 1e-2, 10^5 keys)', async () => {
    const rng = await seededRandom('partition/single-unit-keys');
    const sel = partitionSelection(R(1), R('1e-2'), 1);
    const counts = new Map<number, bigint>();
    for (let i = 0; i < 100_000; i++) counts.set(i, 1n);
    const released = selectPartitions(counts, sel, rng).size;
    const p = releaseProbability(sel, 1);
    assert.ok(p <= 1e-2);
    const sd = Math.sqrt(100_000 * p * (1 - p));
    assert.ok(
      Math.abs(released - 100_000 * p) <= 5 * sd + 1,
      `released ${released}, expected ${100_000 * p}`,
    );
  });

  test('released keys carry noisy counts at or above the threshold', () => {
    const sel = partitionSelection(R(1), R('1e-6'), 1);
    const out = selectPartitions(
      new Map([
        ['big', 1000n],
        ['tiny', 1n],
      ]),
      sel,
    );
    assert.ok(out.has('big'));
    for (const v of out.values()) assert.ok(v >= sel.threshold);
  });

  test('refuses bad parameters', () => {
    assert.throws(() => partitionSelection(R(0), R('1e-6'), 1), DpError);
    assert.throws(() => partitionSelection(R(1), R(0), 1), DpError);
    assert.throws(() => partitionSelection(R(1), R('1e-6'), 0), DpError);
  });
});
