/**
 * DP queries as a gateway service: checks the experiment grants every view the query reads,
 * prices it (the free dry run, with the budget left afterwards), and otherwise reserves the cost
 * in the ledger, executes, and commits the charge BEFORE the release is returned. A failed query
 * is refunded and costs nothing. A query reading a dp view with `response_time_ms` is answered on
 * that time step (response-time.ts). Used by the HTTP route and `privet query`.
 */
import { createHash } from 'node:crypto';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { releaseContentText } from '@privet/core/review/index';
import { parseRational, zcdpToEpsilon, type Rational } from '@privet/core/dp/index';
import { DpSqlError } from '@privet/core/dpsql/errors';
import type { DpRelease } from '@privet/core/dpsql/types';
import type {
  BudgetAfter,
  DpDryRunWithBudget,
  DpQueryRequest,
  DpQueryResponse,
} from '@privet/core';
import type { LoadedPolicy } from '../policy-file.js';
import type { Services } from '../ledger/open.js';
import { refusalFiling, type Actor } from '../experiments/access.js';
import { EXPERIMENT_ID } from '../experiments/artefacts.js';
import { readChecked, refuseTampered } from '../experiments/record-refusal.js';
import { ServiceError } from '../audit/service-error.js';
import { HttpError } from '../http/errors.js';
import { openSourceEngine, QueryInterruptedError, type SourceEngine } from '../store/index.js';
import { executePlan, planDpQuery, type DpQueryPlan } from './execute.js';
import { responseStepMs, systemStepClock, waitForStep, type StepClock } from './response-time.js';
import { aboveLeft, aboveLimit, budgetOf, perQueryLimits } from '../ledger/amounts.js';

/** δ charged for a ρ-zCDP query when the request names none (its (ε, δ) image is what the ledger caps). */
const ZCDP_DEFAULT_DELTA = '1e-9';
const MAX_SQL_LENGTH = 20_000;

/** The (ε, δ) a plan charges to each of its sources, as exact decimal/rational strings. */
export function chargeOf(
  plan: DpQueryPlan,
  request: DpQueryRequest,
): { epsilon: Rational; delta: Rational } {
  const cost = plan.cost;
  if (cost.measure === 'zcdp') {
    const delta = parseRational(request.delta ?? ZCDP_DEFAULT_DELTA);
    return { epsilon: zcdpToEpsilon(parseRational(cost.rho ?? '0'), delta), delta };
  }
  return { epsilon: parseRational(cost.epsilon ?? '0'), delta: parseRational(cost.delta ?? '0') };
}

/** Longest text accepted for a privacy parameter (ε, δ, ρ, accuracy, α) in a request. */
export const MAX_NUMBER_TEXT = 64;

function validateRequest(body: unknown): DpQueryRequest {
  const b = body as Partial<DpQueryRequest> | null;
  const bad = (message: string, fix: string) => new HttpError('bad_request', message, fix);
  if (!b || typeof b !== 'object')
    throw bad('the body must be a JSON object', 'send { experiment, sql, epsilon, dryRun }');
  if (typeof b.experiment !== 'string' || b.experiment.length === 0)
    throw bad('"experiment" is missing', 'name the experiment the query belongs to');
  if (!EXPERIMENT_ID.test(b.experiment))
    throw bad(
      '"experiment" is not an experiment id',
      'use the id the experiment was proposed with (lowercase letters, digits, - and _, at most 63)',
    );
  if (typeof b.sql !== 'string' || b.sql.trim() === '')
    throw bad('"sql" is missing', 'send one SELECT over dp views');
  if (b.sql.length > MAX_SQL_LENGTH)
    throw bad(`the query is longer than ${MAX_SQL_LENGTH} characters`, 'shorten it');
  if (typeof b.dryRun !== 'boolean')
    throw bad('"dryRun" must be true or false', 'set dryRun: true to price the query for free');
  for (const key of ['epsilon', 'delta', 'rho', 'accuracy', 'alpha'] as const) {
    const v = b[key];
    if (v !== undefined && typeof v !== 'string' && typeof v !== 'number')
      throw bad(`"${key}" must be a number or decimal string`, `write e.g. "${key}": "0.5"`);
    // Exact arithmetic on a number of thousands of digits would hold the gateway for minutes.
    if (typeof v === 'string' && v.length > MAX_NUMBER_TEXT)
      throw bad(
        `"${key}" is written with more than ${MAX_NUMBER_TEXT} characters`,
        `write it with fewer digits, e.g. "${key}": "0.5" or "1e-6"`,
      );
  }
  if (b.planHash !== undefined && (typeof b.planHash !== 'string' || b.planHash.length > 128))
    throw bad(
      '"planHash" must be the planHash text of a dry run',
      'send the planHash the dry run answered, or leave it out',
    );
  return b as DpQueryRequest;
}

