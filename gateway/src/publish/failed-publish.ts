// Why: a failed publish must leave no trace but an honest one: its temp folders, journal and pending
// reservations go (cleanup.ts), the views folder is put back in order, every view the audit log
// already names gets its `failed` follow-up (failure.ts), and the error says when the failed view's
// budget was charged anyway (its synthesis had drawn noise), so the publisher does not expect it back.
import { SynthError } from '@privet/core/synth/errors';
import { cleanUpFailedPublish, incompleteCleanupError } from './cleanup.js';
import { PublishError } from './errors.js';
import { auditPublishFailure, type AuditedView } from './failure.js';
import { journalPath } from './journal.js';
import { recoverViews, viewsDir } from './layout.js';
import type { PublishBatch } from './publish-batch.js';
import type { LazyRecords } from './publish-records.js';
import type { PublishRecords } from './publish-types.js';

/** What settling a failed publish needs. */
export interface FailedPublishContext {
  stateDir: string;
  /** Who published (actor of the `failed` entries). */
  actor: string;
  records: LazyRecords;
  batch: PublishBatch;
}

/** Cleans up after a publish that failed with `err`; returns the error the publish should throw. */
export function settleFailedPublish(ctx: FailedPublishContext, err: unknown): unknown {
  const { batch, stateDir } = ctx;
  // Each step on its own (cleanup.ts): a refund failing on a full disk still lets the temp
  // folders go, and the error says what was left undone.
  const cleanup = cleanUpFailedPublish({
    err,
    journal: batch.journaled ? journalPath(viewsDir(stateDir)) : undefined,
    tempDirs: batch.tempDirs,
    reservations: batch.reservations,
    failedAfterNoise: batch.failedAfterNoise,
    charges: ctx.records.chargesIfOpened(),
  });
  tryRecoverViews(stateDir);
  let failure: unknown = err;
  try {
    if (batch.audited.length > 0)
      recordFailure(stateDir, ctx.records.open(), ctx.actor, batch.audited, err);
  } catch (auditErr) {
    failure = auditErr;
  }
  if (cleanup.problems.length > 0) return incompleteCleanupError(failure, cleanup.problems);
  if (failure !== err) return failure;
  const chargedView = cleanup.chargedView;
  // Say so when the failed view was charged: the publisher must not expect the budget back.
  if (chargedView !== undefined) {
    const { what, fix } = whatAndFix(err);
    return new PublishError(
      chargedView,
      `${what} — its publication budget was charged, as the synthesis had drawn noise before it failed`,
      fix,
    );
  }
  return err;
}

/** What a failure says happened and how to fix it, from the error's own fields when it has them. */
function whatAndFix(err: unknown): { what: string; fix: string } {
  if (err instanceof SynthError || err instanceof PublishError) return err;
  return {
    what: err instanceof Error ? err.message : 'the synthesis failed',
    fix: 'fix the cause and publish again',
  };
}

/** Puts the views folder in order after a failure (best effort: the next publish does it again). */
function tryRecoverViews(stateDir: string): void {
  try {
    recoverViews(stateDir);
  } catch {
    // The failure entries then report what is on disk; the next publish runs recoverViews first.
  }
}

/** Appends the `failed` follow-ups; if that fails too, throws both errors together. */
function recordFailure(
  stateDir: string,
  records: PublishRecords,
  actor: string,
  audited: readonly AuditedView[],
  err: unknown,
): void {
  try {
    auditPublishFailure(records, stateDir, actor, audited, err);
  } catch (auditErr) {
    const text = (e: unknown) => (e instanceof Error ? e.message : String(e));
    throw new AggregateError(
      [err, auditErr],
      `${text(err)}; also, the audit entries recording that ${audited.map((a) => a.view).join(', ')} ` +
        `did not go live could not be written (${text(auditErr)}). Fix: check the state database ` +
        `(privet audit verify), then publish again`,
    );
  }
}
