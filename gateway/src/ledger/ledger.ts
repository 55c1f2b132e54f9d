// Why: reserve → execute → commit-or-refund, each step one BEGIN IMMEDIATE transaction on the
// shared SQLite file, so every process and thread sees one serial order of spending and a budget
// can never be overspent. Pending reservations count against the budget. A value may be released
// only after `commit` returned (then the charge is durable); a reservation that is never committed
// (query failed, timed out, process killed) is refunded, which is safe because its value was never
// released. The experiment's access rule is re-checked inside the same transactions, so a
// dissolution that commits first stops every later reserve and commit.
// A reservation is written without fsync (synchronous=NORMAL): losing one in a power cut is harmless
// (it was never committed, so nothing was released), and the durable commit that follows it fsyncs
// the WAL that holds it. This halves the fsyncs per charge; commit and refund stay fully durable.
// `run` commits through a group commit (group-commit.ts): commits of concurrent queries in one
// process share a durable transaction and its fsync, and each value is still returned only after
// its own charge is durable.
import type { Policy } from '@privet/core';
import type { Charge } from '@privet/core/record/index';
import type { Rational } from '@privet/core/dp/rational';
import type { AuditLog } from '../audit/log.js';
import { ServiceError } from '../audit/service-error.js';
import { ensureTables, immediate, type Db } from '../audit/sqlite.js';
import {
  experimentUseRefusal,
  hasRole,
  refusalFiling,
  sourceUseRefusal,
  type Actor,
} from '../experiments/access.js';
import {
  readChecked,
  refuseTampered,
  type CheckedRead,
  type TamperedRow,
} from '../experiments/record-refusal.js';
import { ensureExperimentSchema } from '../experiments/store.js';
import {
  aboveLeft,
  aboveLimit,
  budgetOf,
  budgetTotals,
  optionalDelta,
  perQueryLimits,
  positiveCost,
  stored,
  type AmountInput,
} from './amounts.js';
import { GroupCommit } from './group-commit.js';
import { aboveQueryLimit, exhausted, rowToCharge, validText } from './messages.js';
import { newOwner, ownerGone, type Owner } from './owners.js';
import { ensureLedgerSchema, LEDGER_TABLE_NAMES, type ReservationRow } from './schema.js';
import { ledgerState, type LedgerState } from './state.js';
import { Totals, type BudgetKey } from './totals.js';
import { declared } from '@privet/core/policy/lookup';
import { randomHex } from '@privet/core/hex';

/** What a DP query asks to spend. */
export interface ReserveRequest {
  experiment: string;
  source: string;
  /** The user running the query (must be a member of the experiment). */
  user: string;
  epsilon: AmountInput;
  delta?: AmountInput;
  /** zCDP cost, recorded for accountants; the caps apply to the (ε, δ) the caller derived. */
  rho?: AmountInput;
  query: string;
  planHash: string;
}

/** The validated costs of a request. */
interface Costs {
  epsilon: Rational;
  delta: Rational;
  rho: Rational | undefined;
}

/** What the ledger needs. */
export interface LedgerOptions {
  audit: AuditLog;
  policy: Policy;
  clock?: () => Date;
  /** A reservation not committed within this time is refunded (default 10 minutes). */
  reservationTtlMs?: number;
}

/** The budget ledger: exact, durable, shared by every process using the same database file. */
export class Ledger {
  readonly db: Db;
  readonly policy: Policy;
  private readonly audit: AuditLog;
  private readonly clock: () => Date;
  private readonly ttlMs: number;
  private readonly owner: Owner;
  private readonly totals: Totals;
  private readonly byId;
  private readonly insert;
  private readonly recordDigest;
  private readonly close_;
  private readonly expired;
  private readonly group: GroupCommit;
  private readonly reserveGroup: GroupCommit;

