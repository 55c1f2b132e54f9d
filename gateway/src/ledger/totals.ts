/** Running per-budget sums (spent and reserved ε and δ), read and updated inside ledger transactions. */
import { Rational, ZERO } from '@privet/core/dp/rational';
import type { Db } from '../audit/sqlite.js';
import { stored } from './amounts.js';
import type { TotalsRow } from './schema.js';

/** Exact sums of one budget. */
export interface Sums {
  spentEpsilon: Rational;
  reservedEpsilon: Rational;
  spentDelta: Rational;
  reservedDelta: Rational;
}

/** Identifies one budget: experiment × source (× user for `experiment_user` scope, else ""). */
export interface BudgetKey {
  experiment: string;
  source: string;
  scopeUser: string;
}

/** Reads and writes ledger_totals through prepared statements. */
export class Totals {
  private readonly getStmt;
  private readonly putStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string, string, string], TotalsRow>(
      'SELECT * FROM ledger_totals WHERE experiment = ? AND source = ? AND scope_user = ?',
    );
    this.putStmt = db.prepare(
      `INSERT INTO ledger_totals VALUES (@experiment, @source, @scopeUser, @se, @re, @sd, @rd)
       ON CONFLICT (experiment, source, scope_user) DO UPDATE SET spent_epsilon = excluded.spent_epsilon,
       reserved_epsilon = excluded.reserved_epsilon, spent_delta = excluded.spent_delta,
       reserved_delta = excluded.reserved_delta`,
    );
  }

  /** Current sums (all zero for a budget never used). */
  get(k: BudgetKey): Sums {
    const row = this.getStmt.get(k.experiment, k.source, k.scopeUser);
    if (!row)
      return { spentEpsilon: ZERO, reservedEpsilon: ZERO, spentDelta: ZERO, reservedDelta: ZERO };
    return {
      spentEpsilon: stored(row.spent_epsilon),
      reservedEpsilon: stored(row.reserved_epsilon),
      spentDelta: stored(row.spent_delta),
      reservedDelta: stored(row.reserved_delta),
    };
  }

  /** Adds signed changes to the sums (must run inside the caller's transaction). */
  change(k: BudgetKey, d: Partial<Sums>): void {
    const s = this.get(k);
    this.putStmt.run({
      ...k,
      se: s.spentEpsilon.add(d.spentEpsilon ?? ZERO).toString(),
      re: s.reservedEpsilon.add(d.reservedEpsilon ?? ZERO).toString(),
      sd: s.spentDelta.add(d.spentDelta ?? ZERO).toString(),
      rd: s.reservedDelta.add(d.reservedDelta ?? ZERO).toString(),
    });
  }
}
