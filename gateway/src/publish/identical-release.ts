// Why: the same inputs (view and column declarations, source version: so the same seed and data)
// give byte-identical synthetic Parquet, and re-releasing bytes already released and paid for
// reveals nothing new. Yet a view is rebuilt and charged whenever its published manifest does not
// show those inputs: a retry after a failed swap (the charge kept, the view never live), data that
// changed and changed back, a view folder removed. So every committed charge records, in publish's
// own table `publish_releases` (in the same transaction as the charge), the SHA-256 of the Parquet
// bytes it paid for; a later build whose bytes match a committed release of the same view, source
// and inputs gives its reservation back instead of being charged again. Fail closed: the
// reservation is still taken before synthesis, and any doubt — no recorded release, other bytes,
// other inputs, a charge not committed, a manifest that cannot be read — means charge.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ViewManifest } from '@privet/core';
import { ensureTables, hasTable, type Db } from '../audit/sqlite.js';
import { PUBLICATION_KEY } from './charge.js';
import { UnreadableManifestError } from './errors.js';
import { readManifest } from './layout.js';
import { sha256 } from './sha256.js';

/** The table of releases a committed publication charge paid for. */
const RELEASES = 'publish_releases';

/** What one synthetic release is: its view, source, inputs (plan hash) and Parquet bytes. */
export interface ReleaseKey {
  view: string;
  source: string;
  /** `<inputs hash>:<source version>`, as the charge's reservation records it. */
  planHash: string;
  /** SHA-256 of the Parquet bytes published. */
  parquetSha256: string;
}

/** Creates publish's release table unless it exists. */
function ensureReleaseTable(db: Db): void {
  ensureTables(db, [RELEASES], () =>
    db.exec(`CREATE TABLE IF NOT EXISTS ${RELEASES} (
      reservation TEXT PRIMARY KEY,
      view TEXT NOT NULL,
      source TEXT NOT NULL,
      plan_hash TEXT NOT NULL,
      parquet_sha256 TEXT NOT NULL,
      recorded_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX IF NOT EXISTS ${RELEASES}_key ON ${RELEASES} (view, source, plan_hash, parquet_sha256);`),
  );
}

/** Records that committed charge `reservation` paid for `key` (call in the charge's transaction). */
export function recordRelease(db: Db, reservation: string, key: ReleaseKey, at: Date): void {
  ensureReleaseTable(db);
  db.prepare(
    `INSERT INTO ${RELEASES} (reservation, view, source, plan_hash, parquet_sha256, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(reservation, key.view, key.source, key.planHash, key.parquetSha256, at.toISOString());
}

/**
 * Releases joined with the charge that paid for them, for one view, source and plan hash (the
 * first three parameters), kept to committed, unrefunded publication charges (the fourth) of the
 * same source and plan.
 */
const CHARGED_RELEASES = `FROM ${RELEASES} r JOIN ledger_reservations l ON l.id = r.reservation
  WHERE r.view = ? AND r.source = ? AND r.plan_hash = ?
    AND l.experiment = ? AND l.status = 'committed' AND l.refund_reason IS NULL
    AND l.source = r.source AND l.plan_hash = r.plan_hash`;

/** True when releases can have been recorded in `db` (its release and ledger tables exist). */
function hasReleases(db: Db): boolean {
  return hasTable(db, RELEASES) && hasTable(db, 'ledger_reservations');
}

/**
 * The committed publication charge that already paid for exactly `key` (same view, source, inputs
 * and Parquet bytes), or undefined: none recorded, or its charge is not a committed publication
 * charge of that source and plan.
 */
export function paidRelease(db: Db, key: ReleaseKey): string | undefined {
  if (!hasReleases(db)) return undefined;
  const row = db
    .prepare<[string, string, string, string, string], { reservation: string }>(
      `SELECT r.reservation ${CHARGED_RELEASES} AND r.parquet_sha256 = ?
       ORDER BY r.recorded_at, r.reservation LIMIT 1`,
    )
    .get(key.view, key.source, key.planHash, PUBLICATION_KEY, key.parquetSha256);
  return row?.reservation;
}

/** A committed charge that paid for a release from given inputs, and when it was recorded. */
export interface ChargedRelease {
  reservation: string;
  /** When the release was recorded (ISO 8601), with its charge. */
  recordedAt: string;
}

/**
 * The first committed charge that paid for a release of `key.view` from the same source and inputs
 * (`planHash`), whatever its bytes, or undefined — also when the view's published manifest cannot
 * be read, as then a rebuild is charged whatever its bytes (alreadyPaidFor). Inputs alone do not
 * decide a refund: a plan uses this to say one is expected; the publish refunds only matching bytes.
 */
export function chargedReleaseOf(
  db: Db,
  stateDir: string,
  key: Omit<ReleaseKey, 'parquetSha256'>,
): ChargedRelease | undefined {
  if (!hasReleases(db) || !manifestReadable(stateDir, key.view)) return undefined;
  const row = db
    .prepare<[string, string, string, string], { reservation: string; recorded_at: string }>(
      `SELECT r.reservation, r.recorded_at ${CHARGED_RELEASES} AND r.parquet_sha256 <> ''
       ORDER BY r.recorded_at, r.reservation LIMIT 1`,
    )
    .get(key.view, key.source, key.planHash, PUBLICATION_KEY);
  return row && { reservation: row.reservation, recordedAt: row.recorded_at };
}

/** False when view `view` has a published manifest that cannot be read (a rebuild is charged). */
function manifestReadable(stateDir: string, view: string): boolean {
  try {
    readManifest(stateDir, view);
    return true;
  } catch (err) {
    if (err instanceof UnreadableManifestError) return false;
    throw err;
  }
}

/** SHA-256 of the Parquet bytes staged in `dir` (the bytes the swap publishes). */
export function stagedParquetSha256(dir: string): string {
  return sha256(readFileSync(join(dir, 'data.parquet')));
}

/**
 * The committed charge that already paid for the staged release `key`, or undefined (charge it)
 * when there is none or any doubt: the staged bytes are not the ones its manifest names
 * (`manifestParquetHash`), or the view's published manifest cannot be read.
 */
export function alreadyPaidFor(
  db: Db,
  stateDir: string,
  key: ReleaseKey,
  manifestParquetHash: string,
): string | undefined {
  if (key.parquetSha256 !== manifestParquetHash) return undefined;
  if (!manifestReadable(stateDir, key.view)) return undefined;
  return paidRelease(db, key);
}

/**
 * Rewrites a staged manifest so its budget names the charge that paid for these bytes (`paidBy`)
 * and the reservation this publish gave back (`refunded`); returns the new manifest.
 */
export function markPaidBy(
  dir: string,
  manifest: ViewManifest,
  paidBy: string,
  refunded: string,
): ViewManifest {
  const privacy = manifest.privacy as { budget?: Record<string, unknown> } | undefined;
  const updated: ViewManifest = {
    ...manifest,
    privacy: {
      ...manifest.privacy,
      budget: { ...privacy?.budget, reservation: paidBy, refunded },
    },
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(updated, null, 2) + '\n');
  return updated;
}
