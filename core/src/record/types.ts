/**
 * Record types shared by the gateway and every host: experiments, their lifecycle, budget charges
 * and audit-log entries. Amounts are exact rational strings ("1/3", "3"), never floats.
 */

/** A JSON value as stored in audit details (finite numbers only). */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Lifecycle of an experiment; `rejected` is the terminal state of a refused proposal. */
export type LifecycleState =
  'proposal' | 'approved' | 'running' | 'evaluation' | 'dissolved' | 'rejected';

/** Every lifecycle state, in lifecycle order. */
export const LIFECYCLE_STATES: readonly LifecycleState[] = [
  'proposal',
  'approved',
  'running',
  'evaluation',
  'dissolved',
  'rejected',
];

/** An experiment: the unit of purpose, access and budget. */
export interface Experiment {
  /** Stable id, `^[a-z0-9][a-z0-9_-]{0,62}$` (safe as a folder name). */
  id: string;
  title: string;
  purpose: string;
  /** Kinds of personal data the experiment needs, e.g. `health`, `income`. */
  dataCategories: string[];
  /** Policy views the experiment may use once approved. */
  views: string[];
  /**
   * Analyses the members say they will run, e.g. `counts`, `mean income by city`: free text the
   * approver and reviewers read as the stated purpose. Not a permission the gateway enforces —
   * what members can do is set by `views` (each view's tier), the budgets and the output review.
   */
  analyses: string[];
  /** Outputs the members expect to take out, e.g. `report`, `figure`. */
  expectedOutputs: string[];
  /** The user who proposed it. */
  owner: string;
  /** Other users who may work in it (the owner is always a member). */
  members: string[];
  state: LifecycleState;
  createdAt: string;
  updatedAt: string;
  /** The steward who approved or rejected the proposal. */
  decidedBy?: string;
  /** The steward's note (approval) or reason (rejection). */
  decisionNote?: string;
  dissolvedAt?: string;
  /** When derived artefacts are (or were) due for deletion, per the policy's retention. */
  artefactsDueAt?: string;
  artefactsDeletedAt?: string;
}

/** Status of a budget reservation. */
export type ChargeStatus = 'pending' | 'committed' | 'refunded';

/** One reservation against a budget and what became of it. */
export interface Charge {
  reservationId: string;
  experiment: string;
  source: string;
  /** Who ran the query. */
  user: string;
  /** Exact rational strings. */
  epsilon: string;
  delta: string;
  rho?: string;
  /** The query text as the analyst wrote it. */
  query: string;
  /** Hash of the compiled plan, binding the charge to what actually ran. */
  planHash: string;
  status: ChargeStatus;
  reservedAt: string;
  /** When it was committed or refunded. */
  closedAt?: string;
  releaseId?: string;
  refundReason?: string;
}

/** Kinds of audited events. */
export type AuditAction =
  | 'view.access'
  | 'view.ticket'
  | 'access.refused'
  | 'query.reserved'
  | 'query.refused'
  | 'query.refunded'
  | 'release'
  | 'export'
  | 'export.refused'
  | 'review'
  | 'leak.check'
  | 'audit.pruned'
  | 'audit.keyed'
  | 'audit.restored'
  | 'publish'
  | 'experiment.proposed'
  | 'experiment.approved'
  | 'experiment.rejected'
  | 'experiment.started'
  | 'experiment.evaluation'
  | 'experiment.dissolved'
  | 'experiment.refused'
  | 'experiment.artefacts_deleted'
  | 'experiment.record-sealed'
  | 'ledger.recovered'
  | 'token.issued'
  | 'token.revoked'
  | 'token.recovered';

/** What a caller supplies to append an audit entry. */
export interface AuditInput {
  actor: string;
  action: AuditAction;
  experiment?: string;
  /** What the action was about: a view, reservation id, release id, file… */
  subject?: string;
  /** Structured details; never raw data values. */
  details?: { [key: string]: JsonValue };
}

/** The hashed part of an audit entry. */
export interface AuditBody {
  /** 0-based position in the log. */
  seq: number;
  /** ISO-8601 time of writing. */
  at: string;
  actor: string;
  action: AuditAction;
  experiment: string | null;
  subject: string | null;
  details: { [key: string]: JsonValue };
  /** Hash of the previous entry (GENESIS_HASH for the first). */
  prevHash: string;
}

/** A stored audit entry: its body and SHA-256 of the body's canonical JSON (hex). */
export interface AuditEntry extends AuditBody {
  hash: string;
}
