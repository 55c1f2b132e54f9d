// Why: verification reads the log inside one read transaction on its own connection, so the
// entries and the recorded head come from the same snapshot even while other processes append.
// A log pruned under the retention policy is verified from its checkpoint (verify-pruned.ts).
import { ChainVerifier, type ChainAnchor } from '@privet/core/record/index';
import { openDurableDb, type Db } from './sqlite.js';
import { rowToEntry, type AuditRow } from './rows.js';
import { readCheckpoint } from './retention.js';
import { PrunedChainVerifier } from './verify-pruned.js';

/** What `privet audit verify` reports. */
export interface AuditReport {
  ok: boolean;
  /** The database file checked. */
  path: string;
  /** Entries verified (up to the first bad one). */
  entries: number;
  /** Last entry of an intact log: keep it elsewhere and pass it back as an anchor next time. */
  head?: ChainAnchor;
  /** The first bad entry (0-based index) and what is wrong with it. */
  firstBad?: { index: number; message: string };
  /** One-line summary: the result, or what happened and how to fix it. */
  message: string;
}

const PAGE = 1000;
const FIX =
  'restore the database from a backup, compare it with this file, and find out who had write access to it';

/** Verifies the audit log of a database file (the `privet audit verify` command). */
export async function verifyAuditDb(
  path: string,
  anchors: readonly ChainAnchor[] = [],
): Promise<AuditReport> {
  let db: Db;
  try {
    db = openDurableDb(path, { readonly: true });
  } catch (e) {
    const why = e instanceof Error ? e.message : 'unknown error';
    return bad(
      path,
      0,
      0,
      `cannot open ${path} (${why})`,
      'pass the path of the gateway state database',
    );
  }
  try {
    return await verifyAuditConnection(db, anchors, path);
  } finally {
    db.close();
  }
}

/** Verifies the audit log through a connection reserved for this (it holds a read transaction). */
export async function verifyAuditConnection(
  db: Db,
  anchors: readonly ChainAnchor[] = [],
  path: string = db.name,
): Promise<AuditReport> {
  if (db.name !== ':memory:' && db.name !== '' && !db.readonly) {
    // A writer's connection must not hold a long read snapshot; verify through a fresh one.
    return verifyAuditDb(db.name, anchors);
  }
  const hasLog = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'")
    .get();
  if (!hasLog) {
    return bad(
      path,
      0,
      0,
      `${path} has no audit log`,
      'pass the path of the gateway state database',
    );
  }
  db.exec('BEGIN');
  try {
    const head = db.prepare<[], ChainAnchor>('SELECT seq, hash FROM audit_head WHERE id = 0').get();
    const checkpoint = readCheckpoint(db);
    const allAnchors = head ? [...anchors, head] : anchors;
    const verifier = checkpoint
      ? new PrunedChainVerifier(checkpoint, allAnchors)
      : new ChainVerifier(allAnchors);
    const page = db.prepare<[number, number], AuditRow>(
      'SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?',
    );
    let last = -1;
    let intact = true;
    for (let guard = 0; intact && guard < Number.MAX_SAFE_INTEGER; guard++) {
      const rows = page.all(last, PAGE);
      for (const row of rows) {
        let entry;
        try {
          entry = rowToEntry(row);
        } catch {
          const msg = `audit entry #${verifiedCount(verifier)} has unreadable details — the entry was edited`;
          return bad(path, verifiedCount(verifier), verifiedCount(verifier), msg, FIX);
        }
        intact = await verifier.push(entry);
        if (!intact) break;
        last = row.seq;
      }
      if (rows.length < PAGE) break;
    }
    const result = verifier.finish();
    if (!result.ok) return bad(path, result.count, result.index, result.message, FIX);
    if (!head && result.count > 0) {
      return bad(path, result.count, 0, 'the audit head record is missing — it was deleted', FIX);
    }
    if (head && result.count !== head.seq + 1) {
      const msg = `audit entries #${head.seq + 1}…#${result.count - 1} come after the recorded head — they were added outside the gateway`;
      return bad(path, result.count, head.seq + 1, msg, FIX);
    }
    const tip = head ? { seq: head.seq, hash: head.hash } : undefined;
    const pruned = checkpoint
      ? ` (#0…#${checkpoint.seq} pruned under the retention policy, checkpoint ${checkpoint.hash})`
      : '';
    const summary = tip
      ? `audit log intact: ${result.count} entries${pruned}, head #${tip.seq} ${tip.hash}`
      : 'audit log intact: no entries yet';
    return {
      ok: true,
      path,
      entries: result.count,
      ...(tip ? { head: tip } : {}),
      message: summary,
    };
  } finally {
    db.exec('COMMIT');
  }
}

function verifiedCount(v: ChainVerifier | PrunedChainVerifier): number {
  return v.verified;
}

function bad(path: string, entries: number, index: number, what: string, fix: string): AuditReport {
  return {
    ok: false,
    path,
    entries,
    firstBad: { index, message: what },
    message: `audit log check failed: ${what}. Fix: ${fix}`,
  };
}

/** Formats a report for the terminal (the CLI exits non-zero when `ok` is false). */
export function formatAuditReport(report: AuditReport): string {
  const lines = [`${report.ok ? 'OK' : 'TAMPERED'} ${report.path}`, report.message];
  if (report.head) lines.push(`anchor: --anchor ${report.head.seq}:${report.head.hash}`);
  return lines.join('\n');
}
