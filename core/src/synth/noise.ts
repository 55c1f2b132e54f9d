// Why: all released counts get exact discrete Gaussian noise from core/src/dp (integer noise on
// integer counts: no floating-point noise, no Mironov-style attacks), and the selection step is
// the exponential mechanism sampled exactly by rejection: draw a candidate uniformly and keep it
// with probability exp(−ε·(q_max − q_i)/2), an exact Bernoulli(exp(−γ)) coin for rational γ.
// Accepted draws then follow P(i) ∝ exp(ε·q_i/2) exactly (the EM with sensitivity 1), and the EM
// is ε²/8-zCDP (bounded range, Cesar & Rogers 2021). Scores are integers so γ is rational.
import { bernoulliExpNeg } from '../dp/bernoulli-exp.js';
import { DiscreteGaussianSampler } from '../dp/discrete-gaussian.js';
import { Rational } from '../dp/rational.js';
import { uniformBelowNumber, type RandomSource } from '../dp/random.js';
import { SynthError } from './errors.js';

/** Adds exact discrete Gaussian noise N_Z(0, σ²) to every cell of integer counts (new array). */
export function noisyCounts(
  counts: Float64Array,
  sigma2: Rational,
  rng: RandomSource,
): Float64Array {
  const sampler = new DiscreteGaussianSampler(sigma2);
  const out = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) {
    const noise = sampler.sample(rng);
    out[i] = counts[i]! + Number(noise);
  }
  return out;
}

/** Cap on exponential-mechanism rejection rounds; reaching it means the scores are degenerate. */
const MAX_EM_TRIALS = 10_000_000;

/**
 * Exponential mechanism over integer scores (sensitivity 1): returns index i with probability
 * ∝ exp(ε·q_i/2), sampled exactly. Throws when no candidate is given.
 */
export function exponentialMechanism(
  scores: readonly number[],
  epsilon: Rational,
  rng: RandomSource,
): number {
  if (scores.length === 0) {
    throw new SynthError(
      'select.empty',
      'The exponential mechanism got no candidates',
      'report this bug',
    );
  }
  for (const q of scores) {
    if (!Number.isSafeInteger(q)) {
      throw new SynthError(
        'select.bad-score',
        'A selection score is not an integer',
        'report this bug',
      );
    }
  }
  let max = -Infinity;
  for (const q of scores) if (q > max) max = q;
  const half = epsilon.div(2n);
  for (let t = 0; t < MAX_EM_TRIALS; t++) {
    const i = uniformBelowNumber(scores.length, rng);
    const gap = BigInt(max - scores[i]!);
    if (bernoulliExpNeg(half.mul(Rational.of(gap)), rng)) return i;
  }
  throw new SynthError(
    'select.runaway',
    `The exponential mechanism rejected ${MAX_EM_TRIALS} candidates`,
    'check the random source; this essentially never happens with a working CSPRNG',
  );
}
