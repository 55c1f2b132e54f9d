// Why: the exact samplers of Canonne, Kamath & Steinke (2020, "The Discrete Gaussian for
// Differential Privacy", Algorithm 1) only need coins with probability exp(−γ) for rational γ.
// Those come from the alternating series exp(−γ) = Σ (−γ)^k / k!: draw A_k ~ Bernoulli(γ/k) until
// the first failure at step K; P(K odd) = exp(−γ) exactly for γ ∈ [0, 1]. Larger γ is split into
// ⌊γ⌋ coins of exp(−1) and one of exp(−(γ − ⌊γ⌋)). Each Bernoulli(γ/k) = [uniform(d·k) < n] is an
// integer comparison. Fast path: while d·k ≤ 2^53 the integers are JS numbers, which represent
// every integer below 2^53 exactly, so the result is bit-for-bit the same as the BigInt path.
import { DpError } from './errors.js';
import type { Rational } from './rational.js';
import {
  MAX_REJECTIONS,
  defaultRandomSource,
  runaway,
  uniformBelow,
  uniformBelowNumber,
  type RandomSource,
} from './random.js';

const SAFE = 9007199254740992; // 2^53
const SAFE_BIG = 9007199254740992n;

/** Bernoulli(exp(−n/d)) for safe integers 0 ≤ n ≤ d, 1 ≤ d ≤ 2^53 (JS numbers, exact). */
export function bernoulliExpNegUnitNumber(n: number, d: number, rng: RandomSource): boolean {
  if (n === 0) return true;
  let k = 1;
  for (; k < MAX_REJECTIONS; k++) {
    const m = d * k;
    const a =
      m <= SAFE
        ? uniformBelowNumber(m, rng) < n
        : uniformBelow(BigInt(d) * BigInt(k), rng) < BigInt(n);
    if (!a) return k % 2 === 1;
  }
  return runaway('bernoulliExpNeg');
}

/** Bernoulli(exp(−n/d)) for BigInts 0 ≤ n ≤ d, d ≥ 1. */
function bernoulliExpNegUnitBig(n: bigint, d: bigint, rng: RandomSource): boolean {
  if (d <= SAFE_BIG) return bernoulliExpNegUnitNumber(Number(n), Number(d), rng);
  if (n === 0n) return true;
  for (let k = 1n; k < BigInt(MAX_REJECTIONS); k++) {
    if (!(uniformBelow(d * k, rng) < n)) return k % 2n === 1n;
  }
  return runaway('bernoulliExpNeg');
}

/** Bernoulli(exp(−n/d)) for BigInts n ≥ 0, d ≥ 1 (no validation; the samplers' inner loop). */
export function bernoulliExpNegFraction(n: bigint, d: bigint, rng: RandomSource): boolean {
  if (n <= d) return bernoulliExpNegUnitBig(n, d, rng);
  const whole = n / d;
  // Each exp(−1) coin succeeds with probability ≈ 0.37, so this loop almost always exits early;
  // its length is bounded by ⌊γ⌋ regardless.
  for (let i = 0n; i < whole; i++) {
    if (!bernoulliExpNegUnitNumber(1, 1, rng)) return false;
  }
  return bernoulliExpNegUnitBig(n % d, d, rng);
}

/** Bernoulli(exp(−n/d)) for safe integers 0 ≤ n < 2^53, 1 ≤ d < 2^53 (JS numbers, exact). */
export function bernoulliExpNegNumber(n: number, d: number, rng: RandomSource): boolean {
  if (n <= d) return bernoulliExpNegUnitNumber(n, d, rng);
  // ⌊n/d⌋ from a rounded float quotient, corrected by one step: whole·d ≤ n < 2^53 is exact, and
  // (whole+1)·d, even if rounded, compares correctly with n because rounding is monotone.
  let whole = Math.floor(n / d);
  if (whole * d > n) whole--;
  else if ((whole + 1) * d <= n) whole++;
  for (let i = 0; i < whole; i++) {
    if (!bernoulliExpNegUnitNumber(1, 1, rng)) return false;
  }
  return bernoulliExpNegUnitNumber(n - whole * d, d, rng);
}

/** True with probability exactly exp(−γ), for a rational γ ≥ 0 (CKS 2020, Algorithm 1). */
export function bernoulliExpNeg(
  gamma: Rational,
  rng: RandomSource = defaultRandomSource(),
): boolean {
  if (gamma.isNegative()) {
    throw new DpError(
      'random.bad-probability',
      `bernoulliExpNeg needs γ ≥ 0, got ${gamma.toString()}`,
      'pass a non-negative exponent',
    );
  }
  return bernoulliExpNegFraction(gamma.num, gamma.den, rng);
}