  /** Opens the ledger and refunds reservations left pending by crashed or expired callers. */
  constructor(options: LedgerOptions) {
    this.audit = options.audit;
    this.db = options.audit.db;
    this.policy = options.policy;
    this.clock = options.clock ?? (() => new Date());
    this.ttlMs = options.reservationTtlMs ?? 600_000;
    ensureTables(this.db, ['experiments', ...LEDGER_TABLE_NAMES], () => {
      ensureExperimentSchema(this.db);
      ensureLedgerSchema(this.db);
    });
    this.totals = new Totals(this.db);
    this.recordDigest = this.db.prepare(
      'INSERT OR IGNORE INTO ledger_release_digests (release_id, digest) VALUES (?, ?)',
    );
    this.byId = this.db.prepare<[string], ReservationRow>(
      'SELECT * FROM ledger_reservations WHERE id = ?',
    );
    this.insert = this.db.prepare(
      `INSERT INTO ledger_reservations (id, experiment, source, user, scope_user, epsilon, delta, rho,
         query, plan_hash, status, reserved_at, expires_at, owner_host, owner_pid, owner_started, owner_instance)
       VALUES (@id, @experiment, @source, @user, @scope_user, @epsilon, @delta, @rho, @query,
         @plan_hash, 'pending', @reserved_at, @expires_at, @owner_host, @owner_pid, @owner_started, @owner_instance)`,
    );
    this.close_ = this.db.prepare(
      `UPDATE ledger_reservations SET status = @status, closed_at = @closed_at, release_id = @release_id,
       refund_reason = @refund_reason WHERE id = @id AND status = 'pending'`,
    );
    this.expired = this.db.prepare<[number], ReservationRow>(
      "SELECT * FROM ledger_reservations WHERE status = 'pending' AND expires_at <= ?",
    );
    this.owner = newOwner();
    this.group = new GroupCommit(this.db);
    this.reserveGroup = new GroupCommit(this.db, { durable: false });
    this.recoverPending();
  }

  /**
   * Reserves the cost of a query, or throws (and audits) a refusal that says what was needed and
   * what is left. A refused query costs nothing. Returns the reservation id.
   */
  reserve(req: ReserveRequest): string {
    const costs = this.costsOf(req);
    const outcome = immediate(this.db, () => this.reserveInTransaction(req, costs), {
      durable: false,
    });
    if (outcome instanceof ServiceError) throw outcome;
    return outcome;
  }

  /**
   * `reserve` batched: concurrent reservations of this process share one transaction (without
   * fsync, as `reserve`). Same checks, refusals and audit entries as `reserve`.
   */
  async reserveBatched(req: ReserveRequest): Promise<string> {
    const costs = this.costsOf(req);
    const outcome = await this.reserveGroup.submit(() => this.reserveInTransaction(req, costs));
    if (outcome instanceof ServiceError) throw outcome;
    return outcome;
  }

  /**
   * Audits a refused query (inside the caller's transaction, if any) and returns the error to
   * throw; `read`: the experiment as the caller read it. A row that does not match the audit log
   * is refused as such (to those who may see it; others get `e`, as for an unknown id).
   */
  private refusalOf(req: ReserveRequest, e: ServiceError, read?: CheckedRead): ServiceError {
    const actor = this.actorOf(String(req.user));
    const found = read ?? readChecked(this.db, String(req.experiment));
    const asked = {
      query: String(req.query).slice(0, 10_000),
      planHash: String(req.planHash).slice(0, 200),
    };
    if (found.tampered)
      return this.refuseTampered(actor, found.tampered, e, String(req.source), asked);
    this.audit.append({
      actor: actor.user,
      action: 'query.refused',
      ...refusalFiling(found.experiment, actor, this.policy),
      subject: String(req.source),
      details: { reason: e.reason, requested: String(req.experiment).slice(0, 200), ...asked },
    });
    return e;
  }

  /** The user as an actor with the roles the policy grants them (the ledger's callers checked them). */
  private actorOf(user: string): Actor {
    return { user, roles: [...(declared(this.policy.users, user)?.roles ?? [])] };
  }

