// Why: budgets are compared exactly (BigInt rationals from core/src/dp/rational.ts). Values that
// arrive as doubles are read through their shortest decimal form (0.1 → 1/10), so 0.1 + 0.2
// charges sum to exactly 3/10. A privacy cost must be a positive normal number: 0, −0, NaN, ±∞,
// negatives and subnormals are refused, also when written as text.
import type { Budget, Policy } from '@privet/core';
import { DpError } from '@privet/core/dp/errors';
import { Rational, ZERO, assertPositiveBudget, parseRational } from '@privet/core/dp/rational';
import { ServiceError } from '../audit/service-error.js';

/** A cost or budget amount as callers may write it. */
export type AmountInput = string | number | bigint | Rational;

/** An exact amount plus forms for display. */
export interface Amount {
  /** Exact rational text, e.g. "1/3" (what is stored). */
  exact: string;
  /** Short human text, e.g. "0.5" or "≈0.333333". */
  text: string;
  /** Nearest double, for charts and display only. */
  value: number;
}

const MIN_NORMAL = parseRational('2.2250738585072014e-308');

function refuse(e: unknown, what: string): never {
  const fix = `set ${what} to a positive finite number such as 0.5 or 1e-6`;
  const msg = e instanceof DpError ? e.message.split('. Fix:')[0] : `${what} is not a number`;
  throw new ServiceError('bad_request', 'budget.bad-cost', msg ?? `${what} is invalid`, fix);
}

/** Reads a positive privacy cost (ε or ρ); throws a bad_request ServiceError naming `what`. */
export function positiveCost(value: unknown, what: string): Rational {
  let r: Rational;
  try {
    r = assertPositiveBudget(value, what);
  } catch (e) {
    refuse(e, what);
  }
  if (r.lt(MIN_NORMAL)) {
    refuse(
      new DpError('budget.subnormal', `${what} is below 2.2e-308, too small to be meaningful`, ''),
      what,
    );
  }
  return r;
}

/** Reads an optional δ: omitted or 0 means pure DP; otherwise a positive cost below 1. */
export function optionalDelta(value: unknown, what: string): Rational {
  if (value === undefined || value === 0 || value === '0') return ZERO;
  const r = positiveCost(value, what);
  if (r.gte(1)) {
    throw new ServiceError(
      'bad_request',
      'budget.bad-cost',
      `${what} must be below 1`,
      `set ${what} to a small probability such as 1e-9`,
    );
  }
  return r;
}

/** Parses a stored exact amount. */
export function stored(text: string): Rational {
  return parseRational(text);
}

/** An exact amount with its display forms. */
export function amount(r: Rational): Amount {
  return { exact: r.toString(), text: r.toDisplayString(), value: r.toNumber() };
}

/**
 * The policy budget of a source, or a forbidden ServiceError when the policy declares none — or
 * several: policy loading refuses that, and a policy built otherwise must not have its first
 * entry enforced while the others are listed as caps.
 */
export function budgetOf(policy: Policy, source: string): Budget {
  const all = policy.budgets.filter((x) => x.source === source);
  if (all.length > 1) {
    throw new ServiceError(
      'forbidden',
      'budget.ambiguous',
      `dataset "${source}" has ${all.length} budgets in the policy and only one can be enforced, so no DP query may spend on it`,
      `ask a steward to keep one budgets entry for "${source}" (\`privet policy check\` shows where)`,
    );
  }
  const [b] = all;
  if (!b) {
    throw new ServiceError(
      'forbidden',
      'budget.none',
      `dataset "${source}" has no privacy budget in the policy, so no DP query may spend on it`,
      `ask a steward to add a budgets entry for "${source}"`,
    );
  }
  return b;
}

/** Total ε and δ of a policy budget, exactly. */
export function budgetTotals(b: Pick<Budget, 'epsilon' | 'delta'>): {
  epsilon: Rational;
  delta: Rational;
} {
  return {
    epsilon: parseRational(b.epsilon),
    delta: b.delta === undefined ? ZERO : parseRational(b.delta),
  };
}

/** What the policy lets one query charge a budget, exactly (a missing limit is no limit). */
export function perQueryLimits(b: Pick<Budget, 'max_query_epsilon' | 'max_query_delta'>): {
  epsilon?: Rational;
  delta?: Rational;
} {
  return {
    ...(b.max_query_epsilon !== undefined ? { epsilon: parseRational(b.max_query_epsilon) } : {}),
    ...(b.max_query_delta !== undefined ? { delta: parseRational(b.max_query_delta) } : {}),
  };
}

/** What a query charges above a per-query limit: the first of ε, δ over it, or undefined. */
export function aboveLimit(
  limits: { epsilon?: Rational; delta?: Rational },
  cost: { epsilon: Rational; delta: Rational },
): { symbol: 'ε' | 'δ'; need: Rational; limit: Rational } | undefined {
  if (limits.epsilon && cost.epsilon.gt(limits.epsilon))
    return { symbol: 'ε', need: cost.epsilon, limit: limits.epsilon };
  if (limits.delta && cost.delta.gt(limits.delta))
    return { symbol: 'δ', need: cost.delta, limit: limits.delta };
  return undefined;
}

/**
 * What a query charges above what a budget has left: the first of ε, δ over it, or undefined. The
 * one test of the ledger's reservation and the dry run's "affordable".
 */
export function aboveLeft(
  left: { epsilon: Rational; delta: Rational },
  cost: { epsilon: Rational; delta: Rational },
): { symbol: 'ε' | 'δ'; need: Rational; left: Rational } | undefined {
  if (cost.epsilon.gt(left.epsilon)) return { symbol: 'ε', need: cost.epsilon, left: left.epsilon };
  if (cost.delta.gt(left.delta)) return { symbol: 'δ', need: cost.delta, left: left.delta };
  return undefined;
}
