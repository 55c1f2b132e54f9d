// Why: the gateway never trusts a client's verdict. It re-runs the review check in export mode with
// the policy's export rules and the ledger's committed release ids (in its output-check worker:
// submit-check.ts), stores the original output (only reviewers and stewards read it back), and
// binds any approval to outputContentHash(output): another output, however similar, has another
// hash and needs its own review. Every change and its audit entry commit in one BEGIN IMMEDIATE
// transaction; refusals are audited too.
import { randomUUID } from 'node:crypto';
import type {
  Policy,
  ReviewDecisionRequest,
  ReviewOutputResponse,
  ReviewRequest,
  ReviewState,
  ReviewStatusRequest,
  ReviewStatusResponse,
  SubmitReviewRequest,
} from '@privet/core';
import type { Experiment } from '@privet/core/record/index';
import { holdingRules } from '@privet/core/review/index';
import { reviewedViews } from './views-used.js';
import type { AuditLog } from '../audit/log.js';
import { committedClaims } from './release-snapshot.js';
import type { OpenedReviewRules } from '../leak/output-worker-protocol.js';
import type { SubmitCheck } from './submit-check.js';
import { ServiceError } from '../audit/service-error.js';
import { ensureTables, immediate, type Db } from '../audit/sqlite.js';
import {
  experimentUseRefusal,
  hasRole,
  isMember,
  notMemberRefusal,
  refusalFiling,
  type Actor,
} from '../experiments/access.js';
import { loadExperiment, loadExperiments } from '../experiments/store.js';
import { readChecked, refuseTampered, type TamperedRow } from '../experiments/record-refusal.js';
import {
  decisionRefusal,
  dissolvedRefusal,
  experimentNotFound,
  forbidden,
  fourEyesRefusal,
  reviewNotFound,
  unreadOutputRefusal,
} from './refusals.js';
import { ReleaseRegistry } from './releases.js';
import { rowToRequest, type ReviewContextFields } from './rows.js';
import { ensureReviewSchema, migrateReviewSchema, type ReviewRow } from './schema.js';
import { ReviewStore } from './store.js';

/** What the review service needs. */
export interface ReviewServiceOptions {
  audit: AuditLog;
  policy: Policy;
  clock?: () => Date;
}

/** Filters for listing review requests. */
export interface ReviewListFilter {
  experiment?: string;
  state?: ReviewState;
}

const CONTEXT_KEYS = ['notebook', 'cellId', 'cellIndex', 'outputIndex', 'cellSource'] as const;

/** Review requests: submission, reviewer queue, four-eyes decisions, comments, approval lookup. */
export class ReviewService {
  readonly db: Db;
  /** The ledger's committed DP release ids. */
  readonly releases: ReleaseRegistry;
  private readonly store: ReviewStore;
  private readonly audit: AuditLog;
  private readonly policy: Policy;
  private readonly clock: () => Date;

  constructor(options: ReviewServiceOptions) {
    this.audit = options.audit;
    this.db = options.audit.db;
    this.policy = options.policy;
    this.clock = options.clock ?? (() => new Date());
    ensureTables(this.db, ['review_requests', 'review_outputs', 'review_comments'], () =>
      ensureReviewSchema(this.db),
    );
    migrateReviewSchema(this.db);
    this.store = new ReviewStore(this.db);
    this.releases = new ReleaseRegistry(this.db);
  }

  /**
   * What checking a submitted output needs besides the output, read here on the main thread: the
   * export rules and the ledger's answers for the DP releases the output claims. The check itself
   * (export mode; a stream part read as the continuation of the earlier parts of its stream in the
   * cell, as the export check reads them) runs in the output-check worker (submit-check.ts).
   */
  checkRules(claims: readonly (readonly [string, string])[]): OpenedReviewRules {
    return {
      exportRules: this.policy.export,
      releases: committedClaims(claims, (id, digest) => this.releases.has(id, digest)),
      viewsUsed: reviewedViews(this.policy),
    };
  }

  /**
   * Refuses (and audits) a submission the actor may not make in `experiment` (not an analyst, not
   * a member, not approved or running) before its output is checked or any lookup is spent;
   * `submit` checks again in its own transaction.
   */
  admit(actor: Actor, experiment: string): void {
    // A changed row's refusal is thrown unaudited, as `loadExperiment` throws it: the route audits
    // it once (withRecordRefusal), before any lookup is spent.
    const e = this.submitter(actor, experiment, (tampered) => {
      throw tampered.refusal;
    });
    if (e instanceof ServiceError) this.settle(actor, 'submit', experiment, e);
  }

