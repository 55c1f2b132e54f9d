// Why: a staged batch goes live in three steps that a crash may separate. It is journaled as
// `prepared` before anything is audited or charged: recovery rolls the batch forward once the
// transaction below committed and drops it otherwise (prepared.ts), so after a crash at any point
// every entry written here names the live version or is followed by a `failed` entry. Then one
// transaction appends every masked view's `published` entry (before any view is renamed into place:
// analysts download them, so a published view is never unaudited) and commits every charge (a view
// is never visible unpaid), all or none — and records the Parquet SHA-256 each charge paid for, or
// refunds a view whose bytes a committed charge already paid for (repeat-release.ts). Last, the
// views are swapped in.
import { randomUUID } from 'node:crypto';
import { immediate } from '../audit/sqlite.js';
import { recordRelease } from './identical-release.js';
import { prepareBatch, swapInBatch } from './layout.js';
import type { PublishBatch, StagedView } from './publish-batch.js';
import type { LazyRecords } from './publish-records.js';
import type { PublishProgress } from './publish-types.js';
import { findRepeatReleases, refundRepeatRelease } from './repeat-release.js';

/** What committing a batch needs besides the batch itself. */
export interface CommitContext {
  stateDir: string;
  /** Who publishes (actor of the audit entries). */
  actor: string;
  records: LazyRecords;
  progress: (event: PublishProgress) => void;
  batch: PublishBatch;
}

/** Journals, audits and charges, then swaps in every staged view of the batch (see above). */
export function commitBatch(ctx: CommitContext): void {
  const suffix = randomUUID().replaceAll('-', '');
  findRepeatReleases(ctx.stateDir, ctx.records, ctx.batch);
  journalBatch(ctx, suffix);
  auditAndCharge(ctx);
  const { batch, progress } = ctx;
  swapInBatch(ctx.stateDir, batch.staged, suffix);
  batch.audited.length = 0; // every audited version is live now: nothing left to correct
  for (const s of batch.staged) {
    progress({
      view: s.view,
      step: 'swapped',
      rows: s.result.rows,
      rowsSuppressed: s.result.rowsSuppressed,
    });
  }
}

/** Writes the batch journal marked `prepared` (nothing to do for an empty batch). */
function journalBatch(ctx: CommitContext, suffix: string): void {
  const { batch } = ctx;
  if (batch.staged.length === 0) return;
  const head = ctx.records.open().audit.head();
  prepareBatch(
    ctx.stateDir,
    batch.staged.map((s) => ({
      view: s.view,
      dir: s.dir,
      audit: {
        tier: s.result.manifest.tier,
        parquetHash: s.result.manifest.parquetHash,
        publishedAt: s.result.manifest.publishedAt,
        ...(s.reservation ? { reservation: s.reservation } : {}),
      },
    })),
    suffix,
    { actor: ctx.actor, auditHead: head?.seq ?? -1 },
  );
  batch.journaled = true;
}

/**
 * One transaction: the masked views' `published` entries, the synthetic views' charges with the
 * release each paid for, and the refunds of repeat releases.
 */
function auditAndCharge(ctx: CommitContext): void {
  const { batch, progress } = ctx;
  const masked = batch.staged.filter((s) => s.result.manifest.tier === 'masked');
  const paid = batch.staged.filter((s) => s.reservation !== undefined && s.paidBy === undefined);
  const repeats = batch.staged.filter(
    (s): s is StagedView & { reservation: string; paidBy: string } =>
      s.reservation !== undefined && s.paidBy !== undefined,
  );
  if (batch.staged.length > 0) {
    const { db, audit } = ctx.records.open();
    immediate(db, () => {
      for (const s of masked) {
        const m = s.result.manifest;
        audit.append({
          actor: ctx.actor,
          action: 'publish',
          subject: s.view,
          details: {
            step: 'published',
            tier: 'masked',
            source: m.source,
            sourceHash: m.sourceHash,
            policyHash: m.policyHash,
            parquetHash: m.parquetHash,
            rows: m.rows,
            rowsSuppressed: m.rowsSuppressed,
          },
        });
      }
      const now = new Date();
      for (const s of paid) {
        ctx.records.charges().commit(s.reservation ?? '', s.view);
        if (s.release) recordRelease(db, s.reservation ?? '', s.release, now);
      }
      for (const s of repeats) refundRepeatRelease(db, audit, ctx.records, ctx.actor, s);
    });
    batch.audited.push(
      ...[...masked, ...repeats].map((s) => ({ view: s.view, manifest: s.result.manifest })),
    );
  }
  for (const s of repeats) dropReservation(batch, s.reservation);
  for (const s of paid) {
    batch.audited.push({ view: s.view, manifest: s.result.manifest, reservation: s.reservation });
    dropReservation(batch, s.reservation);
    progress({ view: s.view, step: 'charged', rows: s.result.rows });
  }
}

/** Forgets a reservation the transaction settled (a later failure must not refund it again). */
function dropReservation(batch: PublishBatch, id: string | undefined): void {
  batch.reservations.splice(
    batch.reservations.findIndex((r) => r.id === id),
    1,
  );
}
