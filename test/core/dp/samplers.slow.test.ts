// Long statistical tests of the exact samplers (run with `npm run test:slow`).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { sampleDiscreteLaplace } from '@privet/core/dp/discrete-laplace';
import { DiscreteGaussianSampler } from '@privet/core/dp/discrete-gaussian';
import { defaultRandomSource } from '@privet/core/dp/random';
import { makeNoisyCount } from '@privet/core/dp/mechanisms';
import { Rational } from '@privet/core/dp/rational';
import { seededRandom } from '@privet/core/synth/seeded-random';
import { chiSquare, gaussianPmf, laplacePmf, tally } from './stats.js';

const N = 1_000_000;

// The statistical tests draw from seeded ChaCha20 streams, one named after each test (CSPRNG
// quality, the same on every run). With the system CSPRNG the ten χ² tests (each ≈ 1e-5) failed by
// chance about once in 12,000 runs of this file, and the two float-attack comparisons about once in
// 500,000 (an output seen ≥ 40 times from one input and never from the other). The control draws
// from the system CSPRNG: its doubles never coincide, whatever the draws.

describe('sampler exactness, 10^6 draws each (chi-square vs exact pmf)', () => {
  for (const scale of ['1/3', '1', '3', '25/2', '1000']) {
    test(`discrete Laplace, scale ${scale}`, async () => {
      const rng = await seededRandom(`samplers.slow/laplace/${scale}`);
      const b = Rational.from(scale);
      const r = chiSquare(
        tally(N, () => sampleDiscreteLaplace(b, rng)),
        N,
        laplacePmf(b.toNumber()),
      );
      assert.ok(
        r.statistic < r.critical,
        `χ²=${r.statistic.toFixed(1)} ≥ ${r.critical.toFixed(1)} (df ${r.degrees})`,
      );
    });
  }
  for (const sigma2 of ['1/3', '1', '10', '2500', '250000']) {
    test(`discrete Gaussian, σ² = ${sigma2}`, async () => {
      const rng = await seededRandom(`samplers.slow/gaussian/${sigma2}`);
      const s = new DiscreteGaussianSampler(Rational.from(sigma2));
      const r = chiSquare(
        tally(N, () => s.sample(rng)),
        N,
        gaussianPmf(Rational.from(sigma2).toNumber()),
      );
      assert.ok(
        r.statistic < r.critical,
        `χ²=${r.statistic.toFixed(1)} ≥ ${r.critical.toFixed(1)} (df ${r.degrees})`,
      );
    });
  }
});

/** Compares the outputs of one mechanism on true values 0 and 1 (Mironov-style float attack). */
function supportComparison<T>(n: number, run: (x: 0 | 1) => T) {
  const a = new Map<T, number>();
  const b = new Map<T, number>();
  for (let i = 0; i < n; i++) {
    const ya = run(0);
    a.set(ya, (a.get(ya) ?? 0) + 1);
    const yb = run(1);
    b.set(yb, (b.get(yb) ?? 0) + 1);
  }
  // Outputs seen ≥ 40 times from one input but never from the other: impossible for a mechanism
  // whose supports coincide (P ≈ e^{−40·e^{−ε}} each), the signature of the float attack.
  let heavyExclusive = 0;
  let overlapDraws = 0;
  for (const [y, c] of a) {
    if (b.has(y)) overlapDraws += c;
    else if (c >= 40) heavyExclusive++;
  }
  for (const [y, c] of b) if (!a.has(y) && c >= 40) heavyExclusive++;
  return { heavyExclusive, overlap: overlapDraws / n };
}

describe('float-attack test: outputs for true values 0 and 1 share their support', () => {
  const draws = 10_000_000;
  test('discrete Laplace count (ε = 1), 10^7 draws per input', async () => {
    const rng = await seededRandom('samplers.slow/float-attack/laplace');
    const c = makeNoisyCount(1, { mechanism: 'laplace', epsilon: Rational.of(1) }).measurement;
    const data = [[], [{ unit: 1, value: null }]] as const;
    const r = supportComparison(draws, (x) => c.invoke(data[x], rng));
    assert.equal(r.heavyExclusive, 0);
    assert.ok(r.overlap > 0.99999, `overlap ${r.overlap}`);
  });

  test('discrete Gaussian count (ρ = 1/2), 10^7 draws per input', async () => {
    const rng = await seededRandom('samplers.slow/float-attack/gaussian');
    const c = makeNoisyCount(1, { mechanism: 'gaussian', rho: Rational.of(1, 2) }).measurement;
    const data = [[], [{ unit: 1, value: null }]] as const;
    const r = supportComparison(draws, (x) => c.invoke(data[x], rng));
    assert.equal(r.heavyExclusive, 0);
    assert.ok(r.overlap > 0.99999, `overlap ${r.overlap}`);
  });

  test('control: naive float Laplace is caught by the same test', () => {
    const rng = defaultRandomSource();
    const naive = (x: 0 | 1) => {
      const u = (rng.nextUint32() + 1) / 4294967297;
      const sign = rng.nextUint32() & 1 ? 1 : -1;
      return x + sign * -Math.log(u); // textbook inverse-CDF Laplace on doubles, scale 1
    };
    const r = supportComparison(100_000, naive);
    assert.ok(r.overlap < 0.01, `float outputs should be almost disjoint, overlap ${r.overlap}`);
  });
});
