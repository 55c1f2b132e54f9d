// Why: the whole synthesis (domain discovery, 1-way, selection, 2-way) is accounted in ρ-zCDP,
// which composes by exact addition, so every share is an exact BigInt rational and the ledger
// refuses any charge that would exceed the total. Only the one-off (ε, δ) → ρ conversion needs
// logs; it is solved in floating point with the Canonne–Kamath–Steinke bound
//   δ(α) = exp((α−1)(αρ−ε)) · (1−1/α)^α / (α−1),  any α > 1,
// then shaded down by a relative 1e-6 margin (far above float error) and re-verified, so the
// rational ρ we spend always satisfies the declared (ε, δ).
import { parseRational, Rational } from '../dp/rational.js';
import { zcdpToEpsilon } from '../dp/accounting.js';
import { SynthError } from './errors.js';

/** δ implied by ρ-zCDP at a given ε (CKS 2020, minimized numerically over α; any α is a valid bound). */
export function zcdpDelta(rho: number, epsilon: number): number {
  if (rho <= 0) return 0;
  // Searched in log space: for a small ρ the bracket reaches α ≈ ε/ρ, where δ(α) itself
  // overflows to Infinity and would steer the search the wrong way.
  const logAt = (alpha: number): number =>
    (alpha - 1) * (alpha * rho - epsilon) + alpha * Math.log1p(-1 / alpha) - Math.log(alpha - 1);
  // The log of δ(α) is convex in α: golden-section search on [1+1e-9, αmax].
  let lo = 1 + 1e-9;
  let hi = Math.max(2, (epsilon + 1) / (2 * rho) + 2);
  for (let i = 0; i < 200; i++) {
    const m1 = lo + (hi - lo) / 3;
    const m2 = hi - (hi - lo) / 3;
    if (logAt(m1) < logAt(m2)) hi = m2;
    else lo = m1;
  }
  return Math.min(1, Math.exp(logAt((lo + hi) / 2)));
}

/** The largest rational ρ (shaded down, verified) such that ρ-zCDP implies (ε, δ)-DP. */
export function rhoForEpsilonDelta(epsilon: number, delta: number): Rational {
  if (!(Number.isFinite(epsilon) && epsilon > 0)) {
    throw new SynthError(
      'budget.bad-epsilon',
      'epsilon must be a positive finite number',
      'pass e.g. --epsilon 1',
    );
  }
  if (!(Number.isFinite(delta) && delta > 0 && delta < 1)) {
    throw new SynthError(
      'budget.bad-delta',
      'delta must be strictly between 0 and 1',
      'pass e.g. --delta 1e-9',
    );
  }
  let lo = 0;
  let hi = epsilon; // ρ ≤ ε always suffices as an upper bracket (δ(ε) is large there)
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (zcdpDelta(mid, epsilon) <= delta) lo = mid;
    else hi = mid;
  }
  // Found in floats, then certified with the ledger's exact conversion (certified ln and √
  // bounds, rounded up): shaded further until the exact bound holds.
  const target = parseRational(epsilon);
  const exactDelta = parseRational(delta);
  const scale = 1e15;
  let rho = Rational.of(0n);
  let certified = false;
  for (const shade of [1e-6, 1e-5, 1e-4, 1e-3]) {
    rho = Rational.of(BigInt(Math.floor(lo * (1 - shade) * scale)), BigInt(scale));
    if (rho.isZero()) break;
    certified = zcdpToEpsilon(rho, exactDelta).lte(target);
    if (certified) break;
  }
  if (!certified || zcdpDelta(rho.toNumber(), epsilon) > delta) {
    throw new SynthError(
      'budget.too-small',
      `epsilon=${epsilon}, delta=${delta} leave no usable zCDP budget`,
      'raise epsilon or delta',
    );
  }
  return rho;
}

/** What a measurement released: a domain, a 1-way/2-way marginal, or a selection. */
export type MeasurementKind = 'domain' | 'one-way' | 'select' | 'marginal';

/** One recorded measurement: its kind, the attributes it touched and its exact zCDP cost. */
export interface Measurement {
  kind: MeasurementKind;
  attrs: string[];
  /** ρ charged (exact). */
  rho: Rational;
  /** Discrete Gaussian variance (exact) for noise measurements; absent for selections. */
  sigma2?: Rational;
  /** Exponential-mechanism ε (exact) for selections. */
  epsilon?: Rational;
  /** Extra δ spent (only DP domain thresholding spends it). */
  delta?: number;
}

/** Owns the synthesis budget: refuses a charge exceeding what is left, records each measurement. */
export class SynthLedger {
  /** Total ρ available. */
  readonly total: Rational;
  private spentRho: Rational = Rational.of(0n);
  private readonly log: Measurement[] = [];

  constructor(total: Rational) {
    if (!total.isPositive()) {
      throw new SynthError(
        'budget.not-positive',
        'The synthesis budget ρ must be positive',
        'raise epsilon',
      );
    }
    this.total = total;
  }

  /** Records `m` after checking ρ spent + m.rho ≤ total; throws budget.overspend otherwise. */
  charge(m: Measurement): void {
    if (m.rho.isNegative() || m.rho.isZero()) {
      throw new SynthError(
        'budget.bad-charge',
        `A ${m.kind} measurement charged a non-positive ρ`,
        'report this bug',
      );
    }
    const next = this.spentRho.add(m.rho);
    if (next.gt(this.total)) {
      throw new SynthError(
        'budget.overspend',
        `The ${m.kind} measurement on [${m.attrs.join(', ')}] needs ρ=${m.rho.toDisplayString(9)} but only ` +
          `${this.remaining().toDisplayString(9)} of ${this.total.toDisplayString(9)} is left`,
        'raise epsilon or measure fewer marginals',
      );
    }
    this.spentRho = next;
    this.log.push({ ...m, attrs: [...m.attrs] });
  }

  /** ρ spent so far (exact). */
  spent(): Rational {
    return this.spentRho;
  }

  /** ρ left (exact). */
  remaining(): Rational {
    return this.total.sub(this.spentRho);
  }

  /** A copy of every recorded measurement, in order. */
  measurements(): Measurement[] {
    return this.log.map((m) => ({ ...m, attrs: [...m.attrs] }));
  }
}

/** The largest rational ε ≤ √(8ρ) on a 1e-12 grid (exponential mechanism: ε²/8-zCDP). */
export function emEpsilonFor(rho: Rational): Rational {
  const approx = Math.sqrt(8 * rho.toNumber()) * (1 - 1e-9);
  let eps = Rational.of(BigInt(Math.floor(approx * 1e12)), 10n ** 12n);
  // Verify exactly; step down if float error overshot.
  while (eps.mul(eps).div(8n).gt(rho)) eps = eps.sub(Rational.of(1n, 10n ** 12n));
  return eps;
}

/** Discrete Gaussian variance σ² = Δ²/(2ρ) (exact) for a count histogram with L2 sensitivity 1. */
export function sigma2For(rho: Rational): Rational {
  return Rational.of(1n).div(rho.mul(2n));
}
