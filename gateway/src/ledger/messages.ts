/** Refusal messages with the numbers, row → Charge mapping and input checks for the ledger. */
import type { Charge } from '@privet/core/record/index';
import type { Rational } from '@privet/core/dp/rational';
import {
  DELTA_PER_QUERY_FIX,
  DELTA_SHORT_FIX,
  EPSILON_PER_QUERY_FIX,
  EPSILON_SHORT_FIX,
} from '@privet/core/client/budget-shortfall';
import { ServiceError } from '../audit/service-error.js';
import type { ReservationRow } from './schema.js';
import type { BudgetKey } from './totals.js';

/** "needs ε=0.5, 0.2 left of 3 for experiment X on dataset Y" as a ServiceError. */
export function exhausted(
  symbol: 'ε' | 'δ',
  need: Rational,
  left: Rational,
  total: Rational,
  reserved: Rational,
  key: BudgetKey,
): ServiceError {
  const who = key.scopeUser ? ` for ${key.scopeUser}` : '';
  const held = reserved.isZero()
    ? ''
    : ` (${reserved.toDisplayString()} of it held by queries still running)`;
  const leftText = left.isNegative() ? '0' : left.toDisplayString();
  return new ServiceError(
    'budget_exhausted',
    symbol === 'ε' ? 'budget.exhausted' : 'budget.delta-exhausted',
    `the query needs ${symbol}=${need.toDisplayString()}, ${leftText} left of ${total.toDisplayString()}${who} for experiment "${key.experiment}" on dataset "${key.source}"${held}; this refused query cost nothing`,
    symbol === 'ε' ? EPSILON_SHORT_FIX : DELTA_SHORT_FIX,
  );
}

/** "needs ε=2, above the policy's limit of ε=1 per query on dataset Y" as a ServiceError. */
export function aboveQueryLimit(
  symbol: 'ε' | 'δ',
  need: Rational,
  limit: Rational,
  key: BudgetKey,
): ServiceError {
  return new ServiceError(
    'dp_refused',
    symbol === 'ε' ? 'budget.per-query' : 'budget.delta-per-query',
    `the query needs ${symbol}=${need.toDisplayString()}, above the policy's limit of ${symbol}=${limit.toDisplayString()} per query on dataset "${key.source}"; this refused query cost nothing`,
    symbol === 'ε' ? EPSILON_PER_QUERY_FIX : DELTA_PER_QUERY_FIX,
  );
}

/** Maps a stored reservation to the Charge record hosts see. */
export function rowToCharge(r: ReservationRow): Charge {
  const c: Charge = {
    reservationId: r.id,
    experiment: r.experiment,
    source: r.source,
    user: r.user,
    epsilon: r.epsilon,
    delta: r.delta,
    query: r.query,
    planHash: r.plan_hash,
    status: r.status,
    reservedAt: r.reserved_at,
  };
  if (r.rho !== null) c.rho = r.rho;
  if (r.closed_at !== null) c.closedAt = r.closed_at;
  if (r.release_id !== null) c.releaseId = r.release_id;
  if (r.refund_reason !== null) c.refundReason = r.refund_reason;
  return c;
}

/** Throws a bad_request ServiceError unless `value` is a non-empty string of at most `max` chars. */
export function validText(value: unknown, what: string, max: number): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new ServiceError(
      'bad_request',
      'ledger.bad-input',
      `${what} must be a non-empty text of at most ${max} characters`,
      `pass ${what} as a string`,
    );
  }
}
