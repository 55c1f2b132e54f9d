import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { denoiseInteraction, shrinkSingularValue } from '@privet/core/synth/denoise';
import { seededRandom } from '@privet/core/synth/seeded-random';
import { gaussian } from './gaussian.js';

/** A 16×12 count table: independent margins times a rank-one interaction (age-like × hours-like). */
function truth(): Float64Array {
  const m = 16;
  const n = 12;
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      const a = Math.sin((Math.PI * (i + 0.5)) / m) - 0.64;
      const b = Math.cos((Math.PI * (j + 0.5)) / n);
      t[i * n + j] = 250 * (1 + 0.6 * a * b);
    }
  return t;
}

const sq = (a: Float64Array, b: Float64Array): number =>
  a.reduce((s, x, i) => s + (x - b[i]!) ** 2, 0);

describe('low-rank interaction denoising', () => {
  test('keeps every row and column total of the noisy table', async () => {
    const rng = await seededRandom('totals');
    const noisy = truth().map((x) => x + 40 * gaussian(rng));
    const out = denoiseInteraction(noisy, 16, 12, 40);
    /** Sum of the cells of `t` picked by `pick(k)` for k < count. */
    const total = (t: Float64Array, count: number, pick: (k: number) => number): number => {
      let s = 0;
      for (let k = 0; k < count; k++) s += t[pick(k)]!;
      return s;
    };
    for (let i = 0; i < 16; i++) {
      const cell = (j: number): number => i * 12 + j;
      assert.ok(Math.abs(total(noisy, 12, cell) - total(out, 12, cell)) < 1e-6, `row ${i}`);
    }
    for (let j = 0; j < 12; j++) {
      const cell = (i: number): number => i * 12 + j;
      assert.ok(Math.abs(total(noisy, 16, cell) - total(out, 16, cell)) < 1e-6, `column ${j}`);
    }
  });

  test('cuts the squared error of a noisy low-rank table by more than half (10 draws)', async () => {
    const rng = await seededRandom('error');
    const t = truth();
    let before = 0;
    let after = 0;
    for (let run = 0; run < 10; run++) {
      const noisy = t.map((x) => x + 40 * gaussian(rng));
      before += sq(noisy, t);
      after += sq(denoiseInteraction(noisy, 16, 12, 40), t);
    }
    assert.ok(after < 0.5 * before, `squared error ${after.toFixed(0)} vs ${before.toFixed(0)}`);
  });

  test('pure noise shrinks to the independence table; small tables and σ = 0 pass through', async () => {
    const rng = await seededRandom('flat');
    const flat = new Float64Array(16 * 12).fill(300).map((x) => x + 40 * gaussian(rng));
    const out = denoiseInteraction(flat, 16, 12, 40);
    /** max/min − 1 of row 0 over row 1, cell by cell: 0 when the rows are proportional. */
    const spread = (t: Float64Array): number => {
      const r = Array.from({ length: 12 }, (_, j) => t[j]! / t[12 + j]!);
      return Math.max(...r) / Math.min(...r) - 1;
    };
    assert.ok(spread(out) < 0.05, `denoised rows nearly proportional (${spread(out).toFixed(3)})`);
    assert.ok(spread(flat) > 0.2, 'the noisy rows are not');
    const small = Float64Array.of(5, 7, 9, 11);
    assert.equal(denoiseInteraction(small, 2, 2, 40), small);
    assert.equal(denoiseInteraction(flat, 16, 12, 0), flat);
  });

  test('the shrinker is zero up to the bulk edge and tends to the identity above it', () => {
    const edge = (1 + Math.sqrt(11 / 15)) * Math.sqrt(15) * 40;
    assert.equal(shrinkSingularValue(edge * 0.99, 16, 12, 40), 0);
    const large = 50 * edge;
    assert.ok(Math.abs(shrinkSingularValue(large, 16, 12, 40) / large - 1) < 0.01);
  });
});