  /** Audits the ledger's refusal of a row that does not match the audit log; returns what to throw. */
  private refuseTampered(
    actor: Actor,
    tampered: TamperedRow,
    unknown: ServiceError | undefined,
    subject: string,
    details: { [key: string]: string } = {},
    action: 'query.refused' | 'access.refused' = 'query.refused',
  ): ServiceError {
    return refuseTampered({
      audit: this.audit,
      policy: this.policy,
      action,
      actor,
      service: 'ledger',
      tampered,
      unknown,
      subject,
      details,
    });
  }

  /** Validates the texts and costs of a request; throws an audited refusal when one is invalid. */
  private costsOf(req: ReserveRequest): Costs {
    try {
      validText(req.query, 'query', 100_000);
      validText(req.planHash, 'planHash', 200);
      return {
        epsilon: positiveCost(req.epsilon, `epsilon of the query on "${req.source}"`),
        delta: optionalDelta(req.delta, `delta of the query on "${req.source}"`),
        rho:
          req.rho === undefined
            ? undefined
            : positiveCost(req.rho, `rho of the query on "${req.source}"`),
      };
    } catch (e) {
      if (e instanceof ServiceError) throw this.refusalOf(req, e);
      throw e;
    }
  }

  /** The body of a reservation inside the caller's transaction: its id, or the audited refusal. */
  private reserveInTransaction(req: ReserveRequest, costs: Costs): string | ServiceError {
    const { epsilon, delta, rho } = costs;

    const now = this.clock();
    this.sweepExpired(now);
    // A row that does not match the audit log is decided on as an unknown id (refusalOf tells).
    const read = readChecked(this.db, req.experiment);
    const exp = read.experiment;
    const refusal =
      (hasRole({ user: req.user, roles: ['analyst', 'steward'] }, this.policy, 'analyst', 'steward')
        ? undefined
        : new ServiceError(
            'forbidden',
            'experiment.role',
            `${req.user} may not run DP queries`,
            'sign in as an analyst',
          )) ?? sourceUseRefusal(exp, req.experiment, req.user, req.source, this.policy);
    if (refusal) return this.refusalOf(req, refusal, read);
    let budget;
    try {
      budget = budgetOf(this.policy, req.source);
    } catch (e) {
      if (e instanceof ServiceError) return this.refusalOf(req, e);
      throw e;
    }
    const key: BudgetKey = {
      experiment: req.experiment,
      source: req.source,
      scopeUser: budget.scope === 'experiment_user' ? req.user : '',
    };
    const over = aboveLimit(perQueryLimits(budget), { epsilon, delta });
    if (over) return this.refusalOf(req, aboveQueryLimit(over.symbol, over.need, over.limit, key));
    const total = budgetTotals(budget);
    const sums = this.totals.get(key);
    const left = {
      epsilon: total.epsilon.sub(sums.spentEpsilon).sub(sums.reservedEpsilon),
      delta: total.delta.sub(sums.spentDelta).sub(sums.reservedDelta),
    };
    const short = aboveLeft(left, { epsilon, delta });
    if (short) {
      const isEpsilon = short.symbol === 'ε';
      return this.refusalOf(
        req,
        exhausted(
          short.symbol,
          short.need,
          short.left,
          isEpsilon ? total.epsilon : total.delta,
          isEpsilon ? sums.reservedEpsilon : sums.reservedDelta,
          key,
        ),
      );
    }
    const id = `res-${randomHex(16)}`;
    this.insert.run({
      id,
      experiment: req.experiment,
      source: req.source,
      user: req.user,
      scope_user: key.scopeUser,
      epsilon: epsilon.toString(),
      delta: delta.toString(),
      rho: rho?.toString() ?? null,
      query: req.query,
      plan_hash: req.planHash,
      reserved_at: now.toISOString(),
      expires_at: now.getTime() + this.ttlMs,
      owner_host: this.owner.host,
      owner_pid: this.owner.pid,
      owner_started: this.owner.started,
      owner_instance: this.owner.instance,
    });
    this.totals.change(key, { reservedEpsilon: epsilon, reservedDelta: delta });
    this.audit.append({
      actor: req.user,
      action: 'query.reserved',
      experiment: req.experiment,
      subject: id,
      details: {
        source: req.source,
        query: req.query,
        planHash: req.planHash,
        epsilon: epsilon.toString(),
        delta: delta.toString(),
        ...(rho ? { rho: rho.toString() } : {}),
      },
    });
    return id;
  }

