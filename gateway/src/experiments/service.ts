// Why: every transition reads, checks and writes the experiment and appends its audit entry in one
// BEGIN IMMEDIATE transaction, so concurrent gateways cannot both approve, or approve a dissolved
// experiment. Refusals are audited too, in their own transaction (the refused change rolls back).
// Deleting artefacts touches the file system, so it runs after the dissolution commits and is
// recorded separately; a crash in between is repaired by `purgeDueArtefacts`.
import type { Policy } from '@privet/core';
import {
  canTransition,
  type AuditAction,
  type Experiment,
  type LifecycleState,
} from '@privet/core/record/index';
import type { AuditLog } from '../audit/log.js';
import { ServiceError } from '../audit/service-error.js';
import { ensureTables, hasTable, immediate, type Db } from '../audit/sqlite.js';
import {
  canSeeExperiment,
  hasRole,
  isMember,
  refusalFiling,
  viewUseRefusal,
  type Actor,
} from './access.js';
import type { ArtefactStore } from './artefacts.js';
import {
  purgeReviewArtefacts,
  upgradeReviewTrigger,
  type ReviewPurgeCounts,
} from '../review/schema.js';
import { newExperimentId, validateProposal, type ProposalInput } from './proposal.js';
import { textRefusal } from '../text/control-chars.js';
import {
  ensureExperimentSchema,
  insertExperiment,
  loadDueForPurge,
  loadExperiments,
  readExperiment,
  saveExperiment,
} from './store.js';
import { ensureSealIndex, recordHashSync } from './seal.js';
import { readChecked, refuseTampered, type TamperedRow } from './record-refusal.js';
import { sealExistingRecords } from './seal-migrate.js';

/** What the experiment service needs. */
export interface ExperimentServiceOptions {
  audit: AuditLog;
  policy: Policy;
  artefacts: ArtefactStore;
  clock?: () => Date;
}

type Check = (e: Experiment) => ServiceError | undefined;
const DAY_MS = 86_400_000;

/** Experiments: proposal, four-eyes approval, lifecycle transitions, dissolution. */
export class ExperimentService {
  readonly db: Db;
  private readonly audit: AuditLog;
  private readonly policy: Policy;
  private readonly artefacts: ArtefactStore;
  private readonly clock: () => Date;

  constructor(options: ExperimentServiceOptions) {
    this.audit = options.audit;
    this.db = options.audit.db;
    this.policy = options.policy;
    this.artefacts = options.artefacts;
    this.clock = options.clock ?? (() => new Date());
    ensureTables(this.db, ['experiments'], () => ensureExperimentSchema(this.db));
    ensureSealIndex(this.db);
    // Records written before entries carried record hashes are sealed once (seal-migrate.ts).
    sealExistingRecords(this.audit);
  }

  /** An analyst or steward proposes an experiment; they become its owner. */
  propose(actor: Actor, input: ProposalInput): Experiment {
    const outcome = immediate(this.db, () => {
      if (!hasRole(actor, this.policy, 'analyst', 'steward')) {
        return forbidden(
          'experiment.role',
          `${actor.user} may not propose experiments`,
          'sign in as an analyst or steward',
        );
      }
      const now = this.clock().toISOString();
      let e = validateProposal(input, actor.user, this.policy, now);
      if (e instanceof ServiceError) return e;
      // An id taken by an experiment the proposer cannot see must not tell them it exists (a
      // refusal would, as GET answers it like an unknown id): the proposal gets a generated id,
      // which the answer carries. An experiment they can see is named as taken.
      const taken = readExperiment(this.db, e.id)?.experiment;
      if (taken && !this.canSee(actor, taken)) e = { ...e, id: newExperimentId() };
      if (!insertExperiment(this.db, e)) {
        return new ServiceError(
          'conflict',
          'experiment.exists',
          `experiment "${e.id}" already exists`,
          'choose another id or leave it out to get a generated one',
        );
      }
      this.audit.append({
        actor: actor.user,
        action: 'experiment.proposed',
        experiment: e.id,
        // What was proposed, in full, and the hash binding every later decision to this record.
        details: {
          title: e.title,
          purpose: e.purpose,
          dataCategories: e.dataCategories,
          views: e.views,
          members: e.members,
          analyses: e.analyses,
          expectedOutputs: e.expectedOutputs,
          recordHash: recordHashSync(e),
        },
      });
      return e;
    });
    return this.settle(actor, 'propose', input.id ?? '', outcome);
  }

