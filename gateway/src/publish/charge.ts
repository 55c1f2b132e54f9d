// Why: publishing a synthetic view releases a DP artefact of the raw source, so it spends budget —
// but no experiment owns it: the view outlives experiments and every analyst may read it. It
// therefore charges a steward-owned *publication budget* per source (`publication_budgets` in the
// policy), kept in the same ledger tables as experiment budgets under the reserved key
// `@publication` (never a valid experiment id), so `checkLedgerConsistency` and the audit log cover
// it. Reserve before synthesis (an overspend is refused before any work or file), commit after the
// view is staged and before it is renamed into place, refund on any failure in between — except a
// failure of the synthesis itself once it began drawing noise, which is charged (chargeFailed).
import type { Policy } from '@privet/core';
import { parseRational, ZERO, type Rational } from '@privet/core/dp/rational';
import type { AuditLog } from '../audit/log.js';
import { ensureTables, immediate, type Db } from '../audit/sqlite.js';
import { ensureLedgerSchema, LEDGER_TABLE_NAMES } from '../ledger/schema.js';
import { newOwner } from '../ledger/owners.js';
import { Totals, type BudgetKey } from '../ledger/totals.js';
import { PublishError } from './errors.js';
import { randomHex } from '@privet/core/hex';

/** Ledger key of publication budgets (not a valid experiment id, so it never collides). */
export const PUBLICATION_KEY = '@publication';

/** A reservation lives this long (synthesis of large views takes minutes, not hours). */
const TTL_MS = 6 * 3_600_000;

/** What one synthetic view asks to spend. */
export interface PublicationCharge {
  view: string;
  source: string;
  epsilon: number;
  delta: number;
  /** Exact ρ the run may spend (recorded for accountants). */
  rho: string;
  /** Who publishes (a steward, or `cli`). */
  actor: string;
  /** Hash binding the charge to the view declaration and source version. */
  planHash: string;
}

/** Total, spent and reserved ε/δ of one source's publication budget. */
export interface PublicationBudgetState {
  source: string;
  epsilon: { total: Rational; spent: Rational; reserved: Rational };
  delta: { total: Rational; spent: Rational; reserved: Rational };
}

/**
 * The plan hash binding a synthetic view's charge (and its recorded release) to its inputs: the
 * synthesis inputs hash and the keyed source version. A plan compares it to releases already paid.
 */
export function publicationPlanHash(inputsHash: string, version: string): string {
  return `${inputsHash}:${version}`;
}

/** Exact decimal of a policy amount or a double (through its shortest decimal text). */
export function exact(value: number | string): Rational {
  return parseRational(typeof value === 'number' ? String(value) : value);
}