  /**
   * Turns a reservation into a durable charge bound to `releaseId`. Only after this returns may the
   * value be released. Idempotent for the same releaseId. Throws if the reservation was refunded,
   * has expired, or the experiment no longer allows access (the reservation is then refunded).
   */
  commit(reservationId: string, releaseId: string, digest?: string): Charge {
    validText(releaseId, 'releaseId', 200);
    const outcome = immediate(this.db, () =>
      this.commitInTransaction(reservationId, releaseId, digest),
    );
    if (outcome instanceof ServiceError) throw outcome;
    return outcome;
  }

  /**
   * `commit` through the group commit: resolves once the charge is durable, sharing the fsync with
   * the other commits of this event-loop turn. Same checks, errors and idempotence as `commit`.
   */
  async commitDurably(reservationId: string, releaseId: string, digest?: string): Promise<Charge> {
    validText(releaseId, 'releaseId', 200);
    const outcome = await this.group.submit(() =>
      this.commitInTransaction(reservationId, releaseId, digest),
    );
    if (outcome instanceof ServiceError) throw outcome;
    return outcome;
  }

  /**
   * Commits several reservations of one release (a join's sources) all or none: resolves once
   * every charge is durable, or, when one may not be committed (refunded, expired, access revoked),
   * refunds the others too and throws its refusal, so no source is charged for a value that is
   * never released.
   */
  async commitAllDurably(
    items: readonly { reservationId: string; releaseId: string; digest?: string }[],
  ): Promise<Charge[]> {
    for (const item of items) validText(item.releaseId, 'releaseId', 200);
    const outcome = await this.group.submit(() => this.commitAllInTransaction(items));
    if (outcome instanceof ServiceError) throw outcome;
    return outcome;
  }

  /** The body of commitAllDurably, inside the caller's transaction; a refusal is returned. */
  private commitAllInTransaction(
    items: readonly { reservationId: string; releaseId: string; digest?: string }[],
  ): Charge[] | ServiceError {
    const now = this.clock();
    let refusal: ServiceError | undefined;
    // The first refusal decides (its sources share one experiment: one refusal, one entry).
    for (const item of items) {
      const row = this.mustGet(item.reservationId);
      const problem =
        row instanceof ServiceError ? row : this.commitRefusal(row, item.releaseId, now);
      if (problem instanceof ServiceError) {
        refusal = problem;
        break;
      }
    }
    if (refusal) {
      const reason = `another source of the query was refused: ${refusal.message}`;
      for (const item of items) {
        const row = this.mustGet(item.reservationId);
        if (!(row instanceof ServiceError) && row.status === 'pending')
          this.settle(row, 'refunded', now, null, reason);
      }
      return refusal;
    }
    const charges: Charge[] = [];
    for (const item of items) {
      // Checked above at the same `now`, in the same transaction: every one commits.
      const charge = this.commitInTransaction(item.reservationId, item.releaseId, item.digest, now);
      if (charge instanceof ServiceError) return charge;
      charges.push(charge);
    }
    return charges;
  }