  /** A steward who is not the owner or a member approves a proposal (four eyes). */
  approve(actor: Actor, id: string, note = ''): Experiment {
    return this.transition(
      actor,
      id,
      'approved',
      'experiment.approved',
      (e) => this.fourEyes(actor, e, 'approve') ?? noteRefusal(note),
      (e) => {
        e.decidedBy = actor.user;
        if (note) e.decisionNote = note;
      },
      note ? { note } : {},
    );
  }

  /** A steward who is not the owner or a member rejects a proposal, with a reason. */
  reject(actor: Actor, id: string, reason: string): Experiment {
    return this.transition(
      actor,
      id,
      'rejected',
      'experiment.rejected',
      (e) => this.fourEyes(actor, e, 'reject') ?? noteRefusal(reason),
      (e) => {
        e.decidedBy = actor.user;
        e.decisionNote = reason;
      },
      { reason },
    );
  }

  /** The owner (or a steward) starts an approved experiment. */
  start(actor: Actor, id: string): Experiment {
    return this.transition(actor, id, 'running', 'experiment.started', (e) =>
      this.ownerOrSteward(actor, e, 'start'),
    );
  }

  /** The owner (or a steward) ends data access and moves to evaluation. */
  evaluate(actor: Actor, id: string): Experiment {
    return this.transition(actor, id, 'evaluation', 'experiment.evaluation', (e) =>
      this.ownerOrSteward(actor, e, 'move to evaluation'),
    );
  }

  /**
   * The owner or a steward dissolves the experiment: access is revoked at once; derived artefacts
   * are deleted now when the policy keeps them 0 days, else by `purgeDueArtefacts` when due.
   */
  async dissolve(actor: Actor, id: string, reason = ''): Promise<Experiment> {
    const days = this.policy.retention.derived_artefacts_days;
    const e = this.transition(
      actor,
      id,
      'dissolved',
      'experiment.dissolved',
      (x) => this.ownerOrSteward(actor, x, 'dissolve') ?? noteRefusal(reason),
      (x, now) => {
        x.dissolvedAt = now;
        x.artefactsDueAt = new Date(Date.parse(now) + days * DAY_MS).toISOString();
        if (reason) x.decisionNote = reason;
      },
      reason ? { reason } : {},
    );
    if (days === 0) await this.purgeDueArtefacts();
    return readExperiment(this.db, e.id)?.experiment ?? e;
  }

  /** Deletes artefacts of dissolved experiments whose retention has ended; returns what was removed. */
  async purgeDueArtefacts(): Promise<{ experiment: string; files: number }[]> {
    const done: { experiment: string; files: number }[] = [];
    const due = loadDueForPurge(this.db, this.clock().toISOString());
    for (const e of due) {
      const files = await this.artefacts.remove(e.id);
      immediate(this.db, () => {
        // Deleting is never refused, but a row changed outside the gateway is not sealed again:
        // it stays reported (and refused) until a steward restores it.
        const found = readExperiment(this.db, e.id);
        if (!found || found.experiment.artefactsDeletedAt) return;
        const cur = found.experiment;
        cur.artefactsDeletedAt = this.clock().toISOString();
        saveExperiment(this.db, cur);
        const counts = deleteReviewArtefacts(this.db, e.id);
        this.audit.append({
          actor: 'gateway',
          action: 'experiment.artefacts_deleted',
          experiment: e.id,
          details: {
            files,
            ...counts,
            ...(found.seal === 'sealed' ? { recordHash: recordHashSync(cur) } : {}),
          },
        });
      });
      done.push({ experiment: e.id, files });
    }
    return done;
  }

