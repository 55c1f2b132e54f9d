/** Budget state of an experiment for display, and a consistency check of the running totals. */
import type { Policy } from '@privet/core';
import type { Charge } from '@privet/core/record/index';
import { ZERO, type Rational } from '@privet/core/dp/rational';
import type { Db } from '../audit/sqlite.js';
import { loadExperiment } from '../experiments/store.js';
import { amount, budgetTotals, perQueryLimits, stored, type Amount } from './amounts.js';
import { rowToCharge } from './messages.js';
import type { ReservationRow, TotalsRow } from './schema.js';
import { Totals } from './totals.js';
import { declared } from '@privet/core/policy/lookup';

/** ε and δ of one figure (total, spent, reserved or remaining). */
export interface EpsDelta {
  epsilon: Amount;
  delta: Amount;
}

/** One budget of an experiment: per source, and per user when the scope is `experiment_user`. */
export interface BudgetState {
  source: string;
  scope: 'experiment' | 'experiment_user';
  user?: string;
  total: EpsDelta;
  spent: EpsDelta;
  /** Held by pending reservations (queries still running); counts against `remaining`. */
  reserved: EpsDelta;
  remaining: EpsDelta;
  /** The policy's limit on what one query may charge this budget, when it sets one. */
  perQuery?: Partial<EpsDelta>;
}

/** What `state(experiment)` returns. */
export interface LedgerState {
  experiment: string;
  budgets: BudgetState[];
  /** Every reservation of the experiment, oldest first: pending, committed and refunded. */
  charges: Charge[];
}

function pair(epsilon: Rational, delta: Rational): EpsDelta {
  return { epsilon: amount(epsilon), delta: amount(delta) };
}

/** Budgets and charges of an experiment. */
export function ledgerState(db: Db, policy: Policy, experiment: string): LedgerState {
  const exp = loadExperiment(db, experiment);
  const sources = new Set(
    exp
      ? exp.views.map((v) => declared(policy.views, v)?.source).filter((s) => s !== undefined)
      : [],
  );
  const totals = new Totals(db);
  const seen = db
    .prepare<[string], TotalsRow>(
      'SELECT * FROM ledger_totals WHERE experiment = ? ORDER BY source, scope_user',
    )
    .all(experiment);
  const budgets: BudgetState[] = [];
  for (const b of policy.budgets) {
    if (!sources.has(b.source) && !seen.some((r) => r.source === b.source)) continue;
    const total = budgetTotals(b);
    const limits = perQueryLimits(b);
    const perQuery: Partial<EpsDelta> = {
      ...(limits.epsilon ? { epsilon: amount(limits.epsilon) } : {}),
      ...(limits.delta ? { delta: amount(limits.delta) } : {}),
    };
    const users =
      b.scope === 'experiment'
        ? ['']
        : [
            ...new Set([
              ...(exp ? [exp.owner, ...exp.members] : []),
              ...seen.filter((r) => r.source === b.source).map((r) => r.scope_user),
            ]),
          ].filter((u) => u !== '');
    for (const user of users) {
      const s = totals.get({ experiment, source: b.source, scopeUser: user });
      const remE = total.epsilon.sub(s.spentEpsilon).sub(s.reservedEpsilon);
      const remD = total.delta.sub(s.spentDelta).sub(s.reservedDelta);
      budgets.push({
        source: b.source,
        scope: b.scope,
        ...(user ? { user } : {}),
        total: pair(total.epsilon, total.delta),
        spent: pair(s.spentEpsilon, s.spentDelta),
        reserved: pair(s.reservedEpsilon, s.reservedDelta),
        remaining: pair(remE.max(ZERO), remD.max(ZERO)),
        ...(limits.epsilon || limits.delta ? { perQuery } : {}),
      });
    }
  }
  const charges = db
    .prepare<[string], ReservationRow>(
      'SELECT * FROM ledger_reservations WHERE experiment = ? ORDER BY reserved_at, rowid',
    )
    .all(experiment)
    .map(rowToCharge);
  return { experiment, budgets, charges };
}

/**
 * Recomputes every budget's sums from the reservations and compares them with the running totals
 * and the policy caps; returns the problems found (empty when consistent).
 */
export function checkLedgerConsistency(db: Db, policy: Policy): string[] {
  const problems: string[] = [];
  const sums = new Map<string, { se: Rational; re: Rational; sd: Rational; rd: Rational }>();
  for (const r of db.prepare<[], ReservationRow>('SELECT * FROM ledger_reservations').all()) {
    const k = JSON.stringify([r.experiment, r.source, r.scope_user]);
    const s = sums.get(k) ?? { se: ZERO, re: ZERO, sd: ZERO, rd: ZERO };
    if (r.status === 'committed') {
      s.se = s.se.add(stored(r.epsilon));
      s.sd = s.sd.add(stored(r.delta));
    } else if (r.status === 'pending') {
      s.re = s.re.add(stored(r.epsilon));
      s.rd = s.rd.add(stored(r.delta));
    }
    sums.set(k, s);
  }
  const rows = db.prepare<[], TotalsRow>('SELECT * FROM ledger_totals').all();
  for (const t of rows) {
    const k = JSON.stringify([t.experiment, t.source, t.scope_user]);
    const s = sums.get(k) ?? { se: ZERO, re: ZERO, sd: ZERO, rd: ZERO };
    const pairs: [string, Rational, string][] = [
      ['spent ε', s.se, t.spent_epsilon],
      ['reserved ε', s.re, t.reserved_epsilon],
      ['spent δ', s.sd, t.spent_delta],
      ['reserved δ', s.rd, t.reserved_delta],
    ];
    for (const [what, actual, recorded] of pairs) {
      if (!actual.equals(stored(recorded)))
        problems.push(`${k}: ${what} is ${actual} but the total says ${recorded}`);
    }
    // Synthetic-view publication charges live under '@publication' and have their own caps.
    const caps =
      t.experiment === '@publication' ? (policy.publication_budgets ?? []) : policy.budgets;
    const b = caps.find((x) => x.source === t.source);
    if (b) {
      const cap = budgetTotals(b);
      if (s.se.add(s.re).gt(cap.epsilon))
        problems.push(`${k}: ε overspent (${s.se.add(s.re)} > ${cap.epsilon})`);
      if (s.sd.add(s.rd).gt(cap.delta))
        problems.push(`${k}: δ overspent (${s.sd.add(s.rd)} > ${cap.delta})`);
    }
    sums.delete(k);
  }
  for (const k of sums.keys()) problems.push(`${k}: reservations without a totals row`);
  return problems;
}