  /**
   * Why `row` may not be committed under `releaseId`, or 'done' when it already is; undefined when
   * it may. A pending reservation past its expiry, or whose experiment no longer allows access, is
   * refunded here.
   */
  private commitRefusal(
    row: ReservationRow,
    releaseId: string,
    now: Date,
  ): ServiceError | 'done' | undefined {
    if (row.status === 'committed') {
      if (row.release_id === releaseId) return 'done';
      return conflict(
        'reservation.committed',
        `reservation ${row.id} was already committed for another release`,
        'release each value under the reservation it was computed with',
      );
    }
    if (row.status === 'refunded') {
      return conflict(
        'reservation.refunded',
        `reservation ${row.id} was refunded (${row.refund_reason ?? 'no reason'}); its value must not be released`,
        'discard the result and run the query again',
      );
    }
    // A row that does not match the audit log revokes access as an unknown id does; the refusal is
    // audited and told as such to those who may see the experiment.
    const read = readChecked(this.db, row.experiment);
    const revoked = experimentUseRefusal(read.experiment, row.experiment, row.user);
    if (read.tampered && revoked) {
      const unknown = refunded(row.id, `access revoked: ${revoked.reason}`);
      const told = this.refuseTampered(this.actorOf(row.user), read.tampered, unknown, row.id, {
        attempted: 'commit',
      });
      const why = told === unknown ? revoked.reason : told.reason;
      this.settle(row, 'refunded', now, null, `access revoked: ${why}`);
      return told;
    }
    if (row.expires_at <= now.getTime() || revoked) {
      const reason = revoked ? `access revoked: ${revoked.reason}` : 'expired before commit';
      this.settle(row, 'refunded', now, null, reason);
      return refunded(row.id, reason);
    }
    return undefined;
  }

  /** The body of a commit, inside the caller's transaction; a refusal is returned, not thrown, so a refund it writes is kept. */
  private commitInTransaction(
    reservationId: string,
    releaseId: string,
    digest?: string,
    now: Date = this.clock(),
  ): Charge | ServiceError {
    const row = this.mustGet(reservationId);
    if (row instanceof ServiceError) return row;
    const refusal = this.commitRefusal(row, releaseId, now);
    if (refusal === 'done') return rowToCharge(row);
    if (refusal) return refusal;
    this.settle(row, 'committed', now, releaseId, null);
    // A join commits one charge per source (`<id>/<source>`): the digest is kept once, by the
    // release id itself.
    if (digest !== undefined) this.recordDigest.run(releaseId.split('/')[0]!, digest);
    return rowToCharge({
      ...row,
      status: 'committed',
      closed_at: now.toISOString(),
      release_id: releaseId,
    });
  }

  /** Gives a pending reservation's budget back (e.g. the query failed). Idempotent; a committed charge cannot be refunded. */
  refund(reservationId: string, reason: string): Charge {
    const outcome = immediate(this.db, (): Charge | ServiceError => {
      const row = this.mustGet(reservationId);
      if (row instanceof ServiceError) return row;
      if (row.status === 'refunded') return rowToCharge(row);
      if (row.status === 'committed') {
        return conflict(
          'reservation.committed',
          `reservation ${reservationId} is committed; spent budget cannot be refunded`,
          'nothing to do: the value was released and its cost is final',
        );
      }
      const now = this.clock();
      const why = String(reason).slice(0, 500) || 'refunded';
      this.settle(row, 'refunded', now, null, why);
      return rowToCharge({
        ...row,
        status: 'refunded',
        closed_at: now.toISOString(),
        refund_reason: why,
      });
    });
    if (outcome instanceof ServiceError) throw outcome;
    return outcome;
  }

  /**
   * Reserves, runs `execute`, commits (group commit: shares the fsync with concurrent queries of
   * this process), and only once the charge is durable returns the value. A failing `execute` is
   * refunded (costs 0) and its error rethrown; a failed commit means the value is discarded.
   */
  async run<T>(
    req: ReserveRequest,
    execute: (reservationId: string) => Promise<T>,
    releaseId?: string,
  ): Promise<{ value: T; charge: Charge }> {
    const id = await this.reserveBatched(req);
    let value: T;
    try {
      value = await execute(id);
    } catch (e) {
      this.refund(id, 'query failed');
      throw e;
    }
    const charge = await this.commitDurably(id, releaseId ?? `rel-${id.slice(4)}`);
    return { value, charge };
  }

