import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { sampleDiscreteLaplace } from '@privet/core/dp/discrete-laplace';
import {
  DiscreteGaussianSampler,
  isqrt,
  sampleDiscreteGaussian,
} from '@privet/core/dp/discrete-gaussian';
import { Rational } from '@privet/core/dp/rational';
import { DpError } from '@privet/core/dp/errors';
import { seededRandom } from '@privet/core/synth/seeded-random';
import { chiSquare, gaussianPmf, laplacePmf, tally, XorShiftSource } from './stats.js';

const N = 100_000;

// Every statistical test draws from a seeded ChaCha20 stream (CSPRNG quality, the same on every
// run): each χ² test has a false-failure rate of about 1e-5, about 1e-4 per run for the file with
// the system CSPRNG. Tests that are about the default source itself stay unseeded.

describe('discrete Laplace sampler (10^5 draws, chi-square vs exact pmf)', () => {
  for (const scale of ['1/3', '1', '3', '25/2']) {
    test(`scale ${scale}`, async () => {
      const rng = await seededRandom(`samplers/laplace/${scale}`);
      const b = Rational.from(scale);
      const counts = tally(N, () => sampleDiscreteLaplace(b, rng));
      const r = chiSquare(counts, N, laplacePmf(b.toNumber()));
      assert.ok(
        r.statistic < r.critical,
        `χ²=${r.statistic.toFixed(1)} ≥ ${r.critical.toFixed(1)} (df ${r.degrees})`,
      );
    });
  }

  test('detects a wrong scale (the chi-square has power)', async () => {
    const rng = await seededRandom('samplers/laplace/wrong-scale');
    const counts = tally(N, () => sampleDiscreteLaplace(Rational.of(3), rng));
    const r = chiSquare(counts, N, laplacePmf(3.3));
    assert.ok(
      r.statistic > r.critical,
      `χ²=${r.statistic.toFixed(1)} should exceed ${r.critical.toFixed(1)}`,
    );
  });
});

describe('discrete Gaussian sampler (10^5 draws, chi-square vs exact pmf)', () => {
  for (const sigma2 of ['1/3', '1', '10', '2500']) {
    test(`σ² = ${sigma2}`, async () => {
      const rng = await seededRandom(`samplers/gaussian/${sigma2}`);
      const s = new DiscreteGaussianSampler(Rational.from(sigma2));
      const counts = tally(N, () => s.sample(rng));
      const r = chiSquare(counts, N, gaussianPmf(Rational.from(sigma2).toNumber()));
      assert.ok(
        r.statistic < r.critical,
        `χ²=${r.statistic.toFixed(1)} ≥ ${r.critical.toFixed(1)} (df ${r.degrees})`,
      );
    });
  }

  test('detects a wrong variance (the chi-square has power)', async () => {
    const rng = await seededRandom('samplers/gaussian/wrong-variance');
    const counts = tally(N, () => sampleDiscreteGaussian(Rational.of(10), rng));
    const r = chiSquare(counts, N, gaussianPmf(11));
    assert.ok(r.statistic > r.critical);
  });
});

describe('BigInt paths (parameters beyond the 2^53 number fast path)', () => {
  test('discrete Laplace with scale (3·10^12 + 1)/10^12 matches the scale-3 pmf', async () => {
    const rng = await seededRandom('samplers/laplace/bigint');
    const b = Rational.of(3n * 10n ** 12n + 1n, 10n ** 12n);
    const counts = tally(N, () => sampleDiscreteLaplace(b, rng));
    const r = chiSquare(counts, N, laplacePmf(b.toNumber()));
    assert.ok(r.statistic < r.critical, `χ²=${r.statistic.toFixed(1)} ≥ ${r.critical.toFixed(1)}`);
  });
  test('discrete Gaussian with σ² = 4 + 10^-18 matches the σ² = 4 pmf', async () => {
    const rng = await seededRandom('samplers/gaussian/bigint');
    const s = new DiscreteGaussianSampler(Rational.of(4n * 10n ** 18n + 1n, 10n ** 18n));
    const counts = tally(N, () => s.sample(rng));
    const r = chiSquare(counts, N, gaussianPmf(4));
    assert.ok(r.statistic < r.critical, `χ²=${r.statistic.toFixed(1)} ≥ ${r.critical.toFixed(1)}`);
  });
});

describe('sampler inputs and sources', () => {
  test('refuses zero and negative scales', () => {
    for (const bad of [Rational.of(0), Rational.of(-1, 2)]) {
      assert.throws(() => sampleDiscreteLaplace(bad), DpError);
      assert.throws(() => sampleDiscreteGaussian(bad), DpError);
    }
  });

  test('an injected source fully determines the noise (no hidden randomness)', () => {
    const run = (seed: number) => {
      const rng = new XorShiftSource(seed);
      const out: bigint[] = [];
      for (let i = 0; i < 200; i++) {
        out.push(
          sampleDiscreteLaplace(Rational.of(5), rng),
          sampleDiscreteGaussian(Rational.of(7, 2), rng),
        );
      }
      return out.join(',');
    };
    assert.equal(run(1), run(1));
    assert.notEqual(run(1), run(2));
  });

  test('huge scales stay exact (BigInt path beyond 2^53)', () => {
    const b = Rational.of(10n ** 20n);
    let big = 0;
    for (let i = 0; i < 200; i++) {
      const y = sampleDiscreteLaplace(b);
      if (y > 10n ** 17n || y < -(10n ** 17n)) big++;
    }
    assert.ok(big > 150, `only ${big} of 200 draws exceeded 10^17 in magnitude`);
    const g = sampleDiscreteGaussian(Rational.of(10n ** 40n, 3n));
    assert.equal(typeof g, 'bigint');
  });

  test('isqrt is exact', () => {
    for (const n of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, 10n ** 40n, 10n ** 40n - 1n]) {
      const r = isqrt(n);
      assert.ok(r * r <= n && (r + 1n) * (r + 1n) > n, `isqrt(${n})`);
    }
  });
});