/** Reserves, commits and refunds publication charges on the shared ledger database. */
export class PublicationLedger {
  private readonly totals: Totals;
  private readonly owner = newOwner();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly policy: Policy,
    private readonly clock: () => Date = () => new Date(),
  ) {
    ensureTables(db, LEDGER_TABLE_NAMES, () => ensureLedgerSchema(db));
    this.totals = new Totals(db);
  }

  /** The publication budget of `source`, with what is spent and held. */
  state(source: string, view = source): PublicationBudgetState {
    const b = this.budget(source, view);
    const s = this.totals.get(this.key(source));
    return {
      source,
      epsilon: { total: exact(b.epsilon), spent: s.spentEpsilon, reserved: s.reservedEpsilon },
      delta: {
        total: b.delta === undefined ? ZERO : exact(b.delta),
        spent: s.spentDelta,
        reserved: s.reservedDelta,
      },
    };
  }

  /** Reserves the cost of publishing one view; throws a PublishError when it would overspend. */
  reserve(c: PublicationCharge): string {
    const epsilon = exact(c.epsilon);
    const delta = exact(c.delta);
    // A refusal is returned, not thrown, so its audit entry commits with the transaction.
    const outcome = immediate(this.db, (): string | PublishError => {
      const st = this.state(c.source, c.view);
      const leftE = st.epsilon.total.sub(st.epsilon.spent).sub(st.epsilon.reserved);
      const leftD = st.delta.total.sub(st.delta.spent).sub(st.delta.reserved);
      const short = epsilon.gt(leftE) ? 'ε' : delta.gt(leftD) ? 'δ' : undefined;
      if (short) {
        const need = short === 'ε' ? epsilon : delta;
        const left = short === 'ε' ? leftE : leftD;
        const total = short === 'ε' ? st.epsilon.total : st.delta.total;
        this.audit.append({
          actor: c.actor,
          action: 'publish',
          subject: c.view,
          details: { step: 'refused', source: c.source, reason: `${short} exhausted` },
        });
        // δ amounts are tiny: show them as doubles (1e-7), not as rounded decimals.
        const show = (r: Rational) => (short === 'δ' ? String(r.toNumber()) : r.toDisplayString());
        return new PublishError(
          c.view,
          `publishing needs ${short}=${show(need)} but only ${left.isNegative() ? '0' : show(left)} ` +
            `of the publication budget ${show(total)} for dataset "${c.source}" is left; nothing was written or charged`,
          `lower views.${c.view}.${short === 'ε' ? 'epsilon' : 'delta'} or raise publication_budgets for "${c.source}"`,
        );
      }
      const id = `pub-${randomHex(16)}`;
      const now = this.clock();
      this.db
        .prepare(
          `INSERT INTO ledger_reservations (id, experiment, source, user, scope_user, epsilon, delta, rho,
             query, plan_hash, status, reserved_at, expires_at, owner_host, owner_pid, owner_started, owner_instance)
           VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          PUBLICATION_KEY,
          c.source,
          c.actor,
          epsilon.toString(),
          delta.toString(),
          c.rho,
          `publish synthetic view "${c.view}"`,
          c.planHash,
          now.toISOString(),
          now.getTime() + TTL_MS,
          this.owner.host,
          this.owner.pid,
          this.owner.started,
          this.owner.instance,
        );
      this.totals.change(this.key(c.source), { reservedEpsilon: epsilon, reservedDelta: delta });
      this.audit.append({
        actor: c.actor,
        action: 'publish',
        subject: c.view,
        details: {
          step: 'reserved',
          reservation: id,
          source: c.source,
          epsilon: epsilon.toString(),
          delta: delta.toString(),
        },
      });
      return id;
    });
    if (outcome instanceof PublishError) throw outcome;
    return outcome;
  }

  /** Makes a reservation a durable charge; throws if it was refunded meanwhile (do not publish). */
  commit(id: string, view: string): void {
    this.close(id, view, 'committed', null);
  }

  /**
   * Charges a pending reservation whose synthesis failed after it began drawing noise: the failure
   * itself (e.g. no bucket of a column's bounds cleared the noise) is a DP outcome the publisher
   * saw, so it is paid for, with `reason` recorded. No-op once closed.
   */
  chargeFailed(id: string, view: string, reason: string): void {
    try {
      this.close(id, view, 'committed', reason.slice(0, 500));
    } catch (err) {
      if (!(err instanceof PublishError)) throw err;
    }
  }

  /** Gives a pending reservation back (the view was not published). No-op once closed. */
  refund(id: string, view: string, reason: string): void {
    try {
      this.close(id, view, 'refunded', reason.slice(0, 500));
    } catch (err) {
      if (!(err instanceof PublishError)) throw err;
    }
  }

  private close(
    id: string,
    view: string,
    status: 'committed' | 'refunded',
    reason: string | null,
  ): void {
    immediate(this.db, () => {
      const row = this.db
        .prepare<
          [string],
          { source: string; epsilon: string; delta: string; user: string; status: string }
        >('SELECT source, epsilon, delta, user, status FROM ledger_reservations WHERE id = ?')
        .get(id);
      if (!row || row.status !== 'pending') {
        throw new PublishError(
          view,
          `its publication charge ${id} is ${row?.status ?? 'missing'}, so the view must not be published`,
          'publish again',
        );
      }
      const now = this.clock().toISOString();
      this.db
        .prepare(
          `UPDATE ledger_reservations SET status = ?, closed_at = ?, release_id = ?, refund_reason = ?
           WHERE id = ? AND status = 'pending'`,
        )
        .run(status, now, status === 'committed' ? `rel-${id}` : null, reason, id);
      const e = parseRational(row.epsilon);
      const d = parseRational(row.delta);
      this.totals.change(this.key(row.source), {
        reservedEpsilon: e.neg(),
        reservedDelta: d.neg(),
        ...(status === 'committed' ? { spentEpsilon: e, spentDelta: d } : {}),
      });
      this.audit.append({
        actor: row.user,
        action: 'publish',
        subject: view,
        details: {
          step: status === 'committed' ? 'charged' : 'refunded',
          reservation: id,
          source: row.source,
          ...(reason ? { reason } : {}),
        },
      });
    });
  }

  private key(source: string): BudgetKey {
    return { experiment: PUBLICATION_KEY, source, scopeUser: '' };
  }

  private budget(source: string, view: string) {
    // Policy loading refuses a second entry for a source; a policy built otherwise must not have
    // its first entry enforced while the others are listed.
    const all = (this.policy.publication_budgets ?? []).filter((x) => x.source === source);
    if (all.length > 1) {
      throw new PublishError(
        view,
        `dataset "${source}" has ${all.length} publication budgets and only one can be enforced, so no synthetic view of it may be published`,
        `keep one entry for "${source}" under publication_budgets in the policy (\`privet policy check\` shows where)`,
      );
    }
    const [b] = all;
    if (!b) {
      throw new PublishError(
        view,
        `dataset "${source}" has no publication budget, so no synthetic view of it may be published`,
        `add { source: ${source}, epsilon: …, delta: … } under publication_budgets in the policy`,
      );
    }
    return b;
  }
}
