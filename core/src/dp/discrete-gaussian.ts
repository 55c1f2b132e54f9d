// Why: the Gaussian mechanism is what zCDP composes best with, but float Gaussians leak through
// their rounding (Mironov 2012). The discrete Gaussian N_ℤ(0, σ²), P(y) ∝ exp(−y²/(2σ²)), is
// sampled exactly by rejection from a discrete Laplace (Canonne, Kamath & Steinke 2020,
// Algorithm 3): with t = ⌊σ⌋ + 1, draw Y ~ Lap_ℤ(t) and accept with probability
// exp(−(|Y| − σ²/t)² / (2σ²)). Everything is integer arithmetic on σ² = a/b:
// (|Y| − σ²/t)²/(2σ²) = (|Y|·b·t − a)² / (2·a·b·t²).
import { bernoulliExpNegFraction, bernoulliExpNegNumber } from './bernoulli-exp.js';
import {
  assertPositiveScale,
  sampleDiscreteLaplaceSmall,
  sampleDiscreteLaplaceST,
} from './discrete-laplace.js';
import { Rational } from './rational.js';
import { MAX_REJECTIONS, defaultRandomSource, runaway, type RandomSource } from './random.js';

/** ⌊√n⌋ for a BigInt n ≥ 0 (Newton's method on integers; exact). */
export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2)); // x ≥ √n
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** A discrete Gaussian sampler for one σ², with its integer constants computed once. */
export class DiscreteGaussianSampler {
  /** Variance parameter σ² (exact). */
  readonly sigma2: Rational;
  private readonly a: bigint;
  private readonly b: bigint;
  private readonly t: bigint;
  private readonly bt: bigint;
  private readonly den: bigint;

  constructor(sigma2: Rational) {
    assertPositiveScale(sigma2, 'Discrete Gaussian variance σ²');
    this.sigma2 = sigma2;
    this.a = sigma2.num;
    this.b = sigma2.den;
    this.t = isqrt(sigma2.floor()) + 1n; // ⌊σ⌋ + 1, since ⌊√x⌋ = ⌊√⌊x⌋⌋
    this.bt = this.b * this.t;
    this.den = 2n * this.a * this.b * this.t * this.t;
    const safe = 9007199254740991n;
    if (this.t <= 4294967296n && this.den <= safe && this.a <= safe && this.bt <= safe) {
      const bt = Number(this.bt);
      this.fast = {
        t: Number(this.t),
        a: Number(this.a),
        bt,
        den: Number(this.den),
        absLimit: Math.floor(Number.MAX_SAFE_INTEGER / bt) - 1,
      };
    }
  }

  /** Number constants when every product below stays under 2^53 (same draws, exact). */
  private readonly fast?: { t: number; a: number; bt: number; den: number; absLimit: number };

  /** One exact draw from N_ℤ(0, σ²). */
  sample(rng: RandomSource = defaultRandomSource()): bigint {
    const f = this.fast;
    if (f) {
      for (let i = 0; i < MAX_REJECTIONS; i++) {
        const y = sampleDiscreteLaplaceSmall(1, f.t, rng);
        const abs = Math.abs(y);
        const diff = abs * f.bt - f.a; // exact: abs·bt < 2^53 and a < 2^53
        // diff² < 2^53 when |diff| ≤ 94906265 (⌊√2^53⌋); otherwise redo this candidate in BigInt.
        const accept =
          abs <= f.absLimit && Math.abs(diff) <= 94906265
            ? bernoulliExpNegNumber(diff * diff, f.den, rng)
            : this.acceptBig(BigInt(y), rng);
        if (accept) return BigInt(y);
      }
      return runaway('sampleDiscreteGaussian');
    }
    for (let i = 0; i < MAX_REJECTIONS; i++) {
      const y = sampleDiscreteLaplaceST(1n, this.t, rng);
      if (this.acceptBig(y, rng)) return y;
    }
    return runaway('sampleDiscreteGaussian');
  }

  private acceptBig(y: bigint, rng: RandomSource): boolean {
    const abs = y < 0n ? -y : y;
    const diff = abs * this.bt - this.a;
    return bernoulliExpNegFraction(diff * diff, this.den, rng);
  }
}

/** One exact draw of discrete Gaussian noise N_ℤ(0, σ²): P(y) ∝ exp(−y²/(2σ²)). */
export function sampleDiscreteGaussian(
  sigma2: Rational,
  rng: RandomSource = defaultRandomSource(),
): bigint {
  return new DiscreteGaussianSampler(Rational.from(sigma2)).sample(rng);
}