  /**
   * The experiment an analyst member may submit outputs to now, or why not. A row that does not
   * match the audit log is handed to `onTampered`, whose answer is returned.
   */
  private submitter(
    actor: Actor,
    experiment: string,
    onTampered: (tampered: TamperedRow) => ServiceError,
  ): Experiment | ServiceError {
    if (!hasRole(actor, this.policy, 'analyst'))
      return forbidden(
        'review.role',
        `${actor.user} may not submit outputs for review`,
        'sign in as an analyst',
      );
    const read = readChecked(this.db, experiment);
    if (read.tampered) return onTampered(read.tampered);
    const e = read.experiment;
    const refusal = experimentUseRefusal(e, experiment, actor.user);
    if (refusal || !e) return refusal ?? experimentNotFound(experiment);
    return e;
  }

  /**
   * An analyst member of an approved or running experiment submits a held output for review,
   * `checked` as checkInput → checkSubmitted found it; a raw identifier value refuses it, as
   * export would withhold it. `outputJson`: the output as stored (its JSON text, serialized where
   * it was parsed).
   */
  async submit(
    actor: Actor,
    input: Omit<SubmitReviewRequest, 'output'>,
    checked: SubmitCheck,
    outputJson: string,
  ): Promise<ReviewRequest> {
    const { contentHash, result } = checked;
    let recorded: ServiceError | undefined;
    const outcome = immediate(this.db, () => {
      // A row changed since admission: audited once, in this transaction (returned, not thrown),
      // and answered as admission answers it (a stranger as for an experiment they are not in).
      const e = this.submitter(
        actor,
        input.experiment,
        (tampered) =>
          (recorded = this.refuseChanged(actor, tampered, 'submit', {
            unknown: notMemberRefusal(input.experiment, actor.user),
          })),
      );
      if (e instanceof ServiceError) return e;
      if (checked.rawValue)
        return new ServiceError(
          'conflict',
          'review.raw-value',
          'this output holds a value of a raw identifier column (which one is not shown), and no approval lets such an output leave',
          'leave the value out of the output (aggregate it, or drop the column) and run the cell again',
        );
      if (result.verdict === 'pass')
        return new ServiceError(
          'conflict',
          'review.not-needed',
          'this output passes the export check, so it needs no review',
          'export it as it is; only flagged or blocked outputs are reviewed',
        );
      const existing = this.store.newestFor(input.experiment, contentHash);
      if (existing)
        return new ServiceError(
          'conflict',
          'review.duplicate',
          `this exact output already has review request ${existing.id} (${existing.state}) in experiment "${input.experiment}"`,
          existing.state === 'pending' || existing.state === 'approved'
            ? `follow request ${existing.id} instead of submitting it again`
            : 'change the output (e.g. aggregate or suppress the flagged cells) and submit the new one',
        );
      const now = this.clock().toISOString();
      const context: ReviewContextFields = { viewsUsed: input.viewsUsed ?? [] };
      for (const key of CONTEXT_KEYS)
        if (input[key] !== undefined) Object.assign(context, { [key]: input[key] });
      const row: ReviewRow = {
        id: `rev-${randomUUID()}`,
        experiment: input.experiment,
        requester: actor.user,
        state: 'pending',
        content_hash: contentHash,
        verdict: result.verdict,
        findings: JSON.stringify(result.findings),
        redacted_preview: result.redactedPreview,
        justification: input.justification,
        context: JSON.stringify(context),
        created_at: now,
        updated_at: now,
        decided_by: null,
        decided_at: null,
      };
      this.store.insert(row, outputJson);
      this.audit.append({
        actor: actor.user,
        action: 'review',
        experiment: input.experiment,
        subject: row.id,
        details: {
          event: 'submitted',
          contentHash,
          verdict: result.verdict,
          rules: holdingRules(result.findings),
        },
      });
      return this.forActor(rowToRequest(row, [], e.purpose), actor);
    });
    if (recorded) throw recorded; // audited once already, as the refusal of a changed row
    return this.settle(actor, 'submit', input.experiment, outcome);
  }

  /**
   * Requests the actor may see: analysts their experiments' ones, reviewers and stewards all. A
   * listed request whose experiment row does not match the audit log refuses the list (fail
   * closed), with one audit entry naming the first such experiment.
   */
  list(actor: Actor, filter: ReviewListFilter = {}): ReviewRequest[] {
    const visible = hasRole(actor, this.policy, 'reviewer', 'steward')
      ? undefined
      : loadExperiments(this.db)
          .filter((e) => isMember(e, actor.user))
          .map((e) => e.id);
    const rows = this.store.list({ ...filter, ...(visible ? { visible } : {}) });
    for (const experiment of new Set(rows.map((r) => r.experiment))) {
      const { tampered } = readChecked(this.db, experiment);
      // Only experiments the actor may see are listed, so the answer is the record refusal.
      if (tampered) throw this.refuseChanged(actor, tampered, 'list', { unknown: undefined });
    }
    return rows.map((r) => this.toRequest(r, actor));
  }

