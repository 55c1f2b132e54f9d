// Why: users see the error *before* they spend. A (1 − α) interval for discrete noise is an
// integer half-width k — the smallest k with P(|Y| > k) ≤ α — so [released − k, released + k]
// covers the true integer with probability ≥ 1 − α. For Laplace, k is certified with rational
// bounds; for the Gaussian with a float sum plus margin (see tails.ts). The inverse ("I need ±X")
// returns the *smallest* budget we can certify, rounded up to 6 significant digits.
import { ceilTo } from './bounds.js';
import { DpError } from './errors.js';
import type { NoiseSpec } from './mechanisms.js';
import { Rational, parseRational } from './rational.js';
import { FLOAT_MARGIN, erfc, gaussianTwoSidedTail, laplaceTwoSidedTail } from './tails.js';

/** Default α: 95% intervals. */
export const DEFAULT_ALPHA = Rational.of(1, 20);

function checkAlpha(alpha: Rational): void {
  if (!alpha.isPositive() || !alpha.lt(1n)) {
    throw new DpError(
      'accuracy.bad-alpha',
      `α must be strictly between 0 and 1, got ${alpha.toDisplayString()}`,
      'use 0.05 for 95% intervals',
    );
  }
}

/**
 * Smallest k ≥ 0 where `fits(k)` holds, for a predicate monotone in k, starting at a guess:
 * gallop away from the guess to bracket the answer, then bisect (each `fits` may be costly).
 */
function smallestFitting(guess: number, fits: (k: bigint) => boolean): bigint {
  let lo = 0n; // every k < lo is known not to fit
  let hi = BigInt(Math.max(0, Math.floor(Number.isFinite(guess) ? guess : 0)));
  let step = 1n;
  if (fits(hi)) {
    for (let i = 0; i < 200 && hi > 0n; i++, step *= 2n) {
      const c = hi > step ? hi - step : 0n;
      if (!fits(c)) {
        lo = c + 1n;
        break;
      }
      hi = c;
    }
  } else {
    for (let i = 0; ; i++, step *= 2n) {
      if (i >= 200)
        throw new DpError(
          'accuracy.unreachable',
          'No interval width reaches this level',
          'use a larger α',
        );
      lo = hi + 1n;
      hi += step;
      if (fits(hi)) break;
    }
  }
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    if (fits(mid)) hi = mid;
    else lo = mid + 1n;
  }
  return hi;
}

/** Exact (1 − α) half-width of discrete Laplace noise with scale b: smallest k with P(|Y| > k) ≤ α. */
export function laplaceHalfWidth(scale: Rational, alpha: Rational = DEFAULT_ALPHA): bigint {
  checkAlpha(alpha);
  const b = scale.toNumber();
  const r = Math.exp(-1 / b);
  const guess = b * Math.log(2 / (alpha.toNumber() * (1 + r))) - 1;
  return smallestFitting(guess, (k) => laplaceTwoSidedTail(scale, k).upper.lte(alpha));
}

/**
 * OpenDP's continuous relaxation of the same quantity, a with P(|Y| ≥ a) = α along the
 * log-linear tail: b·ln(2/(α(1 + e^{−1/b}))). For b = 3, α = 0.05 it is 9.4456…; the integer
 * half-width `laplaceHalfWidth` is then 9 (the smallest integer k with k + 1 ≥ a). Display only.
 */
export function laplaceAccuracyRelaxed(scale: number, alpha = 0.05): number {
  return scale * Math.log(2 / (alpha * (1 + Math.exp(-1 / scale))));
}

/** (1 − α) half-width of discrete Gaussian noise N_ℤ(0, σ²): smallest k with P(|Y| > k) ≤ α. */
export function gaussianHalfWidth(sigma2: Rational, alpha: Rational = DEFAULT_ALPHA): bigint {
  checkAlpha(alpha);
  const s2 = sigma2.toNumber();
  const a = alpha.toNumber() * (1 - FLOAT_MARGIN);
  const guess = Math.sqrt(s2) / accuracyToGaussianScale(1, alpha.toNumber()) - 1;
  return smallestFitting(guess, (k) => gaussianTwoSidedTail(s2, Number(k)) <= a);
}

/** Continuous Gaussian scale σ = accuracy / Φ⁻¹(1 − α/2) (OpenDP's accuracy_to_gaussian_scale; display only). */
export function accuracyToGaussianScale(accuracy: number, alpha = 0.05): number {
  let lo = 0;
  let hi = 40; // bisection for z with erfc(z/√2) = α
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (erfc(mid / Math.SQRT2) > alpha) lo = mid;
    else hi = mid;
  }
  return accuracy / ((lo + hi) / 2);
}

