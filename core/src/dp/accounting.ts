// Why: three privacy measures are in use — pure ε-DP (discrete Laplace), ρ-zCDP (discrete
// Gaussian) and (ε, δ)-DP (thresholded keys, and what zCDP converts to). Costs are exact rationals
// wherever the math is rational (ε = Δ/b, ρ = Δ²/(2σ²), ρ = ε²/2); where it is not (zCDP → (ε, δ)
// needs √ and ln) we evaluate the bound with certified enclosures and round the cost UP to a
// readable grid, so the ledger never under-charges.
import { ceilTo, lnBounds, sqrtBounds } from './bounds.js';
import { DpError } from './errors.js';
import { ONE, Rational, ZERO } from './rational.js';

/** A privacy loss (or budget) in one of the three supported measures. */
export type PrivacyLoss =
  | { readonly kind: 'pure'; readonly epsilon: Rational }
  | { readonly kind: 'approx'; readonly epsilon: Rational; readonly delta: Rational }
  | { readonly kind: 'zcdp'; readonly rho: Rational };

/** The name of a privacy measure. */
export type PrivacyMeasure = PrivacyLoss['kind'];

/** Denominator of the grid that irrational costs are rounded up to (10^-12). */
export const COST_GRID = 10n ** 12n;

/** Pure ε-DP loss. */
export function pureLoss(epsilon: Rational): PrivacyLoss {
  return { kind: 'pure', epsilon };
}

/** Approximate (ε, δ)-DP loss. */
export function approxLoss(epsilon: Rational, delta: Rational): PrivacyLoss {
  return { kind: 'approx', epsilon, delta };
}

/** ρ-zCDP loss. */
export function zcdpLoss(rho: Rational): PrivacyLoss {
  return { kind: 'zcdp', rho };
}

/** Privacy of the discrete Laplace mechanism: ε = Δ / b for L1 sensitivity Δ and scale b. */
export function laplaceEpsilon(sensitivity: Rational, scale: Rational): Rational {
  return sensitivity.div(scale);
}

/** Scale b = Δ / ε that makes the discrete Laplace mechanism ε-DP. */
export function laplaceScaleFor(sensitivity: Rational, epsilon: Rational): Rational {
  return sensitivity.div(epsilon);
}

/** Privacy of the discrete Gaussian (CKS 2020, Thm 4): ρ = Δ² / (2σ²) for L2 sensitivity Δ. */
export function gaussianRho(sensitivity: Rational, sigma2: Rational): Rational {
  return sensitivity.mul(sensitivity).div(sigma2.mul(2n));
}

/** Variance σ² = Δ² / (2ρ) that makes the discrete Gaussian mechanism ρ-zCDP. */
export function gaussianSigma2For(sensitivity: Rational, rho: Rational): Rational {
  return sensitivity.mul(sensitivity).div(rho.mul(2n));
}

/** ε-DP implies (ε²/2)-zCDP (Bun & Steinke 2016, Prop 1.4); exact. */
export function pureToZcdp(epsilon: Rational): Rational {
  return epsilon.mul(epsilon).div(2n);
}

function checkDelta(delta: Rational): void {
  if (!delta.isPositive() || delta.gte(ONE)) {
    throw new DpError(
      'accounting.bad-delta',
      `δ must be strictly between 0 and 1, got ${delta.toDisplayString()}`,
      'use a small δ such as 1e-6 (well below 1/number of privacy units)',
    );
  }
}

/** Upper bound (rounded up to 10^-12) on ε = ρ + 2√(ρ·ln(1/δ)) (Bun & Steinke 2016, Prop 1.3). */
export function zcdpToEpsilonSimple(rho: Rational, delta: Rational): Rational {
  checkDelta(delta);
  if (rho.isZero()) return ZERO;
  const lnInv = lnBounds(ONE.div(delta)).upper;
  const root = sqrtBounds(rho.mul(lnInv)).upper;
  return ceilTo(rho.add(root.mul(2n)), COST_GRID);
}

/** Upper bound on ε(α) = αρ + (ln(1/δ) + (α−1)·ln(1−1/α) − ln α)/(α−1) at a rational α > 1. */
export function zcdpEpsilonAtAlpha(rho: Rational, delta: Rational, alpha: Rational): Rational {
  const am1 = alpha.sub(ONE);
  const lnInvDelta = lnBounds(ONE.div(delta)).upper;
  const lnOneMinus = lnBounds(ONE.sub(ONE.div(alpha))).upper;
  const lnAlpha = lnBounds(alpha).lower;
  return alpha.mul(rho).add(lnInvDelta.add(am1.mul(lnOneMinus)).sub(lnAlpha).div(am1));
}

