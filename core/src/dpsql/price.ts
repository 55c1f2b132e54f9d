/**
 * Pricing a logical plan: split the request's budget over the plan's noisy measurements, derive
 * each noise scale from its sensitivity, and compute expected errors — all without data.
 *
 * Sensitivity (neighbours differ by all rows of one privacy unit): after bounding, a unit has at
 * most R rows in at most G groups (L0 = min(G, R)). A row adds at most m (its per-row bound) to
 * one cell of a part, so the L1 and L2 norms of a part's change over all groups are ≤ R·m; a unit
 * adds 1 to the distinct-unit count of ≤ L0 groups (L1 = L0, L2 = √L0). Each measurement i gets
 * ε_i = ε/k (Laplace scale b = Δ1/ε_i) or ρ_i = ρ/k (σ² = Δ2²/(2ρ_i)); basic composition sums them.
 */
import { laplaceScaleFor } from '../dp/accounting.js';
import { assertPositiveBudget, Rational } from '../dp/rational.js';
import { DpError } from '../dp/errors.js';
import {
  gaussianHalfWidth,
  laplaceHalfWidth,
  laplaceCoverage,
  gaussianCoverage,
} from './accuracy.js';
import {
  encodeAggregate,
  perRowBound,
  PARTS,
  type AggregateEncoding,
  type MeasurementPart,
} from './encode.js';
import { refuse } from './errors.js';
import type { DpLogicalPlan } from './plan.js';
import { selectionFor, type SelectionPlan } from './selection.js';
import type { DpCost } from './types.js';

/** One noisy measurement: which aggregate part, its sensitivity, share of budget and noise. */
export interface PlannedMeasurement {
  aggregate: number;
  part: MeasurementPart;
  /** L1 (Laplace) or L2² (Gaussian) sensitivity in integer units. */
  sensitivity: Rational;
  /** ε_i or ρ_i. */
  share: Rational;
  /** Laplace scale b, or Gaussian σ², in integer units. */
  scale: Rational;
  /** Error level of this measurement's interval (alpha split over an aggregate's parts). */
  alpha: number;
  /** Half-width in integer units and its exact coverage. */
  halfWidth: number;
  coverage: number;
}

/** Budget fields of a request. */
export interface BudgetRequest {
  epsilon?: string | number;
  delta?: string | number;
  rho?: string | number;
  accuracy?: string | number;
  alpha?: string | number;
}

/** A priced plan: ready to execute, and everything a dry run shows. */
export interface DpPricedPlan {
  logical: DpLogicalPlan;
  mechanism: 'discrete_laplace' | 'discrete_gaussian';
  alpha: number;
  encodings: AggregateEncoding[];
  measurements: PlannedMeasurement[];
  selection?: SelectionPlan;
  cost: DpCost;
}

/** Example values a fix suggests where "0.5 or 1e-6" would itself be refused. */
const EXAMPLES: Record<string, string> = {
  delta: 'set delta to a tiny positive number below 0.01, such as 1e-9',
  alpha: 'set alpha to a positive number below 1, such as 0.05 (95% intervals)',
};

function budget(value: unknown, what: string): Rational {
  try {
    return assertPositiveBudget(value, what);
  } catch (err) {
    if (err instanceof DpError)
      refuse('bad_budget', err.message.split('. Fix:')[0] ?? what, EXAMPLES[what] ?? err.fix);
    throw err;
  }
}

function parseAlpha(value: string | number | undefined): number {
  if (value === undefined) return 0.05;
  const a = budget(value, 'alpha');
  if (!a.lt(1n) || a.lt(Rational.of(1n, 10n ** 9n)))
    refuse(
      'bad_budget',
      'alpha must be between 1e-9 and 1',
      'use e.g. alpha 0.05 for 95% intervals',
    );
  return a.toNumber();
}

/** Smallest ε a pure-DP query may spend: below it the noise drowns any answer. */
export const MIN_QUERY_EPSILON = '1e-6';
/** Smallest ρ a zCDP query may spend (σ over 700,000 × the sensitivity below it). */
export const MIN_QUERY_RHO = '1e-12';

