import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  CryptoRandomSource,
  bernoulliRational,
  defaultRandomSource,
  uniformBelow,
  uniformBelowNumber,
} from '@privet/core/dp/random';
import { bernoulliExpNeg } from '@privet/core/dp/bernoulli-exp';
import { Rational } from '@privet/core/dp/rational';
import { DpError } from '@privet/core/dp/errors';
import { seededRandom } from '@privet/core/synth/seeded-random';
import { chiSquareCritical, ScriptedSource } from './stats.js';

/** |observed − expected| in standard deviations for a binomial count. */
function zScore(hits: number, n: number, p: number): number {
  return Math.abs(hits - n * p) / Math.sqrt(n * p * (1 - p));
}

describe('uniform integers', () => {
  for (const n of [3n, 7n, 1000n, (1n << 40n) + 5n, (1n << 70n) + 3n]) {
    test(`uniformBelow(${n}) is uniform over 16 equal-mass buckets`, async () => {
      // A seeded ChaCha20 stream, the same every run: each χ² check fails by chance ~1e-5.
      const rng = await seededRandom(`random/uniform/${n}`);
      const draws = 64_000;
      const buckets = new Array<number>(16).fill(0);
      const small = n < 16n;
      const cells = small ? Number(n) : 16;
      for (let i = 0; i < draws; i++) {
        const v = uniformBelow(n, rng);
        assert.ok(v >= 0n && v < n);
        const cell = small ? Number(v) : Number((v * 16n) / n);
        buckets[cell] = (buckets[cell] ?? 0) + 1;
      }
      // With n not a multiple of 16 the buckets differ by < 1 element: negligible mass.
      const e = draws / cells;
      const chi = buckets.slice(0, cells).reduce((s, o) => s + (o - e) ** 2 / e, 0);
      assert.ok(chi < chiSquareCritical(cells - 1), `χ²=${chi.toFixed(1)}`);
    });
  }

  test('rejection removes modulo bias: words at or above the last full multiple are redrawn', () => {
    // n = 3: limit = 2^32 − (2^32 mod 3) = 4294967295; the word 4294967295 must be rejected.
    const rng = new ScriptedSource([4294967295, 4294967295, 5]);
    assert.equal(uniformBelowNumber(3, rng), 2);
    assert.equal(rng.used, 3);
  });

  test('refuses empty or invalid ranges', () => {
    assert.throws(() => uniformBelow(0n), DpError);
    assert.throws(() => uniformBelowNumber(0), DpError);
    assert.throws(() => uniformBelowNumber(1.5), DpError);
    assert.throws(() => uniformBelowNumber(2 ** 53 + 2), DpError);
  });

  test('a broken source fails closed instead of hanging', () => {
    const stuck = new ScriptedSource([0xffffffff]);
    assert.throws(
      () => uniformBelowNumber(3, stuck),
      (e: unknown) => e instanceof DpError && e.code === 'random.runaway',
    );
  });

  test('the default source is a buffered CSPRNG that yields 32-bit words', () => {
    const rng = defaultRandomSource();
    assert.ok(rng instanceof CryptoRandomSource);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const w = rng.nextUint32();
      assert.ok(Number.isInteger(w) && w >= 0 && w < 2 ** 32);
      seen.add(w);
    }
    assert.ok(seen.size > 9_990); // collisions among 10^4 random 32-bit words are rare
  });
});

describe('exact Bernoulli coins', () => {
  // Seeded streams, the same every run: each 4.5-σ check fails by chance ~7e-6 with fresh draws.
  test('bernoulliRational(p) hits with frequency p', async () => {
    const rng = await seededRandom('random/bernoulli-rational');
    const n = 50_000;
    for (const p of [Rational.of(1, 3), Rational.of(999, 1000), Rational.of(1, 7)]) {
      let hits = 0;
      for (let i = 0; i < n; i++) if (bernoulliRational(p, rng)) hits++;
      assert.ok(zScore(hits, n, p.toNumber()) < 4.5, `p=${p.toString()} hits=${hits}`);
    }
    assert.equal(bernoulliRational(Rational.of(0)), false);
    assert.equal(bernoulliRational(Rational.of(1)), true);
    assert.throws(() => bernoulliRational(Rational.of(3, 2)), DpError);
  });

  test('bernoulliExpNeg(γ) hits with frequency exp(−γ) for γ below and above 1', async () => {
    const rng = await seededRandom('random/bernoulli-exp');
    const n = 50_000;
    for (const g of ['0', '1/2', '1', '5/2', '7/3', '6']) {
      const gamma = Rational.from(g);
      let hits = 0;
      for (let i = 0; i < n; i++) if (bernoulliExpNeg(gamma, rng)) hits++;
      const p = Math.exp(-gamma.toNumber());
      if (p === 1) assert.equal(hits, n);
      else assert.ok(zScore(hits, n, p) < 4.5, `γ=${g} hits=${hits} expected ${n * p}`);
    }
    assert.throws(() => bernoulliExpNeg(Rational.of(-1)), DpError);
  });
});
