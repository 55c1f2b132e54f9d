/**
 * DP partition selection for GROUP BY keys without a public domain (Laplace thresholding, as in
 * Google's DP libraries and Tumult). After contribution bounding a unit touches ≤ L0 keys. Each
 * key's count of distinct units gets discrete Laplace noise of scale b = L0/ε_sel (ε_sel-DP for
 * the vector of counts, L1 sensitivity L0), and a key is released only when its noisy count is
 * ≥ τ. A key that exists in one neighbour only has true count ≤ 1, so it appears with
 * probability P(Z ≥ τ − 1) = p^{τ−1}/(1+p), p = e^{−1/b}; τ is chosen so L0 such keys together
 * appear with probability ≤ δ, giving (ε_sel, δ)-DP for the released key set.
 */
import { laplaceScaleFor } from '../dp/accounting.js';
import { Rational } from '../dp/rational.js';

/** The selection mechanism's parameters. */
export interface SelectionPlan {
  share: Rational;
  /** Discrete Laplace scale b of the noisy unit counts. */
  scale: Rational;
  /** Release a key when its noisy distinct-unit count is ≥ threshold. */
  threshold: bigint;
  delta: Rational;
  /** P(a key held by a single unit is released). */
  singleUnitProbability: number;
}

/** P(Z ≥ k) for Z discrete Laplace with scale b, k ≥ 1. */
export function laplaceUpperTail(scale: number, k: number): number {
  const p = Math.exp(-1 / scale);
  return Math.pow(p, k) / (1 + p);
}

/** Threshold τ with L0 · P(Z ≥ τ − 1) ≤ δ (one extra step absorbs float rounding). */
export function selectionFor(share: Rational, l0: bigint, delta: Rational): SelectionPlan {
  const scale = laplaceScaleFor(Rational.of(l0), share);
  const b = scale.toNumber();
  const target = delta.toNumber() / Number(l0);
  let k = Math.max(1, Math.ceil(b * Math.log(1 / target)));
  while (laplaceUpperTail(b, k) > target) k++;
  k += 1;
  return {
    share,
    scale,
    threshold: BigInt(k + 1),
    delta,
    singleUnitProbability: laplaceUpperTail(b, k),
  };
}