  /** One request, if the actor may see it. */
  get(actor: Actor, id: string): ReviewRequest {
    return this.toRequest(this.visibleRow(actor, id, 'get'), actor);
  }

  /** The original output of a request (reviewers and stewards; the read is audited). */
  output(actor: Actor, id: string): ReviewOutputResponse {
    return JSON.parse(this.outputJson(actor, id)) as ReviewOutputResponse;
  }

  /**
   * `output` as the response's JSON text, the stored output spliced in as stored: an output of
   * up to 16 MB is neither parsed nor serialized again on the event loop.
   */
  outputJson(actor: Actor, id: string): string {
    if (!hasRole(actor, this.policy, 'reviewer', 'steward'))
      throw forbidden(
        'review.role',
        `${actor.user} may not read submitted outputs`,
        'ask a reviewer',
      );
    const row = this.visibleRow(actor, id, 'output');
    const deletedAt = loadExperiment(this.db, row.experiment)?.artefactsDeletedAt;
    if (deletedAt)
      throw new ServiceError(
        'not_found',
        'review.output-deleted',
        `the output of review request ${id} was deleted with the derived artefacts of experiment "${row.experiment}" (${deletedAt}), after its dissolution`,
        'the request and its decision stay in the review list and the audit log',
      );
    const stored = this.store.output(id);
    if (stored === undefined) throw reviewNotFound(id, actor.user);
    this.audit.append({
      actor: actor.user,
      action: 'review',
      experiment: row.experiment,
      subject: id,
      details: { event: 'output-read' },
    });
    const head = JSON.stringify({ id, contentHash: row.content_hash });
    return `${head.slice(0, -1)},"output":${stored}}`;
  }

  /** A reviewer who neither requested it nor works in the experiment decides a pending request. */
  decide(actor: Actor, id: string, input: ReviewDecisionRequest): ReviewRequest {
    let experiment = '';
    let recorded: ServiceError | undefined;
    const outcome = immediate(this.db, () => {
      const row = this.store.byId(id);
      if (!row) return reviewNotFound(id, actor.user);
      experiment = row.experiment;
      const read = readChecked(this.db, row.experiment);
      // Returned, not thrown: its audit entry commits with this transaction.
      if (read.tampered)
        return (recorded = this.refuseTampered(actor, id, read.tampered, 'decide'));
      const e = read.experiment;
      const refusal =
        fourEyesRefusal(actor, this.policy, row, e) ??
        dissolvedRefusal(row, e) ??
        decisionRefusal(row, input) ??
        unreadOutputRefusal(
          row,
          input,
          this.store.outputReadBy(row.id, row.experiment, actor.user),
        );
      if (refusal) return refusal;
      const now = this.clock().toISOString();
      const state: ReviewState =
        input.decision === 'approve'
          ? 'approved'
          : input.decision === 'reject'
            ? 'rejected'
            : 'changes_requested';
      this.store.decide(id, state, actor.user, now);
      const comment = input.comment?.trim() ?? '';
      if (comment) this.store.addComment(id, actor.user, comment, now);
      this.audit.append({
        actor: actor.user,
        action: 'review',
        experiment: row.experiment,
        subject: id,
        details: {
          event: 'decided',
          decision: input.decision,
          state,
          contentHash: row.content_hash,
        },
      });
      return this.toRequest(this.store.byId(id) ?? row, actor);
    });
    if (recorded) throw recorded; // audited once already, as the refusal of a changed row
    return this.settle(actor, 'decide', experiment, outcome);
  }

  /** Adds a comment (anyone who may see the request). */
  comment(actor: Actor, id: string, text: string): ReviewRequest {
    // Refusals are returned, not thrown: a changed row's audit entry commits with the transaction.
    const outcome = immediate(this.db, (): ReviewRequest | ServiceError => {
      const row = this.visible(actor, id, 'comment');
      if (row instanceof ServiceError) return row;
      const refusal = dissolvedRefusal(row, loadExperiment(this.db, row.experiment));
      if (refusal) return refusal;
      this.store.addComment(id, actor.user, text, this.clock().toISOString());
      this.audit.append({
        actor: actor.user,
        action: 'review',
        experiment: row.experiment,
        subject: id,
        details: { event: 'commented', length: text.length },
      });
      return this.toRequest(row, actor);
    });
    if (outcome instanceof ServiceError) throw outcome;
    return outcome;
  }

