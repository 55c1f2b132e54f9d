// Why: one object owns a budget (OpenDP's Context / Tumult's Session). It converts each charge to
// the budget's measure, refuses any charge that would overspend — leaving the budget untouched, so
// a rejected query costs nothing — and says exactly what was needed and what is left. Reservations
// (reserve → commit or refund) let a caller hold budget while a query runs; the gateway's durable
// ledger mirrors the same arithmetic.
import { formatAmount, formatLoss, toApprox, toZcdp, type PrivacyLoss } from './accounting.js';
import { DpError } from './errors.js';
import { ONE, ZERO, type Rational } from './rational.js';

/** Thrown when a charge would exceed the budget; carries the numbers (never any data). */
export class BudgetExceededError extends DpError {
  /** The charge that was refused, in the budget's measure. */
  readonly needed: PrivacyLoss;
  /** What was left before the charge. */
  readonly remaining: PrivacyLoss;
  /** The whole budget. */
  readonly total: PrivacyLoss;

  constructor(needed: PrivacyLoss, remaining: PrivacyLoss, total: PrivacyLoss, what: string) {
    super(
      'budget.exceeded',
      `${what} needs ${formatLoss(needed)}, but only ${formatAmounts(remaining)} is left of ${formatAmounts(total)}; nothing was charged`,
      'lower the cost of the query (fewer aggregates, a smaller ε/ρ with wider intervals), or ask the data owner for more budget',
    );
    this.needed = needed;
    this.remaining = remaining;
    this.total = total;
  }
}

/** Single-measure budgets read best as bare numbers ("0.2 left of 3.0"); (ε, δ) keeps labels. */
function formatAmounts(loss: PrivacyLoss): string {
  if (loss.kind === 'pure') return formatAmount(loss.epsilon);
  if (loss.kind === 'zcdp') return formatAmount(loss.rho);
  return formatLoss(loss);
}

function parts(loss: PrivacyLoss): Rational[] {
  if (loss.kind === 'pure') return [loss.epsilon];
  if (loss.kind === 'zcdp') return [loss.rho];
  return [loss.epsilon, loss.delta];
}

function withParts(kind: PrivacyLoss['kind'], p: Rational[]): PrivacyLoss {
  const [a = ZERO, b = ZERO] = p;
  if (kind === 'pure') return { kind, epsilon: a };
  if (kind === 'zcdp') return { kind, rho: a };
  return { kind, epsilon: a, delta: b };
}

/** Options for one charge. */
export interface ChargeOptions {
  /** δ to spend when converting a ρ-zCDP cost to an (ε, δ) budget. */
  deltaForZcdp?: Rational;
  /** Names the charge in errors, e.g. "query q1 (3 counts)". */
  what?: string;
}

/** A held charge: counted as spent until refunded; commit makes it final. */
export interface Reservation {
  /** The charge, in the budget's measure. */
  readonly cost: PrivacyLoss;
  /** Makes the charge final (idempotent). */
  commit(): void;
  /** Returns the charge to the budget; refused after commit. */
  refund(): void;
}

/** Owns a privacy budget: converts, checks and records charges with exact arithmetic. */
export class Odometer {
  /** The whole budget. */
  readonly total: PrivacyLoss;
  private spentParts: Rational[];

  constructor(total: PrivacyLoss) {
    const p = parts(total);
    const main = p[0] ?? ZERO;
    if (
      !main.isPositive() ||
      (total.kind === 'approx' && (total.delta.isNegative() || total.delta.gte(ONE)))
    ) {
      throw new DpError(
        'budget.invalid',
        `A privacy budget must have a positive ${total.kind === 'zcdp' ? 'ρ' : 'ε'}${
          total.kind === 'approx' ? ' and 0 ≤ δ < 1' : ''
        }, got ${formatLoss(total)}`,
        'fix the budget in the policy file',
      );
    }
    this.total = total;
    this.spentParts = p.map(() => ZERO);
  }