function build(
  plan: DpLogicalPlan,
  mode: 'pure' | 'zcdp',
  total: Rational,
  alpha: number,
  delta?: Rational,
): DpPricedPlan {
  const floor = mode === 'pure' ? MIN_QUERY_EPSILON : MIN_QUERY_RHO;
  if (total.lt(Rational.from(floor)))
    refuse(
      'bad_budget',
      `${mode === 'pure' ? 'epsilon' : 'rho'} is below ${floor}: the noise would be more than a million times what one person contributes, so nothing useful would be released`,
      mode === 'pure'
        ? 'spend more, e.g. epsilon 0.01, or ask for an accuracy the budget can buy'
        : 'spend more, e.g. rho 0.0001',
    );
  const encodings = plan.aggregates.map(encodeAggregate);
  const rows = BigInt(plan.maxRowsPerUnit);
  // A unit changes each distinct-unit count it is in by one: in at most min(G, R) groups, and in
  // the one count of a query without GROUP BY.
  const l0 =
    plan.keys.length === 0 ? 1n : BigInt(Math.min(plan.maxGroupsPerUnit, plan.maxRowsPerUnit));
  const parts = plan.aggregates.flatMap((a, i) =>
    PARTS[a.kind].map((part) => ({ aggregate: i, part, n: PARTS[a.kind].length })),
  );
  const needsSelection = plan.keys.some((k) => !k.publicKeys);
  const k = BigInt(parts.length + (needsSelection ? 1 : 0));
  const share = total.div(k);
  const measurements = parts.map(({ aggregate, part, n }) => {
    const m = perRowBound(part, encodings[aggregate] as AggregateEncoding);
    const a = alpha / n;
    if (mode === 'pure') {
      const sens = Rational.of(part === 'distinct_units' ? l0 : rows * m);
      const scale = laplaceScaleFor(sens, share);
      const h = laplaceHalfWidth(scale, a);
      return {
        aggregate,
        part,
        sensitivity: sens,
        share,
        scale,
        alpha: a,
        halfWidth: h,
        coverage: laplaceCoverage(scale.toNumber(), h),
      };
    }
    const sens2 = Rational.of(part === 'distinct_units' ? l0 : rows * m * rows * m);
    const scale = sens2.div(share.mul(2n));
    const h = gaussianHalfWidth(scale, a);
    return {
      aggregate,
      part,
      sensitivity: sens2,
      share,
      scale,
      alpha: a,
      halfWidth: h,
      coverage: gaussianCoverage(scale.toNumber(), h),
    };
  });
  const sources = [...new Set(plan.tables.map((t) => t.source))];
  let selection: SelectionPlan | undefined;
  if (needsSelection) {
    if (mode === 'zcdp')
      refuse(
        'needs_delta',
        'GROUP BY keys without a public key set need (ε, δ) partition selection, which ρ-zCDP queries do not support yet',
        'declare public_keys for the column in the policy, or give epsilon and delta instead of rho',
      );
    if (!delta)
      refuse(
        'needs_delta',
        'GROUP BY on a column without declared public keys needs δ for DP partition selection',
        'pass delta (e.g. 1e-6), or ask the steward to declare public_keys for the column',
      );
    try {
      selection = selectionFor(share, l0, delta);
    } catch (err) {
      if (err instanceof DpError)
        refuse('bad_budget', err.message.split('. Fix:')[0] ?? 'partition selection', err.fix);
      throw err;
    }
  }
  const cost: DpCost =
    mode === 'zcdp'
      ? { measure: 'zcdp', rho: decimalText(total), sources }
      : selection
        ? {
            measure: 'approx',
            epsilon: decimalText(total),
            delta: decimalText(delta as Rational),
            sources,
          }
        : { measure: 'pure', epsilon: decimalText(total), sources };
  return {
    logical: plan,
    mechanism: mode === 'pure' ? 'discrete_laplace' : 'discrete_gaussian',
    alpha,
    encodings,
    measurements,
    ...(selection ? { selection } : {}),
    cost,
  };
}

