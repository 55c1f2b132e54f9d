/**
 * DP partition selection for GROUP BY keys without a public domain (Laplace thresholding, as in
 * Google's DP libraries and Tumult). After contribution bounding a unit touches ≤ L0 keys. Each
 * key's count of distinct units gets discrete Laplace noise of scale b = L0/ε_sel (ε_sel-DP for
 * the vector of counts, L1 sensitivity L0), and a key is released only when its noisy count is
 * ≥ τ. A key that exists in one neighbour only has true count ≤ 1, so it appears with
 * probability P(Z ≥ τ − 1) = p^{τ−1}/(1+p), p = e^{−1/b}; τ is chosen so L0 such keys together
 * appear with probability ≤ δ, giving (ε_sel, δ)-DP for the released key set.
 */
import { partitionSelection, releaseProbability } from '../dp/partition.js';
import type { Rational } from '../dp/rational.js';

/** The selection mechanism's parameters. */
export interface SelectionPlan {
  share: Rational;
  /** Discrete Laplace scale b of the noisy unit counts. */
  scale: Rational;
  /** Release a key when its noisy distinct-unit count is ≥ threshold. */
  threshold: bigint;
  delta: Rational;
  /** P(a key held by a single unit is released) (a float, for display; the bound is certified). */
  singleUnitProbability: number;
}

/**
 * The smallest threshold τ whose certified bound (exact rational bounds on the tail, not float
 * arithmetic) gives L0 · P(Z ≥ τ − 1) ≤ δ; refuses with a fix when none is found.
 */
export function selectionFor(share: Rational, l0: bigint, delta: Rational): SelectionPlan {
  const selection = partitionSelection(share, delta, l0);
  return {
    share,
    scale: selection.scale,
    threshold: selection.threshold,
    delta,
    singleUnitProbability: releaseProbability(selection, 1),
  };
}