/** Half-width of the integer noise of a mechanism at level α. */
export function noiseHalfWidth(noise: NoiseSpec, alpha: Rational = DEFAULT_ALPHA): bigint {
  return noise.mechanism === 'laplace'
    ? laplaceHalfWidth(noise.scale, alpha)
    : gaussianHalfWidth(noise.sigma2, alpha);
}

/** Half-width for a noisy sum released at `resolution` (k units of the resolution). */
export function sumHalfWidth(
  noise: NoiseSpec,
  resolution: Rational,
  alpha: Rational = DEFAULT_ALPHA,
): Rational {
  return resolution.mul(noiseHalfWidth(noise, alpha));
}

/**
 * Conservative half-width of a mean S'/C' from a sum and count interval (each at α/2, so jointly
 * ≥ 1 − α by the union bound): |S'/C' − S/C| ≤ (hS + B·hC)/(C − hC), with B = max(|L|, |U|) and C
 * the (expected) count. Returns null when C ≤ hC (the mean is not pinned down at all).
 */
export function meanHalfWidth(
  sumHalf: Rational,
  countHalf: bigint,
  count: Rational,
  bound: Rational,
): Rational | null {
  const den = count.sub(Rational.of(countHalf));
  if (!den.isPositive()) return null;
  return sumHalf.add(bound.abs().mul(countHalf)).div(den);
}

/** Rounds a budget up to 6 significant digits (readable, and never cheaper than certified). */
function roundBudgetUp(x: Rational): Rational {
  const digits = Math.max(0, 6 - Math.floor(Math.log10(x.toNumber())) - 1);
  return ceilTo(x, 10n ** BigInt(digits));
}

/** Smallest ε (to 6 significant digits) so discrete Laplace noise on sensitivity Δ is within ±X at 1 − α. */
export function epsilonForAccuracy(
  halfWidth: Rational,
  sensitivity: Rational,
  alpha: Rational = DEFAULT_ALPHA,
): Rational {
  checkAlpha(alpha);
  const k = halfWidth.floor();
  if (k < 0n)
    throw new DpError('accuracy.bad-target', 'The target accuracy must be ≥ 0', 'ask for e.g. ±10');
  // Float solve of 2r^{k+1}/(1+r) = α for r, then ε = Δ·(−ln r); certify and nudge up if needed.
  const a = alpha.toNumber();
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200; i++) {
    const r = (lo + hi) / 2;
    if ((2 * r ** (Number(k) + 1)) / (1 + r) <= a) lo = r;
    else hi = r;
  }
  let eps = roundBudgetUp(
    parseRational(sensitivity.toNumber() * -Math.log(lo || Number.MIN_VALUE)),
  );
  for (let i = 0; i < 1000; i++) {
    if (laplaceTwoSidedTail(sensitivity.div(eps), k).upper.lte(alpha)) return eps;
    eps = roundBudgetUp(eps.mul(Rational.of(1_000_001, 1_000_000)));
  }
  throw new DpError(
    'accuracy.unreachable',
    'Could not certify a budget for this accuracy',
    'ask for a wider interval',
  );
}

/** Smallest ρ (to 6 significant digits) so discrete Gaussian noise on sensitivity Δ is within ±X at 1 − α. */
export function rhoForAccuracy(
  halfWidth: Rational,
  sensitivity: Rational,
  alpha: Rational = DEFAULT_ALPHA,
): Rational {
  checkAlpha(alpha);
  const k = halfWidth.floor();
  if (k < 0n)
    throw new DpError('accuracy.bad-target', 'The target accuracy must be ≥ 0', 'ask for e.g. ±10');
  const a = alpha.toNumber() * (1 - FLOAT_MARGIN);
  // Largest σ² with tail(σ², k) ≤ α, by bisection on log σ² (the tail grows with σ²).
  let lo = -40;
  let hi = 60;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (gaussianTwoSidedTail(Math.exp(mid), Number(k)) <= a) lo = mid;
    else hi = mid;
  }
  const d2 = sensitivity.mul(sensitivity);
  let rho = roundBudgetUp(d2.div(parseRational(Math.exp(lo)).mul(2n)));
  for (let i = 0; i < 1000; i++) {
    if (gaussianTwoSidedTail(d2.div(rho.mul(2n)).toNumber(), Number(k)) <= a) return rho;
    rho = roundBudgetUp(rho.mul(Rational.of(1_000_001, 1_000_000)));
  }
  throw new DpError(
    'accuracy.unreachable',
    'Could not certify a budget for this accuracy',
    'ask for a wider interval',
  );
}