/** Exact decimal text of a rational when it has one (≤ 30 digits), else rounded up to 12 digits. */
export function decimalText(r: Rational): string {
  for (let d = 0; d <= 30; d++) {
    if (r.mul(10n ** BigInt(d)).isInteger()) return r.toDecimalString(d);
  }
  return r.toDecimalString(12, 'up');
}

const COUNT_LIKE = new Set(['count', 'count_column', 'count_distinct_unit', 'sum']);

/** Smallest ε (2 significant digits, rounded up) giving every count/sum a half-width ≤ target. */
function solveEpsilon(
  plan: DpLogicalPlan,
  target: Rational,
  alpha: number,
  delta?: Rational,
): Rational {
  if (!plan.aggregates.some((a) => COUNT_LIKE.has(a.kind))) {
    refuse(
      'bad_budget',
      'An accuracy target applies to COUNT and SUM aggregates, and this query has none',
      'give epsilon (or rho) instead of accuracy',
    );
  }
  const ok = (eps: Rational) => {
    const priced = build(plan, 'pure', eps, alpha, delta);
    return priced.measurements.every((m) => {
      const a = plan.aggregates[m.aggregate];
      if (!a || !COUNT_LIKE.has(a.kind)) return true;
      const f = priced.encodings[m.aggregate]?.fixedPoint ?? 1n;
      return Rational.of(BigInt(m.halfWidth), f).lte(target);
    });
  };
  let lo = -6;
  let hi = 3;
  if (!ok(Rational.of(1000n)))
    refuse(
      'bad_budget',
      `No ε up to 1000 reaches ±${target.toDisplayString()}`,
      'ask for a looser accuracy',
    );
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (ok(roundUp2(Math.pow(10, mid)))) hi = mid;
    else lo = mid;
  }
  return roundUp2(Math.pow(10, hi));
}

function roundUp2(x: number): Rational {
  const exp = Math.floor(Math.log10(x)) - 1;
  const digits = Math.ceil(x / Math.pow(10, exp) - 1e-9);
  return exp >= 0
    ? Rational.of(BigInt(digits) * 10n ** BigInt(exp))
    : Rational.of(BigInt(digits), 10n ** BigInt(-exp));
}

/** Smallest δ the budget ledger records (the smallest normal double). */
export const MIN_LEDGER_DELTA = '2.2250738585072014e-308';

/** Prices a plan for a request: ε (+δ), ρ, or a target accuracy solved to ε. */
export function priceDpPlan(plan: DpLogicalPlan, req: BudgetRequest): DpPricedPlan {
  const alpha = parseAlpha(req.alpha);
  const given = [req.epsilon, req.rho, req.accuracy].filter((v) => v !== undefined).length;
  if (given !== 1)
    refuse(
      'bad_budget',
      'Give exactly one of epsilon, rho or accuracy',
      'e.g. epsilon 0.5, or accuracy 10 for ±10 at 95%',
    );
  const delta = req.delta === undefined ? undefined : budget(req.delta, 'delta');
  if (delta && !delta.lt(Rational.of(1n, 100n)))
    refuse('bad_budget', 'delta must be below 0.01', 'use a tiny delta such as 1e-6');
  // The ledger refuses what no double can hold; a dry run must refuse it too, not call it affordable.
  if (delta && delta.lt(Rational.from(MIN_LEDGER_DELTA)))
    refuse(
      'bad_budget',
      'delta is below 2.2e-308, too small for the budget ledger',
      'use a tiny delta such as 1e-9',
    );
  if (req.rho !== undefined) return build(plan, 'zcdp', budget(req.rho, 'rho'), alpha, delta);
  if (req.epsilon !== undefined)
    return build(plan, 'pure', budget(req.epsilon, 'epsilon'), alpha, delta);
  const target = budget(req.accuracy, 'accuracy');
  return build(plan, 'pure', solveEpsilon(plan, target, alpha, delta), alpha, delta);
}