/** Options of the DP query service. */
export interface DpQueryServiceOptions {
  /** The clock and timer of the `response_time_ms` step (default: monotonic clock, real timer). */
  stepClock?: StepClock;
}

/**
 * What running an admitted query came to, before it is answered: its release, or the reason its
 * reservations are refunded with and the error the caller gets.
 */
type Outcome = { release: DpRelease } | { refundReason: string; answer: unknown };

/** The refund reason when nobody waits for the answer any more. */
const CLIENT_LEFT = 'the client left before the release';

/** Runs DP queries for the gateway; owns one locked-down engine over the dp views' sources. */
export class DpQueryService {
  private engine: Promise<SourceEngine> | undefined;
  private parser: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> | undefined;
  private readonly clock: StepClock;

  constructor(
    private readonly loaded: LoadedPolicy,
    private readonly services: Services,
    options: DpQueryServiceOptions = {},
  ) {
    this.clock = options.stepClock ?? systemStepClock;
  }

  private getParser(): Promise<DuckDBConnection> {
    this.parser ??= (async () => {
      const instance = await DuckDBInstance.create(':memory:', {
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        enable_external_access: 'false',
      });
      return { instance, connection: await instance.connect() };
    })();
    return this.parser.then((p) => p.connection);
  }

  private getEngine(): Promise<SourceEngine> {
    const { policy, dir } = this.loaded;
    const sources = [
      ...new Set(
        Object.values(policy.views)
          .filter((v) => v.tier === 'dp')
          .map((v) => v.source),
      ),
    ];
    if (!this.engine) {
      const opening = openSourceEngine(policy, dir, { sourceNames: sources });
      this.engine = opening;
      // A failed open (a source file missing for a moment) is not kept: the next query retries.
      opening.catch(() => {
        if (this.engine === opening) this.engine = undefined;
      });
    }
    return this.engine;
  }

  /**
   * Plans, checks access, and either prices (dry run) or spends and releases. `clientGone` aborts
   * when the caller stops waiting (its connection closed): the engine's query is interrupted, and
   * a value computed for no one is refunded instead of charged, as nobody will see it.
   */
  async query(
    actor: Actor,
    body: unknown,
    clientGone: AbortSignal = new AbortController().signal,
  ): Promise<DpDryRunWithBudget | DpQueryResponse> {
    // Admission: a `response_time_ms` step counts from here.
    const admittedAt = this.clock.now();
    const request = validateRequest(body);
    const { experiments } = this.services;
    let plan: DpQueryPlan;
    try {
      plan = await planDpQuery(request.sql, {
        policy: this.loaded.policy,
        parser: await this.getParser(),
        budget: {
          ...(request.epsilon !== undefined ? { epsilon: request.epsilon } : {}),
          ...(request.delta !== undefined ? { delta: request.delta } : {}),
          ...(request.rho !== undefined ? { rho: request.rho } : {}),
          ...(request.accuracy !== undefined ? { accuracy: request.accuracy } : {}),
          ...(request.alpha !== undefined ? { alpha: request.alpha } : {}),
        },
      });
    } catch (error) {
      if (!(error instanceof DpSqlError)) throw error;
      throw this.refuseSql(actor, request, error);
    }
    for (const table of plan.priced.logical.tables) {
      experiments.assertCanUseView(actor, request.experiment, table.view, {
        audit: !request.dryRun,
      });
    }
    if (!request.dryRun && request.planHash !== undefined && request.planHash !== plan.planHash)
      throw new HttpError(
        'conflict',
        "the query would now run under another plan than its dry run priced (the policy's bounds, contribution limits or views changed since); nothing was reserved or charged",
        'dry run the query again to see its cost and expected error now, then run it',
      );
    const charge = chargeOf(plan, request);
    // Everything refused up to here (the request, the SQL, access, a changed plan) and every dry
    // run is decided from the policy, the query text and the experiment's records before anything
    // reads a row, so it is answered at once: `response_time_ms` pads only what `spend` answers.
    if (request.dryRun)
      return { ...plan.dryRun, budget: this.budgetAfter(actor, request.experiment, plan, charge) };
    return this.spend(actor, request, plan, charge, clientGone, admittedAt);
  }

