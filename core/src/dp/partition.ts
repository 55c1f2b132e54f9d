// Why: GROUP BY over keys that are not declared public would leak which keys exist. Thresholded
// discrete Laplace releases a key only when (distinct units with the key) + noise ≥ τ. With each
// unit in at most g groups, adding one unit shifts ≤ g existing counts by 1 (ε = g/b for the noisy
// counts) and creates ≤ g new keys, each with count 1, each released with probability
// P(Y ≥ τ − 1); τ is the smallest integer with g·P(Y ≥ τ − 1) ≤ δ (certified), giving (ε, δ)-DP.
import { DpError } from './errors.js';
import { sampleDiscreteLaplace } from './discrete-laplace.js';
import { Rational } from './rational.js';
import { defaultRandomSource, type RandomSource } from './random.js';
import { laplaceUpperTail } from './tails.js';

/** Parameters of thresholded partition selection. */
export interface PartitionSelection {
  /** ε spent on the noisy counts. */
  readonly epsilon: Rational;
  /** δ: bound on the probability that a key held by one unit is released. */
  readonly delta: Rational;
  /** Max groups (keys) one privacy unit may contribute to. */
  readonly maxGroupsPerUnit: bigint;
  /** Discrete Laplace scale b = g/ε. */
  readonly scale: Rational;
  /** Release threshold τ on the noisy distinct-unit count. */
  readonly threshold: bigint;
}

/** Computes b = g/ε and the smallest threshold τ with g·P(Y ≥ τ − 1) ≤ δ (certified bound). */
export function partitionSelection(
  epsilon: Rational,
  delta: Rational,
  maxGroupsPerUnit: bigint | number,
): PartitionSelection {
  const g = BigInt(maxGroupsPerUnit);
  if (g < 1n)
    throw new DpError(
      'groupby.bad-max-groups',
      'max groups per unit must be at least 1',
      'declare max_groups_per_unit in the policy',
    );
  if (!epsilon.isPositive())
    throw new DpError(
      'groupby.bad-epsilon',
      'ε for partition selection must be positive',
      'give the GROUP BY a positive ε',
    );
  if (!delta.isPositive() || !delta.lt(1n)) {
    throw new DpError(
      'groupby.bad-delta',
      'δ for partition selection must be strictly between 0 and 1',
      'use e.g. 1e-7',
    );
  }
  const scale = Rational.of(g).div(epsilon);
  const fits = (tau: bigint) =>
    laplaceUpperTail(scale, tau - 1n)
      .upper.mul(g)
      .lte(delta);
  // Float guess from r^{t}/(1+r) = δ/g, then walk to the smallest certified τ (bounded).
  const b = scale.toNumber();
  const r = Math.exp(-1 / b);
  let tau = BigInt(
    Math.max(2, Math.floor(1 + b * Math.log(Number(g) / (delta.toNumber() * (1 + r))))),
  );
  for (let i = 0; i < 100_000 && !fits(tau); i++) tau += 1n + tau / 64n;
  for (let i = 0; i < 100_000 && tau > 2n && fits(tau - 1n); i++) tau -= 1n;
  if (!fits(tau))
    throw new DpError(
      'groupby.no-threshold',
      'Could not find a release threshold',
      'use a larger δ or ε',
    );
  return { epsilon, delta, maxGroupsPerUnit: g, scale, threshold: tau };
}

/** P(a key held by n distinct units is released) = P(n + Y ≥ τ) (a float, for the dry run). */
export function releaseProbability(sel: PartitionSelection, units: bigint | number): number {
  const t = sel.threshold - BigInt(units);
  const b = laplaceUpperTail(sel.scale, t);
  return b.upper.toNumber();
}

/** Suppression probability 1 − P(release) for a key held by n units (float, for display). */
export function suppressionProbability(sel: PartitionSelection, units: bigint | number): number {
  const t = sel.threshold - BigInt(units);
  return 1 - laplaceUpperTail(sel.scale, t).lower.toNumber();
}

/**
 * Releases the keys whose noisy distinct-unit count reaches τ, with those noisy counts. `counts`
 * must count distinct units per key, each unit in at most g keys (enforced upstream).
 */
export function selectPartitions<K>(
  counts: ReadonlyMap<K, bigint>,
  sel: PartitionSelection,
  rng: RandomSource = defaultRandomSource(),
): Map<K, bigint> {
  const out = new Map<K, bigint>();
  for (const [key, n] of counts) {
    const noisy = n + sampleDiscreteLaplace(sel.scale, rng);
    if (noisy >= sel.threshold) out.set(key, noisy);
  }
  return out;
}
