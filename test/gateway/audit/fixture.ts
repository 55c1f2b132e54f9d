/** Shared setup for the audit log tests: a fresh log on a test-moved clock, and file tampering. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog, openDurableDb, type Db } from '../../../gateway/src/audit/index.js';

/** One day in milliseconds. */
export const DAY = 86_400_000;

/** A fresh audit log in a temp folder, stamped by a clock the test moves. */
export interface ClockedLog {
  dir: string;
  /** The state database (a state folder's file, as `privet audit verify --state` reads). */
  path: string;
  db: Db;
  log: AuditLog;
  /** The clock: the log stamps entries with `now.t`. */
  now: { t: number };
  /** Appends `n` view.access entries `step` ms apart from the current clock, advancing it. */
  fill(n: number, step?: number): void;
  /** Closes the database and removes the folder. */
  close(): void;
}

/**
 * Opens a log in a new temp folder (`prefix` names it) at 2026-01-01T00:00Z: its audit.keyed entry
 * is #0 on day 0, and the clock then stands at day 1, so entry #k is written on day k.
 */
export function openClockedLog(prefix: string, file = 'state.db'): ClockedLog {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, file);
  const db = openDurableDb(path);
  const now = { t: Date.parse('2026-01-01T00:00:00.000Z') };
  const log = new AuditLog(db, () => new Date(now.t));
  // The log starts with its audit.keyed entry (#0, day 0): fill(n) then writes #1…#n on days 1…n.
  now.t += DAY;
  return {
    dir,
    path,
    db,
    log,
    now,
    fill(n, step = DAY) {
      for (let i = 0; i < n; i++) {
        log.append({ actor: 'alice', action: 'view.access', experiment: 'e', subject: `v${i}` });
        now.t += step;
      }
    },
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Tampers with the database at `path` as someone with write access would: triggers dropped first. */
export function tamper(path: string, sql: string): void {
  const raw = openDurableDb(path);
  raw.exec(
    'DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;',
  );
  raw.exec(sql);
  raw.close();
}
