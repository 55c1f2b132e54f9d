/**
 * Ledger tables. Amounts are exact rational strings ("1/10"), never REAL. `ledger_totals` keeps
 * running sums per budget so a reservation reads one row instead of summing every past charge;
 * `checkLedgerConsistency` recomputes them from the reservations. Triggers make a closed
 * (committed or refunded) reservation immutable and forbid deleting reservations.
 * `ledger_release_digests` keeps, per released DP value, the SHA-256 of its content, written in
 * the transaction that commits its charge: a release id vouches only for those exact numbers.
 */
import type { Db } from '../audit/sqlite.js';

/** The ledger's tables (for `ensureTables`: a database missing any of them gets the schema). */
export const LEDGER_TABLE_NAMES = [
  'ledger_reservations',
  'ledger_totals',
  'ledger_release_digests',
] as const;

/** Creates the ledger tables if they do not exist. */
export function ensureLedgerSchema(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS ledger_reservations (
      id TEXT PRIMARY KEY,
      experiment TEXT NOT NULL,
      source TEXT NOT NULL,
      user TEXT NOT NULL,
      scope_user TEXT NOT NULL,
      epsilon TEXT NOT NULL,
      delta TEXT NOT NULL,
      rho TEXT,
      query TEXT NOT NULL,
      plan_hash TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'committed', 'refunded')),
      reserved_at TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      owner_host TEXT NOT NULL,
      owner_pid INTEGER NOT NULL,
      owner_started TEXT NOT NULL,
      owner_instance TEXT NOT NULL,
      closed_at TEXT,
      release_id TEXT UNIQUE,
      refund_reason TEXT
    ) STRICT;
    CREATE INDEX IF NOT EXISTS ledger_pending ON ledger_reservations (status, expires_at);
    CREATE INDEX IF NOT EXISTS ledger_budget ON ledger_reservations (experiment, source, scope_user);
    CREATE TRIGGER IF NOT EXISTS ledger_closed_is_final BEFORE UPDATE ON ledger_reservations
      WHEN OLD.status <> 'pending'
      BEGIN SELECT RAISE(ABORT, 'a committed or refunded reservation cannot change'); END;
    CREATE TRIGGER IF NOT EXISTS ledger_no_delete BEFORE DELETE ON ledger_reservations
      BEGIN SELECT RAISE(ABORT, 'ledger reservations cannot be deleted'); END;
    CREATE TABLE IF NOT EXISTS ledger_release_digests (
      release_id TEXT PRIMARY KEY,
      digest TEXT NOT NULL
    ) STRICT;
    CREATE TRIGGER IF NOT EXISTS ledger_digest_is_final BEFORE UPDATE ON ledger_release_digests
      BEGIN SELECT RAISE(ABORT, 'a release digest cannot change'); END;
    CREATE TRIGGER IF NOT EXISTS ledger_digest_no_delete BEFORE DELETE ON ledger_release_digests
      BEGIN SELECT RAISE(ABORT, 'release digests cannot be deleted'); END;
    CREATE TABLE IF NOT EXISTS ledger_totals (
      experiment TEXT NOT NULL,
      source TEXT NOT NULL,
      scope_user TEXT NOT NULL,
      spent_epsilon TEXT NOT NULL,
      reserved_epsilon TEXT NOT NULL,
      spent_delta TEXT NOT NULL,
      reserved_delta TEXT NOT NULL,
      PRIMARY KEY (experiment, source, scope_user)
    ) STRICT;
  `);
}

/** A raw ledger_reservations row. */
export interface ReservationRow {
  id: string;
  experiment: string;
  source: string;
  user: string;
  scope_user: string;
  epsilon: string;
  delta: string;
  rho: string | null;
  query: string;
  plan_hash: string;
  status: 'pending' | 'committed' | 'refunded';
  reserved_at: string;
  expires_at: number;
  owner_host: string;
  owner_pid: number;
  owner_started: string;
  owner_instance: string;
  closed_at: string | null;
  release_id: string | null;
  refund_reason: string | null;
}

/** A raw ledger_totals row. */
export interface TotalsRow {
  experiment: string;
  source: string;
  scope_user: string;
  spent_epsilon: string;
  reserved_epsilon: string;
  spent_delta: string;
  reserved_delta: string;
}