  /**
   * Throws (and audits the refusal) unless the actor may use `view` in the experiment right now:
   * a member with the analyst or steward role, the experiment approved or running, the view among
   * those approved. A granted access is audited too unless `audit: false` (when the caller records
   * it itself, e.g. the ledger's query entry).
   */
  assertCanUseView(
    actor: Actor,
    experimentId: string,
    view: string,
    options: { audit?: boolean } = {},
  ): Experiment {
    const read = readChecked(this.db, experimentId);
    const e = read.experiment;
    // The rule on the experiment as an unknown id when its row does not match the audit log: a
    // stranger learns nothing of the id; those who may see it are told the row was changed.
    const refusal = viewUseRefusal(e, experimentId, actor, view, this.policy);
    if (read.tampered)
      throw this.refuseTampered(actor, read.tampered, 'access.refused', refusal, { subject: view });
    if (refusal || !e) {
      const err =
        refusal ??
        new ServiceError('internal', 'experiment.unknown', 'experiment vanished', 'retry');
      this.audit.append({
        actor: actor.user,
        action: 'access.refused',
        ...refusalFiling(e, actor, this.policy),
        subject: view,
        details: { reason: err.reason, requested: experimentId.slice(0, 200) },
      });
      throw err;
    }
    if (options.audit ?? true) {
      this.audit.append({
        actor: actor.user,
        action: 'view.access',
        experiment: experimentId,
        subject: view,
      });
    }
    return e;
  }

  /** One experiment, if the actor may see it (members, reviewers, stewards) and it matches the audit log. */
  get(actor: Actor, id: string): Experiment {
    const read = readChecked(this.db, id);
    if (read.tampered)
      throw this.refuseTampered(actor, read.tampered, 'experiment.refused', notVisible(id, actor));
    if (!read.experiment || !this.canSee(actor, read.experiment)) throw notVisible(id, actor);
    return read.experiment;
  }

  /** Experiments the actor may see. */
  list(actor: Actor): Experiment[] {
    return loadExperiments(this.db).filter((e) => this.canSee(actor, e));
  }

  /** Audits the refusal of a row that does not match the audit log; returns what to throw. */
  private refuseTampered(
    actor: Actor,
    tampered: TamperedRow,
    action: 'access.refused' | 'experiment.refused',
    unknown: ServiceError | undefined,
    on: { subject?: string; attempted?: string } = {},
  ): ServiceError {
    return refuseTampered({
      audit: this.audit,
      policy: this.policy,
      action,
      actor,
      service: 'experiments',
      tampered,
      unknown,
      ...(on.subject === undefined ? {} : { subject: on.subject }),
      ...(action === 'experiment.refused'
        ? { details: { attempted: on.attempted ?? 'read' } }
        : {}),
    });
  }

  private canSee(actor: Actor, e: Experiment): boolean {
    return canSeeExperiment(e, actor, this.policy);
  }

  private fourEyes(actor: Actor, e: Experiment, verb: string): ServiceError | undefined {
    if (!hasRole(actor, this.policy, 'steward')) {
      return forbidden(
        'experiment.role',
        `only a steward may ${verb} experiment "${e.id}"; ${actor.user} is not one`,
        'ask a data steward',
      );
    }
    if (isMember(e, actor.user)) {
      return forbidden(
        'experiment.four-eyes',
        `${actor.user} may not ${verb} experiment "${e.id}" because they own or work in it (four-eyes rule)`,
        'ask another steward (four-eyes rule)',
      );
    }
    return undefined;
  }

  private ownerOrSteward(actor: Actor, e: Experiment, verb: string): ServiceError | undefined {
    if (e.owner === actor.user || hasRole(actor, this.policy, 'steward')) return undefined;
    return forbidden(
      'experiment.role',
      `only the owner (${e.owner}) or a steward may ${verb} experiment "${e.id}"`,
      'ask the owner or a steward',
    );
  }

