// Why: the policy's `retention.audit_log_days` says how long audit entries are kept, but the log
// is a hash chain: deleting its oldest entries would leave the first kept entry linking to a hash
// nobody can check. We prune with a checkpoint instead. In one transaction we (1) append an
// `audit.pruned` entry naming the last pruned entry's position and hash, (2) store that position
// and hash as the checkpoint (`audit_checkpoint`), (3) delete the entries up to it. The verifier
// then starts from the checkpoint: the first kept entry must follow it and link to its hash, and
// the checkpoint must equal the one recorded by the newest `audit.pruned` entry — which is itself
// inside the verified chain, so moving the checkpoint or cutting more entries is detected. The
// checkpoint also keeps the last pruned entry whole: its hash is fixed by the chain, and its time
// must precede the prune's cutoff, so a forged prune cannot delete entries still within retention.
// Entries are pruned only when every entry before them is older than the retention period.
// The `audit.pruned` entry must be possible on its face (its `olderThan` at least `retentionDays`
// before its own `at`; verify-pruned.ts checks it), so a run whose `now` is ahead of the log's own
// clock is refused instead of writing an entry that claims a cutoff the log's time contradicts.
// Each experiment's last recorded record hash (experiments/seal.ts) about to be pruned is first
// recorded again (`experiment.record-sealed`), so access checks and verification keep it.
import type { Db } from './sqlite.js';
import type { AuditLog } from './log.js';
import { hasColumn, hasTable, immediate } from './sqlite.js';
import type { AuditRow } from './rows.js';
import { carryRecordSeals } from '../experiments/seal-migrate.js';
import { HEAD_MAC_DETAIL } from './mac.js';

const DAY_MS = 86_400_000;

/** The last pruned entry: the first kept entry links to its hash. */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
}

/** What one pruning run did. */
export interface AuditPruneReport {
  /** Entries deleted by this run. */
  pruned: number;
  /** The checkpoint after the run (undefined while nothing was ever pruned). */
  checkpoint?: AuditCheckpoint;
}

/**
 * Creates the checkpoint table if needed (one row, id 0). `entry` keeps the last pruned entry's
 * whole row (JSON): the chain fixes its hash, so its time shows the prune deleted only entries
 * older than its cutoff (a forged prune of recent entries cannot give it an older time).
 */
export function ensureCheckpointTable(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS audit_checkpoint (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    entry TEXT
  ) STRICT`);
  if (!hasColumn(db, 'audit_checkpoint', 'entry'))
    db.exec('ALTER TABLE audit_checkpoint ADD COLUMN entry TEXT');
}

/** The stored checkpoint, if the log was ever pruned. */
export function readCheckpoint(db: Db): AuditCheckpoint | undefined {
  if (!hasTable(db, 'audit_checkpoint')) return undefined;
  return db
    .prepare<[], AuditCheckpoint>('SELECT seq, hash FROM audit_checkpoint WHERE id = 0')
    .get();
}

/** The last pruned entry's row as the checkpoint keeps it (JSON), if it keeps one. */
export function readCheckpointEntry(db: Db): string | undefined {
  if (!hasColumn(db, 'audit_checkpoint', 'entry')) return undefined;
  const row = db
    .prepare<[], { entry: string | null }>('SELECT entry FROM audit_checkpoint WHERE id = 0')
    .get();
  return row?.entry ?? undefined;
}

const NO_DELETE_TRIGGER = `CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted'); END`;

/**
 * Deletes the entries older than `days` days before `now` (behind a checkpoint, see above).
 * Keeps every entry from the first one that is still within the period, and never the newest.
 */
export function pruneAuditLog(audit: AuditLog, days: number, now: Date): AuditPruneReport {
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(
      `audit retention of ${String(days)} days is invalid. Fix: set retention.audit_log_days to a whole number ≥ 1`,
    );
  }
  const db = audit.db;
  const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString();
  return immediate(db, () => {
    ensureCheckpointTable(db);
    const before = readCheckpoint(db);
    const firstKept = db
      .prepare<[string], { seq: number | null }>(
        'SELECT min(seq) AS seq FROM audit_log WHERE at >= ?',
      )
      .get(cutoff)?.seq;
    const last = audit.head();
    if (!last) return before ? { pruned: 0, checkpoint: before } : { pruned: 0 };
    // Prune through the entry before the first one still within the period (or through the
    // newest entry when all are older: the `audit.pruned` entry appended below stays).
    const through = firstKept === null || firstKept === undefined ? last.seq : firstKept - 1;
    if (through < 0 || (before && through <= before.seq)) {
      return before ? { pruned: 0, checkpoint: before } : { pruned: 0 };
    }
    const row = db
      .prepare<[number], AuditRow>('SELECT * FROM audit_log WHERE seq = ?')
      .get(through);
    if (!row) throw new Error(`audit entry #${through} is missing; run privet audit verify`);
    const target: AuditCheckpoint = { seq: row.seq, hash: row.hash };
    const count = db
      .prepare<[number], { n: number }>('SELECT count(*) AS n FROM audit_log WHERE seq <= ?')
      .get(through)?.n;
    // An experiment's last recorded hash must outlive the prune (access checks need it).
    carryRecordSeals(audit, through);
    const record = audit.append({
      actor: 'gateway',
      action: 'audit.pruned',
      details: {
        throughSeq: target.seq,
        throughHash: target.hash,
        entries: count ?? 0,
        olderThan: cutoff,
        retentionDays: days,
        // The prune may delete the audit.keyed entry saying head MACs are in force: say it again.
        ...(audit.keyId ? { [HEAD_MAC_DETAIL]: true } : {}),
      },
    });
    if (Date.parse(record.at) < now.getTime()) {
      // Thrown inside the transaction: the entry above is rolled back, nothing is deleted.
      throw new Error(
        `cannot prune the audit log as of ${now.toISOString()}: the log's clock says ${record.at}, ` +
          `earlier, so entries would be deleted before ${days} days have passed by the log's own time. ` +
          "Fix: prune with the gateway's clock (`privet serve` runs retention itself)",
      );
    }
    db.prepare(
      `INSERT INTO audit_checkpoint (id, seq, hash, entry) VALUES (0, @seq, @hash, @entry)
       ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, entry = excluded.entry`,
    ).run({ ...target, entry: JSON.stringify(row) });
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_delete');
    const deleted = db.prepare('DELETE FROM audit_log WHERE seq <= ?').run(through).changes;
    db.exec(NO_DELETE_TRIGGER);
    return { pruned: deleted, checkpoint: { seq: target.seq, hash: target.hash } };
  });
}
