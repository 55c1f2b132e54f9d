import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { denoiseHistogram } from '@privet/core/synth/wavelet';
import { seededRandom } from '@privet/core/synth/seeded-random';
import { gaussian } from './gaussian.js';

/** An age-like histogram over 85 cells: a smooth bump of about 48,000 rows. */
function ages(): Float64Array {
  return Float64Array.from({ length: 85 }, (_, i) => 1400 * Math.exp(-(((i - 22) / 16) ** 2)));
}

/** An hours-like histogram over 99 cells: a smooth floor with spikes at 40, 50 and 45. */
function hours(): Float64Array {
  const h = Float64Array.from({ length: 99 }, (_, i) => 60 * Math.exp(-(((i - 40) / 12) ** 2)));
  h[39] = 22_000;
  h[49] = 4_000;
  h[44] = 2_500;
  return h;
}

const sq = (a: Float64Array, b: Float64Array): number =>
  a.reduce((s, x, i) => s + (x - b[i]!) ** 2, 0);
const sum = (a: Float64Array): number => a.reduce((s, x) => s + x, 0);

describe('wavelet shrinkage of noisy histograms', () => {
  test('keeps the total of the noisy counts', async () => {
    const rng = await seededRandom('total');
    const noisy = ages().map((x) => x + 45 * gaussian(rng));
    assert.ok(Math.abs(sum(denoiseHistogram(noisy, 45)) - sum(noisy)) < 1e-6);
  });

  test('cuts the squared error of a smooth histogram by more than half (20 draws)', async () => {
    const rng = await seededRandom('smooth');
    const t = ages();
    let before = 0;
    let after = 0;
    for (let run = 0; run < 20; run++) {
      const noisy = t.map((x) => x + 45 * gaussian(rng));
      before += sq(noisy, t);
      after += sq(denoiseHistogram(noisy, 45), t);
    }
    assert.ok(after < 0.5 * before, `squared error ${after.toFixed(0)} vs ${before.toFixed(0)}`);
  });

  test('keeps spikes and still lowers the error of a spiky histogram (20 draws)', async () => {
    const rng = await seededRandom('spiky');
    const t = hours();
    let before = 0;
    let after = 0;
    for (let run = 0; run < 20; run++) {
      const noisy = t.map((x) => x + 45 * gaussian(rng));
      const out = denoiseHistogram(noisy, 45);
      before += sq(noisy, t);
      after += sq(out, t);
      // The 22,000-row spike stays within a few σ of its true count, its neighbours small.
      assert.ok(Math.abs(out[39]! - 22_000) < 200, `spike ${out[39]!.toFixed(0)}`);
      assert.ok(
        out[38]! < 400 && out[40]! < 400,
        `neighbours ${out[38]!.toFixed(0)} ${out[40]!.toFixed(0)}`,
      );
    }
    assert.ok(after < before, `squared error ${after.toFixed(0)} vs ${before.toFixed(0)}`);
  });

  test('leaves a kept cell exactly as measured', async () => {
    const rng = await seededRandom('keep');
    const noisy = ages().map((x) => x + 45 * gaussian(rng));
    noisy[23] = -30;
    const out = denoiseHistogram(noisy, 45, 23);
    assert.equal(out[23], -30);
    assert.ok(Math.abs(sum(out) - sum(noisy)) < 1e-6);
  });

  test('passes tiny domains and zero noise through unchanged', () => {
    const three = Float64Array.of(5, -2, 9);
    assert.deepEqual(denoiseHistogram(three, 45), three);
    const exact = ages();
    assert.deepEqual(denoiseHistogram(exact, 0), exact);
  });
});
