// Why: the mechanisms add exact discrete noise to integer aggregates and report their cost via a
// privacy map; the convenience builders size the noise from a budget (b = Δ/ε, σ² = Δ²/(2ρ)) for a
// neighbouring distance of one privacy unit, and derive non-integer answers (sums at a resolution,
// means) by post-processing integer-noised sums and counts — so no float ever touches the noise.
import {
  gaussianRho,
  gaussianSigma2For,
  laplaceEpsilon,
  laplaceScaleFor,
  pureLoss,
  zcdpLoss,
} from './accounting.js';
import { DiscreteGaussianSampler } from './discrete-gaussian.js';
import { assertPositiveScale, sampleDiscreteLaplace } from './discrete-laplace.js';
import { DpError } from './errors.js';
import {
  chain,
  checkDistance,
  composeMeasurements,
  Measurement,
  postprocess,
  type Domain,
  type Metric,
  type UnitRow,
} from './measurement.js';
import { Rational } from './rational.js';
import { fixedPoint, makeClampedSum, makeCount, type ClampSpec } from './transformations.js';

type IntegerDomain = Extract<Domain, { kind: 'integer' | 'integer-vector' }>;

/** Noise for one integer or integer vector: discrete Laplace with `scale` or discrete Gaussian with `sigma2`. */
export type NoiseSpec =
  { mechanism: 'laplace'; scale: Rational } | { mechanism: 'gaussian'; sigma2: Rational };

/** A budget to spend on one aggregate: ε with discrete Laplace, or ρ with discrete Gaussian. */
export type NoiseBudget =
  { mechanism: 'laplace'; epsilon: Rational } | { mechanism: 'gaussian'; rho: Rational };

function addNoise(x: bigint | bigint[], draw: () => bigint): bigint | bigint[] {
  return typeof x === 'bigint' ? x + draw() : x.map((v) => v + draw());
}

/** Discrete Laplace on an integer (absolute distance) or vector (L1): ε = d/b. */
export function makeDiscreteLaplace<T extends bigint | bigint[]>(
  scale: Rational,
  domain: IntegerDomain = { kind: 'integer' },
): Measurement<T, T> {
  assertPositiveScale(scale, 'Discrete Laplace scale');
  const metric: Metric = domain.kind === 'integer' ? 'absolute-distance' : 'l1-distance';
  return new Measurement<T, T>(
    domain,
    metric,
    'pure',
    (x, rng) => addNoise(x, () => sampleDiscreteLaplace(scale, rng)) as T,
    (d) => pureLoss(laplaceEpsilon(checkDistance(d), scale)),
  );
}

/** Discrete Gaussian on an integer (absolute distance) or vector (L2): ρ = d²/(2σ²). */
export function makeDiscreteGaussian<T extends bigint | bigint[]>(
  sigma2: Rational,
  domain: IntegerDomain = { kind: 'integer' },
): Measurement<T, T> {
  const sampler = new DiscreteGaussianSampler(sigma2);
  const metric: Metric = domain.kind === 'integer' ? 'absolute-distance' : 'l2-distance';
  return new Measurement<T, T>(
    domain,
    metric,
    'zcdp',
    (x, rng) => addNoise(x, () => sampler.sample(rng)) as T,
    (d) => zcdpLoss(gaussianRho(checkDistance(d), sigma2)),
  );
}

/** The noise that spends exactly `budget` on a query of the given sensitivity. */
export function noiseFor(budget: NoiseBudget, sensitivity: Rational): NoiseSpec {
  if (!sensitivity.isPositive()) {
    throw new DpError(
      'noise.no-sensitivity',
      'The aggregate has sensitivity 0, so bounds or contribution limits are missing',
      'declare bounds and max rows per unit for the column',
    );
  }
  return budget.mechanism === 'laplace'
    ? { mechanism: 'laplace', scale: laplaceScaleFor(sensitivity, budget.epsilon) }
    : { mechanism: 'gaussian', sigma2: gaussianSigma2For(sensitivity, budget.rho) };
}