  /**
   * Budgets (total, spent, reserved, remaining per source) and charges of an experiment. Callers
   * check first that `actor` (default: the gateway) may see it; a row that does not match the
   * audit log is refused (and audited) all the same.
   */
  state(experiment: string, actor: Actor = { user: 'gateway', roles: [] }): LedgerState {
    const { tampered } = readChecked(this.db, experiment);
    if (tampered)
      throw this.refuseTampered(actor, tampered, tampered.refusal, 'budget', {}, 'access.refused');
    return ledgerState(this.db, this.policy, experiment);
  }

  /** Refunds expired reservations and those of processes that no longer run; returns how many. */
  recoverPending(): number {
    const now0 = this.clock().getTime();
    const pending0 = this.db
      .prepare<[], ReservationRow>("SELECT * FROM ledger_reservations WHERE status = 'pending'")
      .all();
    if (!pending0.some((r) => r.expires_at <= now0 || ownerGone(r))) return 0;
    return immediate(this.db, () => {
      const now = this.clock();
      let n = this.sweepExpired(now);
      const pending = this.db
        .prepare<[], ReservationRow>("SELECT * FROM ledger_reservations WHERE status = 'pending'")
        .all();
      for (const row of pending) {
        if (ownerGone(row)) {
          this.settle(row, 'refunded', now, null, 'the process holding it ended before commit');
          n++;
        }
      }
      if (n > 0)
        this.audit.append({
          actor: 'gateway',
          action: 'ledger.recovered',
          details: { refunded: n },
        });
      return n;
    });
  }

  /** Refunds this instance's own pending reservations; call before closing the database. */
  close(): void {
    this.reserveGroup.flush();
    this.group.flush();
    immediate(this.db, () => {
      const mine = this.db
        .prepare<[string], ReservationRow>(
          "SELECT * FROM ledger_reservations WHERE status = 'pending' AND owner_instance = ?",
        )
        .all(this.owner.instance);
      for (const row of mine)
        this.settle(row, 'refunded', this.clock(), null, 'ledger closed before commit');
    });
  }

  /** Closes a pending reservation, moves its cost in the totals and audits it (inside a transaction). */
  private settle(
    row: ReservationRow,
    status: 'committed' | 'refunded',
    now: Date,
    releaseId: string | null,
    reason: string | null,
  ): void {
    this.close_.run({
      id: row.id,
      status,
      closed_at: now.toISOString(),
      release_id: releaseId ?? null,
      refund_reason: reason ?? null,
    });
    const cost = { epsilon: stored(row.epsilon), delta: stored(row.delta) };
    const key = { experiment: row.experiment, source: row.source, scopeUser: row.scope_user };
    this.totals.change(key, {
      reservedEpsilon: cost.epsilon.neg(),
      reservedDelta: cost.delta.neg(),
      ...(status === 'committed' ? { spentEpsilon: cost.epsilon, spentDelta: cost.delta } : {}),
    });
    this.audit.append({
      actor: status === 'committed' ? row.user : 'gateway',
      action: status === 'committed' ? 'release' : 'query.refunded',
      experiment: row.experiment,
      subject: row.id,
      details:
        status === 'committed'
          ? { releaseId: releaseId ?? '', epsilon: row.epsilon, delta: row.delta }
          : { reason: reason ?? '' },
    });
  }

  private sweepExpired(now: Date): number {
    const rows = this.expired.all(now.getTime());
    for (const row of rows) this.settle(row, 'refunded', now, null, 'expired before commit');
    return rows.length;
  }

  private mustGet(id: string): ReservationRow | ServiceError {
    const row = typeof id === 'string' ? this.byId.get(id) : undefined;
    return (
      row ??
      new ServiceError(
        'not_found',
        'reservation.unknown',
        `there is no reservation "${String(id).slice(0, 80)}"`,
        'use the id returned by reserve',
      )
    );
  }
}

/** The refusal of a commit whose reservation was refunded (`reason`: why). */
function refunded(id: string, reason: string): ServiceError {
  return conflict(
    'reservation.refunded',
    `reservation ${id} was refunded (${reason}); its value must not be released`,
    'discard the result and run the query again',
  );
}

function conflict(reason: string, message: string, fix: string): ServiceError {
  return new ServiceError('conflict', reason, message, fix);
}