  private transition(
    actor: Actor,
    id: string,
    to: LifecycleState,
    action: AuditAction,
    check: Check,
    mutate?: (e: Experiment, now: string) => void,
    said: { note?: string; reason?: string } = {},
  ): Experiment {
    let audited = false;
    const outcome = immediate(this.db, () => {
      // A row changed outside the gateway is not decided on: a decision would seal the change. Its
      // refusal is audited here, in this transaction (it commits: the refusal is returned).
      const read = readChecked(this.db, id);
      if (read.tampered) {
        audited = true;
        const unknown = notVisible(id, actor);
        return this.refuseTampered(actor, read.tampered, 'experiment.refused', unknown, {
          attempted: to,
        });
      }
      // Someone else's experiment answers as an unknown id does: a role refusal would name its
      // owner and tell any analyst which ids exist.
      const e = read.experiment;
      if (!e || !this.canSee(actor, e)) return notVisible(id, actor);
      const refusal = check(e);
      if (refusal) return refusal;
      if (!canTransition(e.state, to)) {
        return new ServiceError(
          'conflict',
          'experiment.bad-transition',
          `experiment "${id}" is ${e.state} and cannot become ${to}`,
          nextStepsFix(e.state),
        );
      }
      const now = this.clock().toISOString();
      const next: Experiment = { ...e, state: to, updatedAt: now };
      mutate?.(next, now);
      saveExperiment(this.db, next);
      this.audit.append({
        actor: actor.user,
        action,
        experiment: id,
        details: { from: e.state, to, recordHash: recordHashSync(next), ...said },
      });
      return next;
    });
    return this.settle(actor, to, id, outcome, audited);
  }

  /** Returns the experiment, or audits the refusal and throws it. */
  private settle(
    actor: Actor,
    attempted: string,
    id: string,
    outcome: Experiment | ServiceError,
    audited = false,
  ): Experiment {
    if (!(outcome instanceof ServiceError)) return outcome;
    if (audited) throw outcome;
    this.audit.append({
      actor: actor.user,
      action: 'experiment.refused',
      // Filed under the experiment only for those who may see it (no planting, no probing).
      ...(id ? refusalFiling(readExperiment(this.db, id)?.experiment, actor, this.policy) : {}),
      details: { attempted, reason: outcome.reason },
    });
    throw outcome;
  }
}

/** The answer for an id that is unknown or not visible to the actor (the same for both). */
function notVisible(id: string, actor: Actor): ServiceError {
  return new ServiceError(
    'not_found',
    'experiment.unknown',
    `there is no experiment "${id}" visible to ${actor.user}`,
    'check the id with `privet experiment list`',
  );
}

/** A refusal when a decision or dissolution note holds control characters (it may span lines). */
function noteRefusal(note: string): ServiceError | undefined {
  const refusal = textRefusal('"note"', note, 'lines');
  return (
    refusal && new ServiceError('bad_request', 'experiment.bad-note', refusal.message, refusal.fix)
  );
}

function forbidden(reason: string, message: string, fix: string): ServiceError {
  return new ServiceError('forbidden', reason, message, fix);
}

function nextStepsFix(state: LifecycleState): string {
  const next: Record<LifecycleState, string> = {
    proposal: 'a steward must approve or reject it first',
    approved: 'start it, or dissolve it',
    running: 'move it to evaluation, or dissolve it',
    evaluation: 'dissolve it when the evaluation is done',
    dissolved: 'it is closed; propose a new experiment',
    rejected: 'it is closed; propose a revised experiment',
  };
  return next[state];
}

/**
 * Deletes what review requests in an experiment hold of its data, in the caller's transaction: the
 * outputs submitted for review (the flagged originals), each request's redacted preview and cell
 * code, the labels its findings quote, and its comments' texts. The requests stay (rule ids, counts,
 * decisions), as the record of what was decided. Returns how many of each.
 */
function deleteReviewArtefacts(
  db: Db,
  experiment: string,
): { reviewOutputs: number } & ReviewPurgeCounts {
  if (!hasTable(db, 'review_outputs'))
    return { reviewOutputs: 0, reviewPreviews: 0, reviewFindings: 0, reviewComments: 0 };
  upgradeReviewTrigger(db);
  const reviewOutputs = db
    .prepare<[string]>(
      'DELETE FROM review_outputs WHERE request_id IN (SELECT id FROM review_requests WHERE experiment = ?)',
    )
    .run(experiment).changes;
  return { reviewOutputs, ...purgeReviewArtefacts(db, experiment) };
}
