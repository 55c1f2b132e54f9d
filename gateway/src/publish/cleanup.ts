// Why: a publish that fails often fails because the disk is full, and then its cleanup steps fail
// too (a refund is a SQLite write). Each step therefore runs on its own: the temp folders go first
// (they free space and must not be left behind), then the batch journal (so recovery does not roll
// forward a batch this failure audits), then each reservation is refunded or charged. What could not
// be done is reported with the original error, saying how to finish it.
import { rmSync } from 'node:fs';
import type { PublicationLedger } from './charge.js';

/** What a failed publish leaves to clean up. */
export interface FailedPublish {
  /** The error the publish failed with. */
  err: unknown;
  /** The batch journal this publish wrote, if it wrote one. */
  journal?: string;
  /** Its temp (staged) folders. */
  tempDirs: readonly string[];
  /** Its reservations still pending. */
  reservations: readonly { id: string; view: string }[];
  /** The reservation whose synthesis failed after drawing noise (charged, not refunded). */
  failedAfterNoise?: string;
  charges?: PublicationLedger;
}

/** What the cleanup did: the view charged for a failure after noise, and what it could not do. */
export interface Cleanup {
  chargedView?: string;
  /** One line per step that failed (paths and view names, no data values). */
  problems: string[];
}

const text = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Removes a failed publish's temp folders and journal and settles its reservations, step by step. */
export function cleanUpFailedPublish(failed: FailedPublish): Cleanup {
  const problems: string[] = [];
  for (const dir of failed.tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      problems.push(`its temp folder ${dir} could not be removed (${text(e)})`);
    }
  }
  if (failed.journal) {
    try {
      rmSync(failed.journal, { force: true });
    } catch (e) {
      problems.push(`its batch journal ${failed.journal} could not be removed (${text(e)})`);
    }
  }
  const reason = failed.err instanceof Error ? failed.err.message : 'publish failed';
  let chargedView: string | undefined;
  for (const r of failed.reservations) {
    const charge = r.id === failed.failedAfterNoise;
    try {
      if (charge) failed.charges?.chargeFailed(r.id, r.view, reason);
      else failed.charges?.refund(r.id, r.view, reason);
      if (charge) chargedView = r.view;
    } catch (e) {
      problems.push(
        `the publication charge ${r.id} of view "${r.view}" could not be ${charge ? 'charged' : 'given back'} (${text(e)})`,
      );
    }
  }
  return chargedView === undefined ? { problems } : { chargedView, problems };
}

/**
 * The error of a publish whose cleanup was incomplete: the publish's own error, what the cleanup
 * could not do, and how to finish it.
 */
export function incompleteCleanupError(err: unknown, problems: readonly string[]): AggregateError {
  return new AggregateError(
    [err],
    `${text(err)}; also, cleaning up after the failed publish did not finish: ${problems.join('; ')}. ` +
      `Fix: free disk space or fix the cause above, then restart the gateway (it gives back publication ` +
      `charges left pending by a process that ended) and publish again; the next publish removes ` +
      `leftover temp folders`,
  );
}