  /** The newest request's state per content hash in an experiment the actor may see. */
  status(actor: Actor, input: ReviewStatusRequest): ReviewStatusResponse {
    const e = loadExperiment(this.db, input.experiment);
    if (!e || !(isMember(e, actor.user) || hasRole(actor, this.policy, 'reviewer', 'steward')))
      throw experimentNotFound(input.experiment, actor.user);
    return {
      statuses: input.contentHashes.map((contentHash) => {
        const r = this.store.newestFor(input.experiment, contentHash);
        return r ? { contentHash, state: r.state, reviewId: r.id } : { contentHash, state: 'none' };
      }),
    };
  }

  /** Content hash → id of every approved request in the experiment (the newest per content). */
  approvedIn(experiment: string): Map<string, string> {
    return this.store.approvedIn(experiment);
  }

  private visibleRow(actor: Actor, id: string, attempted: string): ReviewRow {
    const row = this.visible(actor, id, attempted);
    if (row instanceof ServiceError) throw row;
    return row;
  }

  /**
   * Request `id` if the actor may see it, else the refusal to throw: the answer for an unknown id,
   * or for an experiment row that does not match the audit log, its audited refusal.
   */
  private visible(actor: Actor, id: string, attempted: string): ReviewRow | ServiceError {
    const row = this.store.byId(id);
    if (!row) return reviewNotFound(id, actor.user);
    const read = readChecked(this.db, row.experiment);
    if (read.tampered) return this.refuseTampered(actor, id, read.tampered, attempted);
    const e = read.experiment;
    const visible =
      hasRole(actor, this.policy, 'reviewer', 'steward') ||
      (e !== undefined && isMember(e, actor.user));
    return visible ? row : reviewNotFound(id, actor.user);
  }

  /**
   * Audits the refusal of request `id`, whose experiment row does not match the audit log (one
   * entry, service 'review'), and returns what to throw: the record refusal to those who may see
   * the experiment, to anyone else the answer for an unknown request id.
   */
  private refuseTampered(
    actor: Actor,
    id: string,
    tampered: TamperedRow,
    attempted: string,
  ): ServiceError {
    return this.refuseChanged(actor, tampered, attempted, {
      unknown: reviewNotFound(id, actor.user),
      review: id,
    });
  }

  /**
   * Audits the refusal of a `attempted` call on a changed experiment row (one entry, service
   * 'review'; `review`: the request it was about) and returns what to throw: the record refusal
   * to those who may see the experiment, to anyone else `unknown` (see refuseTampered).
   */
  private refuseChanged(
    actor: Actor,
    tampered: TamperedRow,
    attempted: string,
    o: { unknown: ServiceError | undefined; review?: string },
  ): ServiceError {
    return refuseTampered({
      audit: this.audit,
      policy: this.policy,
      action: 'access.refused',
      actor,
      service: 'review',
      tampered,
      unknown: o.unknown,
      subject: 'review',
      details: { attempted, ...(o.review === undefined ? {} : { review: o.review.slice(0, 200) }) },
    });
  }

  /** The request as `actor` may see it (see forActor). */
  private toRequest(row: ReviewRow, actor: Actor): ReviewRequest {
    const e = loadExperiment(this.db, row.experiment);
    const request = this.forActor(
      rowToRequest(row, this.store.comments(row.id), e?.purpose ?? ''),
      actor,
    );
    if (!e?.artefactsDeletedAt) return request;
    // Derived from the experiment's data, gone with its artefacts: not served any more.
    const { cellSource: _dropped, ...kept } = request;
    return { ...kept, redactedPreview: '' };
  }

  /**
   * The request without its redacted preview unless `actor` reviews or stewards: the preview hides
   * identifier patterns only, so it still shows the small counts and rows that held the output,
   * which its analysts' own screens withhold too.
   */
  private forActor(request: ReviewRequest, actor: Actor): ReviewRequest {
    return hasRole(actor, this.policy, 'reviewer', 'steward')
      ? request
      : { ...request, redactedPreview: '' };
  }

  /** Returns the result, or audits the refusal and throws it. */
  private settle(
    actor: Actor,
    attempted: string,
    experiment: string,
    outcome: ReviewRequest | ServiceError,
  ): ReviewRequest {
    if (!(outcome instanceof ServiceError)) return outcome;
    this.audit.append({
      actor: actor.user,
      action: 'review',
      // A row changed since the refusal was decided is filed under no experiment.
      ...(experiment
        ? refusalFiling(readChecked(this.db, experiment).experiment, actor, this.policy)
        : {}),
      details: { event: 'refused', attempted, reason: outcome.reason },
    });
    throw outcome;
  }
}
