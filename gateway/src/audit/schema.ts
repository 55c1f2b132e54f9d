/**
 * Audit tables. `audit_log` is append-only: triggers abort any UPDATE or DELETE. Triggers can be
 * dropped by anyone with write access to the file, so the hash chain (see core/src/record/chain.ts)
 * is what actually detects tampering; `audit_head` records the last entry so that entries cut from
 * the end (which leave a valid shorter chain) are caught too. `mac` (nullable: entries written
 * before the log was keyed have none) holds each entry's keyed MAC, see mac.ts; the head's `mac`
 * (nullable: heads written before head MACs have none) holds the head's own MAC (signHead).
 */
import { hasColumn, immediate, type Db } from './sqlite.js';

/** Creates the audit tables and triggers if they do not exist (idempotent, safe to race). */
export function ensureAuditSchema(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS audit_log (
      seq INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      experiment TEXT,
      subject TEXT,
      details TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL,
      mac TEXT
    ) STRICT;
    CREATE INDEX IF NOT EXISTS audit_log_experiment ON audit_log (experiment, seq);
    CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed'); END;
    CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted'); END;
    CREATE TABLE IF NOT EXISTS audit_head (
      id INTEGER PRIMARY KEY CHECK (id = 0),
      seq INTEGER NOT NULL,
      hash TEXT NOT NULL,
      mac TEXT
    ) STRICT;
  `);
}

/**
 * Adds the nullable `mac` column to an audit log created before it (idempotent: a write only the
 * first time, re-checked under the write lock so two processes upgrading at once add it once).
 */
export function ensureMacColumn(db: Db): void {
  if (hasColumn(db, 'audit_log', 'mac') || db.readonly) return;
  immediate(db, () => {
    if (!hasColumn(db, 'audit_log', 'mac')) db.exec('ALTER TABLE audit_log ADD COLUMN mac TEXT');
  });
}

/**
 * Adds the nullable `mac` column to an audit_head created before head MACs (idempotent, as
 * ensureMacColumn).
 */
export function ensureHeadMacColumn(db: Db): void {
  if (hasColumn(db, 'audit_head', 'mac') || db.readonly) return;
  immediate(db, () => {
    if (!hasColumn(db, 'audit_head', 'mac')) db.exec('ALTER TABLE audit_head ADD COLUMN mac TEXT');
  });
}
