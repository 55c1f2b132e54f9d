// Why: a synthetic view rebuilt from the same inputs gives the same Parquet bytes; when a committed
// charge already paid for those bytes (identical-release.ts), this publish refunds its own
// reservation instead of charging again, and says so in the audit log. The decision is taken before
// the batch is journaled (the staged manifest then names the charge that paid) and checked again in
// the batch's transaction, where the refund and its audit entry commit with everything else.
import type { AuditLog } from '../audit/log.js';
import type { Db } from '../audit/sqlite.js';
import { PublishError } from './errors.js';
import {
  alreadyPaidFor,
  markPaidBy,
  paidRelease,
  stagedParquetSha256,
} from './identical-release.js';
import type { PublishBatch, StagedView } from './publish-batch.js';
import type { LazyRecords } from './publish-records.js';

/**
 * Records each staged synthetic view's release (its Parquet's SHA-256) and marks the ones a
 * committed charge already paid for: their staged manifest then names that charge.
 */
export function findRepeatReleases(
  stateDir: string,
  records: LazyRecords,
  batch: PublishBatch,
): void {
  for (const s of batch.staged) {
    if (s.reservation === undefined || s.planHash === undefined) continue;
    const manifest = s.result.manifest;
    s.release = {
      view: s.view,
      source: manifest.source,
      planHash: s.planHash,
      parquetSha256: stagedParquetSha256(s.dir),
    };
    const paidBy = alreadyPaidFor(records.open().db, stateDir, s.release, manifest.parquetHash);
    if (paidBy === undefined) continue;
    s.paidBy = paidBy;
    s.result = {
      ...s.result,
      manifest: markPaidBy(s.dir, manifest, paidBy, s.reservation),
    };
  }
}

/**
 * In the batch's transaction: audits and refunds the reservation of a view whose bytes `paidBy`
 * already paid for; throws a PublishError (the batch fails, nothing is published) if that charge
 * no longer covers them.
 */
export function refundRepeatRelease(
  db: Db,
  audit: AuditLog,
  records: LazyRecords,
  actor: string,
  s: StagedView & { reservation: string; paidBy: string },
): void {
  if (!s.release || paidRelease(db, s.release) !== s.paidBy)
    throw new PublishError(
      s.view,
      `the release charge ${s.paidBy} paid for no longer matches its rebuilt Parquet, so it cannot be published uncharged`,
      'publish again (it is then charged)',
    );
  audit.append({
    actor,
    action: 'publish',
    subject: s.view,
    details: {
      step: 'identical',
      tier: 'synthetic',
      source: s.result.manifest.source,
      parquetHash: s.result.manifest.parquetHash,
      reservation: s.reservation,
      paidBy: s.paidBy,
    },
  });
  records
    .charges()
    .refund(s.reservation, s.view, `byte-identical to the release charge ${s.paidBy} paid for`);
}