/** A mechanism for the given noise spec on an integer or vector domain. */
export function makeNoise<T extends bigint | bigint[]>(
  noise: NoiseSpec,
  domain: IntegerDomain = { kind: 'integer' },
): Measurement<T, T> {
  return noise.mechanism === 'laplace'
    ? makeDiscreteLaplace<T>(noise.scale, domain)
    : makeDiscreteGaussian<T>(noise.sigma2, domain);
}

/** A released aggregate together with the noise that was used (for intervals). */
export interface NoisyAggregate<O> {
  /** Releases the noisy answer from contribution-bounded rows. */
  measurement: Measurement<readonly UnitRow[], O>;
  /** The noise added to the underlying integer(s). */
  noise: NoiseSpec;
  /** Sensitivity of the underlying integer for one privacy unit. */
  sensitivity: Rational;
}

/** A noisy row count: sensitivity m. */
export function makeNoisyCount(
  maxRowsPerUnit: bigint | number,
  budget: NoiseBudget,
): NoisyAggregate<bigint> {
  const t = makeCount(maxRowsPerUnit);
  const sensitivity = t.stabilityMap(Rational.of(1));
  const noise = noiseFor(budget, sensitivity);
  return { measurement: chain(t, makeNoise<bigint>(noise)), noise, sensitivity };
}

/**
 * A noisy clamped sum, released as an exact Rational (noisy fixed-point integer × resolution).
 * Bias: clamping moves values outside [L, U] to the bounds; rounding to the resolution is
 * round-half-away-from-zero per row (|bias| ≤ resolution/2 per row, 0 on average for smooth data).
 */
export function makeNoisySum(
  maxRowsPerUnit: bigint | number,
  spec: ClampSpec,
  budget: NoiseBudget,
): NoisyAggregate<Rational> {
  const t = makeClampedSum(maxRowsPerUnit, spec);
  const sensitivity = t.stabilityMap(Rational.of(1));
  const noise = noiseFor(budget, sensitivity);
  const res = fixedPoint(spec).resolution;
  return {
    measurement: postprocess(chain(t, makeNoise<bigint>(noise)), (q) => res.mul(q)),
    noise,
    sensitivity,
  };
}

/** A noisy mean = noisy sum / max(1, noisy count), clamped to [L, U], spending `sumShare` of the budget on the sum. */
export function makeNoisyMean(
  maxRowsPerUnit: bigint | number,
  spec: ClampSpec,
  budget: NoiseBudget,
  sumShare: Rational = Rational.of(1, 2),
): {
  measurement: Measurement<readonly UnitRow[], Rational>;
  sum: NoisyAggregate<Rational>;
  count: NoisyAggregate<bigint>;
} {
  if (!sumShare.isPositive() || !sumShare.lt(1n)) {
    throw new DpError(
      'mean.bad-split',
      'The sum share of a mean budget must be strictly between 0 and 1',
      'use e.g. 1/2',
    );
  }
  const part = (share: Rational): NoiseBudget =>
    budget.mechanism === 'laplace'
      ? { mechanism: 'laplace', epsilon: budget.epsilon.mul(share) }
      : { mechanism: 'gaussian', rho: budget.rho.mul(share) };
  const sum = makeNoisySum(maxRowsPerUnit, spec, part(sumShare));
  const count = makeNoisyCount(maxRowsPerUnit, part(Rational.of(1).sub(sumShare)));
  const both = composeMeasurements<readonly UnitRow[], Rational>([
    sum.measurement,
    postprocess(count.measurement, (c) => Rational.of(c)),
  ]);
  const measurement = postprocess(both, ([s, c]) => {
    const n = c && c.gt(1n) ? c : Rational.of(1);
    const mean = (s ?? Rational.of(0)).div(n);
    return mean.max(spec.lower).min(spec.upper); // post-processing: a mean lies within the bounds
  });
  return { measurement, sum, count };
}
