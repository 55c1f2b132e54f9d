// Why: a publish writes its batch journal as `prepared` before the transaction that appends the
// masked views' `published` entries and commits the synthetic views' charges, so a crash can leave
// a journal whose batch the audit log either names or does not. Only the state database knows which:
// recovery rolls the batch forward when every view of it is in the log (audited, or charged), and
// otherwise drops it, giving each view the log already names the `failed` follow-up entry a failed
// publish writes (failure.ts). A view is never live unaudited or unpaid, and the log never names a
// version that is not live without saying so. A damaged database or a full disk met on the way is
// thrown as a StorageError naming the database and the fix (storage-errors.ts), never in SQLite's
// words; the journal then stays for the next try.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog } from '../audit/log.js';
import { hasTable, openDurableDb, type Db } from '../audit/sqlite.js';
import { databaseError } from '../storage-errors.js';
import { auditPublishFailure } from './failure.js';
import { removeJournal, type Journal, type JournalEntry, type PreparedBatch } from './journal.js';

/** The state database a recovery reads (and appends `failed` entries to). */
export interface RecoveryRecords {
  db: Db;
  audit: AuditLog;
}

/** Why recovery dropped a prepared batch, for the `failed` entries it writes. */
const INTERRUPTED =
  'the publish was interrupted before its views were moved into place; recovery dropped the batch';

/** Where each view of a prepared batch stands in the state database. */
interface EntryStatus {
  entry: JournalEntry;
  /**
   * Its `published` entry (masked) or its charge (synthetic) committed, or the `identical` entry
   * of a synthetic view whose bytes an earlier charge paid for (its refund commits with it).
   */
  named: boolean;
  /** Its own publication charge committed (a `failed` entry then says the charge is kept). */
  charged: boolean;
  /** A `failed` entry already follows it (the publish, or an earlier recovery, wrote one). */
  failed: boolean;
}

/**
 * Settles a prepared batch journal (see journal.ts): true when the batch is to be rolled forward
 * (every view of it is audited or charged, none followed by a `failed` entry); otherwise writes a
 * `failed` entry for each view the log names, removes the journal and returns false. `records`
 * gives the state database; without it, `<stateDir>/privet.db` is opened when it exists. A storage
 * failure (damaged database, full disk) is thrown as a StorageError naming the file and the fix.
 */
export function settlePrepared(
  stateDir: string,
  root: string,
  journal: Journal & { prepared: PreparedBatch },
  records?: () => RecoveryRecords,
): boolean {
  const path = join(stateDir, 'privet.db');
  try {
    return settleWith(stateDir, root, journal, path, records);
  } catch (err) {
    throw databaseError(err, path);
  }
}

/** settlePrepared on the database at `path` (or `records`), with storage errors left raw. */
function settleWith(
  stateDir: string,
  root: string,
  journal: Journal & { prepared: PreparedBatch },
  path: string,
  records?: () => RecoveryRecords,
): boolean {
  const own = records || !existsSync(path) ? undefined : openDurableDb(path);
  try {
    const recs = records?.() ?? (own ? { db: own, audit: new AuditLog(own) } : undefined);
    const status = journal.entries.map((entry) =>
      recs ? entryStatus(recs.db, journal.prepared.auditHead, entry) : noStatus(entry),
    );
    if (status.every((s) => s.named && !s.failed)) return true;
    const named = status.filter((s) => s.named && !s.failed);
    if (recs && named.length > 0) {
      // Written before the journal goes: a crash in between writes them again, never loses them.
      auditPublishFailure(
        recs,
        stateDir,
        journal.prepared.actor,
        named.flatMap(({ entry: { view, audit }, charged }) =>
          audit
            ? [
                {
                  view,
                  manifest: { view, ...audit },
                  ...(audit.reservation && charged ? { reservation: audit.reservation } : {}),
                },
              ]
            : [],
        ),
        INTERRUPTED,
      );
    }
    removeJournal(root);
    return false;
  } finally {
    own?.close();
  }
}

function noStatus(entry: JournalEntry): EntryStatus {
  return { entry, named: false, failed: false, charged: false };
}

/** Whether the log names a view of the batch (entries after `auditHead` only: the batch's own). */
function entryStatus(db: Db, auditHead: number, entry: JournalEntry): EntryStatus {
  const audit = entry.audit;
  if (!audit || !hasTable(db, 'audit_log')) return noStatus(entry);
  const rows = db
    .prepare<[number, string], { details: string }>(
      "SELECT details FROM audit_log WHERE seq > ? AND action = 'publish' AND subject = ? ORDER BY seq",
    )
    .all(auditHead, entry.view);
  let published = false;
  let failed = false;
  let identical = false;
  for (const row of rows) {
    const d = parseDetails(row.details);
    if (d.parquetHash !== audit.parquetHash) continue;
    if (d.step === 'published') published = true;
    if (d.step === 'failed') failed = true;
    if (d.step === 'identical' && audit.reservation && d.reservation === audit.reservation)
      identical = true;
  }
  const paid = audit.tier === 'synthetic' && charged(db, audit.reservation ?? '');
  const named = audit.tier === 'masked' ? published : paid || identical;
  return { entry, named, failed, charged: paid };
}

/** True when the publication charge `id` committed. */
function charged(db: Db, id: string): boolean {
  if (!id || !hasTable(db, 'ledger_reservations')) return false;
  const row = db
    .prepare<[string], { status: string }>('SELECT status FROM ledger_reservations WHERE id = ?')
    .get(id);
  return row?.status === 'committed';
}

function parseDetails(text: string): {
  step?: unknown;
  parquetHash?: unknown;
  reservation?: unknown;
} {
  try {
    const d = JSON.parse(text) as unknown;
    return typeof d === 'object' && d !== null ? d : {};
  } catch {
    return {};
  }
}
