// Why: continuous Laplace noise on floats leaks the true value through the float grid (Mironov
// 2012; Presto #23002). The discrete Laplace on ℤ, P(y) ∝ exp(−|y|/scale), gives the same ε-DP for
// integer queries and can be sampled *exactly* from uniform integers (Canonne, Kamath & Steinke
// 2020, Algorithm 2): X = U + t·V with U uniform on [0, t) kept with prob exp(−U/t) and V
// geometric with ratio exp(−1), so X is geometric with ratio exp(−1/t); Y = ⌊X/s⌋ is geometric
// with ratio exp(−s/t); a random sign, rejecting "−0", gives the two-sided law with scale t/s.
import { bernoulliExpNegFraction, bernoulliExpNegUnitNumber } from './bernoulli-exp.js';
import { DpError } from './errors.js';
import { Rational } from './rational.js';
import {
  MAX_REJECTIONS,
  defaultRandomSource,
  runaway,
  uniformBelow,
  uniformBelowNumber,
  type RandomSource,
} from './random.js';

const SAFE_BIG = 9007199254740992n; // 2^53
/** s and t up to 2^32 keep X = U + t·V below 2^47 (V ≤ 10^4), so the number path is exact. */
const SMALL = 4294967296n;

/**
 * Number fast path of `sampleDiscreteLaplaceST` for 1 ≤ s, t ≤ 2^32: the same algorithm and the
 * same coins, with every intermediate an exactly represented integer below 2^53.
 */
export function sampleDiscreteLaplaceSmall(s: number, t: number, rng: RandomSource): number {
  for (let i = 0; i < MAX_REJECTIONS; i++) {
    const u = uniformBelowNumber(t, rng);
    if (!bernoulliExpNegUnitNumber(u, t, rng)) continue;
    let v = 0;
    while (bernoulliExpNegUnitNumber(1, 1, rng)) {
      if (++v > MAX_REJECTIONS) runaway('sampleDiscreteLaplace'); // odds e^{−10000}
    }
    const x = u + t * v;
    let y = Math.floor(x / s); // exact floor: correct the rounded quotient by one step
    if (y * s > x) y--;
    else if ((y + 1) * s <= x) y++;
    const negative = (rng.nextUint32() & 1) === 1;
    if (negative && y === 0) continue;
    return negative ? -y : y;
  }
  return runaway('sampleDiscreteLaplace');
}

/**
 * One draw of the discrete Laplace with scale t/s for positive BigInts s, t:
 * P(Y = y) = (1 − e^{−s/t}) / (1 + e^{−s/t}) · e^{−|y|·s/t}.
 */
export function sampleDiscreteLaplaceST(s: bigint, t: bigint, rng: RandomSource): bigint {
  if (s <= SMALL && t <= SMALL)
    return BigInt(sampleDiscreteLaplaceSmall(Number(s), Number(t), rng));
  const small = t <= SAFE_BIG;
  const tn = Number(t);
  for (let i = 0; i < MAX_REJECTIONS; i++) {
    const u = uniformBelow(t, rng);
    const keep = small
      ? bernoulliExpNegUnitNumber(Number(u), tn, rng)
      : bernoulliExpNegFraction(u, t, rng);
    if (!keep) continue;
    let v = 0n; // geometric: count exp(−1) successes before the first failure
    while (bernoulliExpNegUnitNumber(1, 1, rng)) {
      if (++v > BigInt(MAX_REJECTIONS)) runaway('sampleDiscreteLaplace'); // odds e^{−10000}
    }
    const y = (u + t * v) / s;
    const negative = (rng.nextUint32() & 1) === 1;
    if (negative && y === 0n) continue; // reject "−0" so 0 is not counted twice
    return negative ? -y : y;
  }
  return runaway('sampleDiscreteLaplace');
}

/** Refuses a scale that is not a positive rational (noise scales are privacy parameters). */
export function assertPositiveScale(scale: Rational, what: string): void {
  if (!scale.isPositive()) {
    throw new DpError(
      'noise.bad-scale',
      `${what} must be positive, got ${scale.toString()}`,
      'derive the scale from a positive budget and sensitivity',
    );
  }
}

/** One exact draw of discrete Laplace noise with the given rational scale b: P(y) ∝ exp(−|y|/b). */
export function sampleDiscreteLaplace(
  scale: Rational,
  rng: RandomSource = defaultRandomSource(),
): bigint {
  assertPositiveScale(Rational.from(scale), 'Discrete Laplace scale');
  return sampleDiscreteLaplaceST(scale.den, scale.num, rng);
}