  /**
   * The refusal of a query whose SQL the planner refused, audited for a real query. Filed under the
   * experiment only for those who may see it: anyone else could plant entries. Only a real query's
   * refusal is audited: a dry run is free and reads nothing, and the editors' language server
   * dry-runs every half-typed query. A row that does not match the audit log is refused as such
   * (one entry, service 'dp') to those who may see it; anyone else gets this same SQL refusal, as
   * for an id that does not exist.
   */
  private refuseSql(actor: Actor, request: DpQueryRequest, error: DpSqlError): ServiceError {
    const refused = new ServiceError(
      'dp_refused',
      'dp.refused',
      `${error.refusal.message} [${error.refusal.code}]`,
      error.refusal.fix,
    );
    if (request.dryRun) return refused;
    const { audit, db } = this.services;
    const { policy } = this.loaded;
    const details = { code: error.refusal.code, query: request.sql.slice(0, 2000) };
    const read = readChecked(db, request.experiment);
    if (read.tampered)
      return refuseTampered({
        audit,
        policy,
        action: 'query.refused',
        actor,
        service: 'dp',
        tampered: read.tampered,
        unknown: refused,
        subject: 'dp-query',
        details,
      });
    audit.append({
      actor: actor.user,
      action: 'query.refused',
      ...refusalFiling(read.experiment, actor, policy),
      subject: 'dp-query',
      details,
    });
    return refused;
  }

  private budgetAfter(
    actor: Actor,
    experiment: string,
    plan: DpQueryPlan,
    charge: { epsilon: Rational; delta: Rational },
  ): BudgetAfter[] {
    const state = this.services.ledger.state(experiment);
    return plan.cost.sources.map((source) => {
      const budget = state.budgets.find(
        (b) => b.source === source && (b.user === undefined || b.user === actor.user),
      );
      if (!budget) {
        throw new HttpError(
          'forbidden',
          `experiment ${experiment} has no budget on dataset ${source}`,
          'ask a steward to add a budget for this source in the policy',
        );
      }
      const left = {
        epsilon: parseRational(budget.remaining.epsilon.exact),
        delta: parseRational(budget.remaining.delta.exact),
      };
      // The ledger's own limits and tests (budgetOf: the budget the state above was built from).
      const limits = perQueryLimits(budgetOf(this.loaded.policy, source));
      return {
        source,
        remainingBefore: budget.remaining,
        cost: { epsilon: charge.epsilon.toString(), delta: charge.delta.toString() },
        ...(limits.epsilon || limits.delta
          ? {
              perQuery: {
                ...(limits.epsilon ? { epsilon: limits.epsilon.toString() } : {}),
                ...(limits.delta ? { delta: limits.delta.toString() } : {}),
              },
            }
          : {}),
        affordable: !aboveLimit(limits, charge) && !aboveLeft(left, charge),
      };
    });
  }