  /** What has been spent (including held reservations). */
  spent(): PrivacyLoss {
    return withParts(this.total.kind, this.spentParts);
  }

  /** What is left. */
  remaining(): PrivacyLoss {
    return withParts(
      this.total.kind,
      parts(this.total).map((t, i) => t.sub(this.spentParts[i] ?? ZERO)),
    );
  }

  /** Converts a cost to the budget's measure (throws if that is unsound, e.g. (ε, δ) to pure). */
  convert(cost: PrivacyLoss, options: ChargeOptions = {}): PrivacyLoss {
    for (const p of parts(cost)) {
      if (p.isNegative()) {
        throw new DpError(
          'budget.negative-charge',
          `${options.what ?? 'A charge'} has a negative cost`,
          'costs are never negative; use refund() to release a reservation',
        );
      }
    }
    if (parts(cost)[0]?.isZero()) {
      throw new DpError(
        'budget.zero-charge',
        `${options.what ?? 'A charge'} costs nothing (ε or ρ is 0), which no noisy release can`,
        'derive the cost from the mechanism’s privacy map',
      );
    }
    if (this.total.kind === 'pure') {
      if (cost.kind !== 'pure') {
        throw new DpError(
          'accounting.incompatible',
          `A ${cost.kind === 'zcdp' ? 'ρ-zCDP' : '(ε, δ)'} cost cannot be charged to a pure ε budget`,
          'use the discrete Laplace mechanism for this budget',
        );
      }
      return cost;
    }
    if (this.total.kind === 'zcdp') return { kind: 'zcdp', rho: toZcdp(cost) };
    const a = toApprox(cost, options.deltaForZcdp);
    return { kind: 'approx', epsilon: a.epsilon, delta: a.delta };
  }

  /** Would this cost fit? Returns the converted cost, or the error `charge` would throw. */
  check(
    cost: PrivacyLoss,
    options: ChargeOptions = {},
  ): { ok: true; cost: PrivacyLoss } | { ok: false; error: DpError } {
    let converted: PrivacyLoss;
    try {
      converted = this.convert(cost, options);
    } catch (e) {
      if (e instanceof DpError) return { ok: false, error: e };
      throw e;
    }
    const need = parts(converted);
    const left = parts(this.remaining());
    if (need.some((n, i) => n.gt(left[i] ?? ZERO))) {
      const error = new BudgetExceededError(
        converted,
        this.remaining(),
        this.total,
        options.what ?? 'This query',
      );
      return { ok: false, error };
    }
    return { ok: true, cost: converted };
  }

  /** Spends the cost now, or throws (BudgetExceededError / DpError) and spends nothing. */
  charge(cost: PrivacyLoss, options: ChargeOptions = {}): PrivacyLoss {
    return this.reserveChecked(cost, options);
  }

  /** Holds the cost (counted as spent) until commit or refund; throws and holds nothing if it does not fit. */
  reserve(cost: PrivacyLoss, options: ChargeOptions = {}): Reservation {
    const held = this.reserveChecked(cost, options);
    let state: 'held' | 'committed' | 'refunded' = 'held';
    return {
      cost: held,
      commit: () => {
        if (state === 'refunded') {
          throw new DpError(
            'budget.reservation-closed',
            'This reservation was already refunded',
            'reserve again before releasing',
          );
        }
        state = 'committed';
      },
      refund: () => {
        if (state === 'committed') {
          throw new DpError(
            'budget.reservation-closed',
            'A committed charge cannot be refunded: its release may have been seen',
            'refund only failed queries',
          );
        }
        if (state === 'refunded') return;
        state = 'refunded';
        this.spentParts = this.spentParts.map((s, i) => s.sub(parts(held)[i] ?? ZERO));
      },
    };
  }

  private reserveChecked(cost: PrivacyLoss, options: ChargeOptions): PrivacyLoss {
    const c = this.check(cost, options);
    if (!c.ok) throw c.error;
    this.spentParts = this.spentParts.map((s, i) => s.add(parts(c.cost)[i] ?? ZERO));
    return c.cost;
  }
}
