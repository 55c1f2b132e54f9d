/** Shared setup for the audit log tests: a fresh log on a test-moved clock, and file tampering. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH, canonicalJson, type AuditBody } from '@privet/core/record/index';
import {
  AuditLog,
  hashEntrySync,
  openDurableDb,
  type Db,
} from '../../../gateway/src/audit/index.js';
import type { AuditMacKey } from '../../../gateway/src/audit/mac.js';

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

/**
 * Writes `n` view.access entries the way an older gateway did: without `key`, one from before
 * keyed entries (no MAC column); with it, the previous version's fresh log (entry MACs under
 * `key`, no head MAC).
 */
export function writeOlderLog(path: string, n: number, key?: AuditMacKey): void {
  const db = openDurableDb(path);
  db.exec(`CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,
      action TEXT NOT NULL, experiment TEXT, subject TEXT, details TEXT NOT NULL,
      prev_hash TEXT NOT NULL, hash TEXT NOT NULL${key ? ', mac TEXT' : ''}) STRICT;
    CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 0), seq INTEGER NOT NULL,
      hash TEXT NOT NULL) STRICT;`);
  const insert = db.prepare(
    `INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?${key ? ', ?' : ''})`,
  );
  let prev = GENESIS_HASH;
  for (let seq = 0; seq < n; seq++) {
    const body: AuditBody = {
      seq,
      at: '2026-02-01T00:00:00.000Z',
      actor: 'alice',
      action: 'view.access',
      experiment: 'e',
      subject: `v${seq}`,
      details: {},
      prevHash: prev,
    };
    const hash = hashEntrySync(body);
    const values = [seq, body.at, body.actor, body.action, body.experiment, body.subject];
    insert.run(
      ...values,
      canonicalJson(body.details),
      prev,
      hash,
      ...(key ? [key.sign(hash)] : []),
    );
    prev = hash;
  }
  db.prepare('INSERT INTO audit_head (id, seq, hash) VALUES (0, ?, ?)').run(n - 1, prev);
  db.close();
}