  /**
   * Reserves, runs, and then answers on the views' `response_time_ms` step: every outcome from the
   * first reservation on (release, budget refusal, refunded failure, a client gone) waits for the
   * step boundary BEFORE its charge is committed or its reservations refunded, then is answered.
   * The commit still precedes the release, and the ledger's `closedAt` (shown to the experiment's
   * members with the reservation's `reservedAt`) and the audit entry of the release or refund are
   * stamped after the boundary too: stamped at completion, they would tell the running time to
   * the millisecond that the step hides from the answer.
   */
  private async spend(
    actor: Actor,
    request: DpQueryRequest,
    plan: DpQueryPlan,
    charge: { epsilon: Rational; delta: Rational },
    clientGone: AbortSignal,
    admittedAt: number,
  ): Promise<DpQueryResponse> {
    const { ledger } = this.services;
    const stepMs = responseStepMs(this.loaded.policy, plan.priced.logical.tables);
    // Called once per query, when its outcome is known (a second call would wait a step more).
    const onStep = (): Promise<void> => waitForStep(this.clock, admittedAt, stepMs);
    const reservations: string[] = [];
    try {
      for (const source of plan.cost.sources) {
        reservations.push(
          ledger.reserve({
            experiment: request.experiment,
            source,
            user: actor.user,
            epsilon: charge.epsilon.toString(),
            delta: charge.delta.toString(),
            ...(plan.cost.rho !== undefined ? { rho: plan.cost.rho } : {}),
            query: request.sql,
            planHash: plan.planHash,
          }),
        );
      }
    } catch (error) {
      await onStep();
      for (const id of reservations) ledger.refund(id, 'another source of the query was refused');
      throw error;
    }
    const outcome = await this.run(plan, clientGone);
    await onStep();
    const refundAll = (reason: string): void => {
      for (const id of reservations) ledger.refund(id, reason);
    };
    if ('answer' in outcome) {
      refundAll(outcome.refundReason);
      throw outcome.answer;
    }
    // Nobody waits for this value (the client timed out or was closed while the engine worked or
    // during the step's wait): it is dropped unseen, so its reservation is refunded rather than
    // spent on nothing.
    if (clientGone.aborted) {
      refundAll(CLIENT_LEFT);
      throw clientLeft();
    }
    const { release } = outcome;
    // The charge is durable before anyone sees the value (group commit: concurrent queries of this
    // gateway share the fsync, and each waits for the transaction holding its own charge).
    // A join charges several sources: each charge records `<releaseId>/<source>` (release ids are
    // unique in the ledger), and release verification accepts the release id for any of them.
    // The charge also keeps the SHA-256 of the release's content as the notebook will hold it
    // (JSON as sent), so the review check trusts this id for these numbers only.
    const sources = plan.cost.sources;
    const digest = createHash('sha256').update(releaseContentText(release), 'utf8').digest('hex');
    // All or none: a join's sources are charged together, or none is and nothing is released.
    await ledger.commitAllDurably(
      reservations.map((id, i) => ({
        reservationId: id,
        releaseId: ledgerReleaseId(release.releaseId, sources, i),
        digest,
      })),
    );
    return { dryRun: false, release };
  }

  /**
   * Opens the engine and runs the plan. A failure is returned, not thrown, with the refund reason
   * and the error to answer with, so that `spend` refunds and answers it on the step like a release.
   */
  private async run(plan: DpQueryPlan, clientGone: AbortSignal): Promise<Outcome> {
    let engine: SourceEngine;
    try {
      engine = await this.getEngine();
    } catch (error) {
      // The file paths and reasons are the steward's (the gateway log), not the analyst's.
      return {
        refundReason: 'the source data could not be loaded',
        answer: new HttpError(
          'internal',
          'the gateway could not load the source data of the DP views; nothing was released or charged',
          'ask a steward to fix the source file the gateway log names (a missing file, or values not of their declared type), then run the query again',
          { cause: error },
        ),
      };
    }
    try {
      return { release: await executePlan(plan, engine, undefined, { stop: clientGone }) };
    } catch (error) {
      if (error instanceof QueryInterruptedError || clientGone.aborted)
        return { refundReason: CLIENT_LEFT, answer: clientLeft() };
      if (error instanceof DpSqlError)
        return {
          refundReason: 'query failed',
          answer: new HttpError(
            'dp_refused',
            `${error.refusal.message} [${error.refusal.code}]`,
            error.refusal.fix,
          ),
        };
      return { refundReason: 'query failed', answer: error };
    }
  }

  /** Closes the engines. */
  async close(): Promise<void> {
    const engine = await this.engine?.catch(() => undefined); // a failed open has nothing to close
    engine?.close();
    if (this.parser) {
      const p = await this.parser;
      p.connection.closeSync();
      p.instance.closeSync();
    }
  }
}

/** The answer to a client that closed its connection before its result was ready. */
function clientLeft(): HttpError {
  return new HttpError(
    'bad_request',
    'the client closed the connection before the result was ready; nothing was released or charged',
    'run the query again and wait for its answer',
  );
}

/** The release id a charge records: the release id itself, or `<id>/<source>` for joins. */
export function ledgerReleaseId(releaseId: string, sources: readonly string[], i: number): string {
  return sources.length > 1 ? `${releaseId}/${sources[i]}` : releaseId;
}