/** The α minimizing the CKS bound, found in floats (any α > 1 is valid; this only tightens). */
function bestAlpha(rho: number, logInvDelta: number): number {
  const f = (a: number) =>
    a * rho + (logInvDelta + (a - 1) * Math.log1p(-1 / a) - Math.log(a)) / (a - 1);
  // Golden-section search over log(α − 1) ∈ [−20, 40]: ε(α) is unimodal there.
  let lo = -20;
  let hi = 40;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 200; i++) {
    const m1 = hi - g * (hi - lo);
    const m2 = lo + g * (hi - lo);
    if (f(1 + Math.exp(m1)) < f(1 + Math.exp(m2))) hi = m2;
    else lo = m1;
  }
  return 1 + Math.exp((lo + hi) / 2);
}

/**
 * Upper bound (rounded up to 10^-12) on the ε such that ρ-zCDP implies (ε, δ)-DP, using the
 * tighter conversion of Canonne, Kamath & Steinke 2020 (Cor. 13), never worse than the simple one.
 */
export function zcdpToEpsilon(rho: Rational, delta: Rational): Rational {
  checkDelta(delta);
  if (rho.isZero()) return ZERO;
  const simple = zcdpToEpsilonSimple(rho, delta);
  const alphaFloat = bestAlpha(rho.toNumber(), -Math.log(delta.toNumber()));
  if (!Number.isFinite(alphaFloat) || alphaFloat <= 1) return simple;
  // A short rational α near the optimum (on a 2^-30 grid, kept > 1).
  const alpha = Rational.of(BigInt(Math.round(alphaFloat * 2 ** 30)), 1n << 30n).max(
    Rational.of((1n << 30n) + 1n, 1n << 30n),
  );
  const tight = ceilTo(zcdpEpsilonAtAlpha(rho, delta, alpha), COST_GRID);
  return tight.min(simple);
}

/** Converts a loss to ρ-zCDP where that is sound (pure ε → ε²/2); (ε, δ) cannot be converted. */
export function toZcdp(loss: PrivacyLoss): Rational {
  if (loss.kind === 'zcdp') return loss.rho;
  if (loss.kind === 'pure') return pureToZcdp(loss.epsilon);
  throw new DpError(
    'accounting.incompatible',
    'An (ε, δ) cost cannot be charged to a ρ-zCDP budget',
    'use a zCDP mechanism (discrete Gaussian) or a pure-DP one (discrete Laplace), or an (ε, δ) budget',
  );
}

/** Converts a loss to (ε, δ) where sound: pure ε → (ε, 0); ρ → (ε(ρ, δ), δ) for a given δ. */
export function toApprox(
  loss: PrivacyLoss,
  deltaForZcdp?: Rational,
): { epsilon: Rational; delta: Rational } {
  if (loss.kind === 'approx') return { epsilon: loss.epsilon, delta: loss.delta };
  if (loss.kind === 'pure') return { epsilon: loss.epsilon, delta: ZERO };
  if (deltaForZcdp === undefined) {
    throw new DpError(
      'accounting.needs-delta',
      'A ρ-zCDP cost needs a δ to be charged to an (ε, δ) budget',
      'state the δ to spend on this query (e.g. 1e-7), or use a ρ-zCDP budget',
    );
  }
  return { epsilon: zcdpToEpsilon(loss.rho, deltaForZcdp), delta: deltaForZcdp };
}

/** Sequential composition of two losses in the same measure: the parameters add. */
export function compose(a: PrivacyLoss, b: PrivacyLoss): PrivacyLoss {
  if (a.kind === 'pure' && b.kind === 'pure') return pureLoss(a.epsilon.add(b.epsilon));
  if (a.kind === 'zcdp' && b.kind === 'zcdp') return zcdpLoss(a.rho.add(b.rho));
  if (a.kind === 'approx' && b.kind === 'approx') {
    return approxLoss(a.epsilon.add(b.epsilon), a.delta.add(b.delta));
  }
  throw new DpError(
    'accounting.mixed-measures',
    `Cannot compose a ${a.kind} loss with a ${b.kind} loss directly`,
    'convert both to one measure first (toZcdp or toApprox)',
  );
}

/** Human text for a loss: "ε=0.5", "ρ=0.125", "ε=1, δ=1e-6". */
export function formatLoss(loss: PrivacyLoss): string {
  if (loss.kind === 'pure') return `ε=${formatAmount(loss.epsilon)}`;
  if (loss.kind === 'zcdp') return `ρ=${formatAmount(loss.rho)}`;
  return `ε=${formatAmount(loss.epsilon)}, δ=${formatAmount(loss.delta)}`;
}

/**
 * Short exact-when-possible text for a privacy amount: whole numbers keep one decimal ("3.0"),
 * tiny exact powers of ten go scientific ("2e-6"), others show up to 6 decimals or "≈".
 */
export function formatAmount(x: Rational): string {
  if (x.isInteger()) return `${x.num}.0`;
  if (x.abs().lt(Rational.of(1, 1000))) {
    for (let k = 4; k <= 30; k++) {
      const m = x.mul(10n ** BigInt(k));
      if (m.isInteger() && m.abs().lt(1000n)) return `${m.num}e-${k}`;
    }
    return `≈${x.toNumber().toExponential(3)}`;
  }
  return x.toDisplayString();
}
