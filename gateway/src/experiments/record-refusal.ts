// Why: a row that no longer matches the audit log (seal.ts) is refused by every service that reads
// it, and each such refusal is on the record the same way from every path: one entry naming the
// refusal, who asked, the experiment and the service that refused. Only those who may see the
// experiment (its members, reviewers and stewards) are told; anyone else gets the answer the path
// gives for an id that does not exist, so a changed row never tells a stranger that the id exists.
// Who may see it is read from the row as stored: it is the only membership there is to go by, and a
// caller the change added learns no more than that the row was changed.
import type { Policy } from '@privet/core';
import type { AuditAction, Experiment, JsonValue } from '@privet/core/record/index';
import type { AuditLog } from '../audit/log.js';
import { ServiceError } from '../audit/service-error.js';
import type { Db } from '../audit/sqlite.js';
import { canSeeExperiment, refusalFiling, type Actor } from './access.js';
import { readExperiment, rowRefusal } from './store.js';

/** A service that reads experiment rows and refuses those that do not match the audit log. */
export type RecordReader = 'experiments' | 'ledger' | 'export' | 'leak' | 'review' | 'dp';

/** The audit actions a refused request is recorded under. */
export type RefusalAction = Extract<
  AuditAction,
  'access.refused' | 'query.refused' | 'export.refused' | 'experiment.refused'
>;

/** A stored row that does not match the audit log. */
export interface TamperedRow {
  /** The experiment id asked for. */
  id: string;
  /** The row as stored: never trusted or echoed; only who may see it is read from it. */
  row: Experiment;
  /** The refusal that names the row's state and how to fix it (record-mismatch or -unaudited). */
  refusal: ServiceError;
  /** The seq of the seal entry the row matched, when that entry is not vouched for (seal-mac.ts). */
  sealEntry?: number;
}

/** An experiment read to decide with: the experiment only while its row matches the audit log. */
export interface CheckedRead {
  /** Undefined when there is no such row or it does not match: decide as for an unknown id. */
  experiment: Experiment | undefined;
  /** Set when the row exists but does not match the audit log. */
  tampered?: TamperedRow;
}

/** Reads experiment `id` for a decision; never throws for a changed row (see CheckedRead). */
export function readChecked(db: Db, id: string): CheckedRead {
  const found = readExperiment(db, id);
  if (!found) return { experiment: undefined };
  const refusal = rowRefusal(id, found);
  if (!refusal) return { experiment: found.experiment };
  const sealEntry = found.seal === 'forged' ? { sealEntry: found.forged.seq } : {};
  return { experiment: undefined, tampered: { id, row: found.experiment, refusal, ...sealEntry } };
}

/** One refusal of a changed row: where it is recorded and what the path answers otherwise. */
export interface TamperedRefusal {
  audit: AuditLog;
  policy: Policy;
  action: RefusalAction;
  actor: Actor;
  service: RecordReader;
  tampered: TamperedRow;
  /**
   * What this path answers for an id that does not exist, given to callers who may not see the
   * experiment (undefined: a plain "no experiment visible to you").
   */
  unknown: ServiceError | undefined;
  subject?: string;
  /** Details of the request kept with the entry (never data values). */
  details?: { [key: string]: JsonValue };
}

/**
 * Appends the one audit entry of a refused changed row (`reason`: the record refusal, `sealEntry`:
 * the forged seal entry the row matched, if that is why, `service`, `requested`: the id, and
 * `answered` when the caller was told something else) and returns the
 * refusal to throw: the record refusal for those who may see the experiment, else `unknown`.
 */
export function refuseTampered(r: TamperedRefusal): ServiceError {
  const { tampered, actor, policy } = r;
  const answer = canSeeExperiment(tampered.row, actor, policy)
    ? tampered.refusal
    : (r.unknown ?? notVisible(tampered.id, actor.user));
  r.audit.append({
    actor: actor.user,
    action: r.action,
    ...refusalFiling(tampered.row, actor, policy),
    ...(r.subject === undefined ? {} : { subject: r.subject }),
    details: {
      ...r.details,
      reason: tampered.refusal.reason,
      ...(tampered.sealEntry === undefined ? {} : { sealEntry: tampered.sealEntry }),
      service: r.service,
      requested: tampered.id.slice(0, 200),
      ...(answer === tampered.refusal ? {} : { answered: answer.reason }),
    },
  });
  return answer;
}

/** True for the refusal of a row that does not match the audit log (from `loadExperiment`). */
export function isRecordRefusal(error: unknown): error is ServiceError {
  return (
    error instanceof ServiceError &&
    (error.reason === 'experiment.record-mismatch' ||
      error.reason === 'experiment.record-unaudited')
  );
}

function notVisible(id: string, user: string): ServiceError {
  return new ServiceError(
    'not_found',
    'experiment.unknown',
    `there is no experiment "${id}" visible to ${user}`,
    'check the id with `privet experiment list`',
  );
}

/**
 * Runs `work`, a service call that reads experiment `id` through `loadExperiment` (which throws the
 * record refusal unaudited, to anyone): such a refusal is audited and answered as by
 * `refuseTampered` instead. Anything else `work` throws passes through.
 */
export function withRecordRefusal<T>(
  r: Omit<TamperedRefusal, 'tampered'> & { db: Db; id: string },
  work: () => T,
): T {
  try {
    return work();
  } catch (error) {
    const tampered = isRecordRefusal(error) ? readChecked(r.db, r.id).tampered : undefined;
    if (!tampered) throw error;
    throw refuseTampered({ ...r, tampered });
  }
}
