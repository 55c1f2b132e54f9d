// Why: a publish is all or nothing, so everything it has done so far — staged folders, pending
// reservations, views the audit log already names — is kept in one place: a failure undoes exactly
// that, and a success returns the staged and kept views from it.
import type { AuditedView } from './failure.js';
import type { ReleaseKey } from './identical-release.js';
import type { PublishResult } from './publish-types.js';

/** A view built into a temp folder and waiting for the swap (a synthetic one with its reservation). */
export interface StagedView {
  view: string;
  dir: string;
  result: PublishResult;
  reservation?: string;
  /** A synthetic view's `<inputs hash>:<source version>`, as its reservation records it. */
  planHash?: string;
  /** A synthetic view's release (its Parquet's SHA-256), set before the batch is journaled. */
  release?: ReleaseKey;
  /** The committed charge that already paid for these very bytes: `reservation` is refunded. */
  paidBy?: string;
}

/** A pending publication reservation and the view it is for. */
export interface PendingReservation {
  id: string;
  view: string;
}

/** What one publish has done so far. */
export interface PublishBatch {
  /** Views staged for the swap, masked first. */
  staged: StagedView[];
  /** Every temp folder this publish made (removed on failure). */
  tempDirs: string[];
  /** Reservations not yet committed (refunded on failure). */
  reservations: PendingReservation[];
  /** The reservation of a synthetic view whose synthesis failed after drawing noise (charged). */
  failedAfterNoise?: string;
  /** Synthetic views kept as published (same inputs). */
  kept: PublishResult[];
  /** Views the audit log already names as published or charged: a failure is recorded for each. */
  audited: AuditedView[];
  /** True once this publish wrote its batch journal (a failure then removes it). */
  journaled: boolean;
}

/** An empty batch, before anything is staged. */
export function newBatch(): PublishBatch {
  return { staged: [], tempDirs: [], reservations: [], kept: [], audited: [], journaled: false };
}
