// Why: bearer tokens decide who every later audit entry is recorded as, so issuing and revoking
// them is on the record too: which users, until when, whether the file was reset, and what the file
// holds afterwards (its SHA-256 and whose tokens; never a token value or hash). Each change of
// tokens.json runs inside a write transaction of the state database that first appends its audit
// entry, then writes the file: token writers of every process (CLI and gateway) queue on that lock,
// so none reads the file, waits, and writes back a revoked token. A crash between the file write and
// the COMMIT leaves a change without its entry: the next token writer (and the gateway at start)
// notices that the file's hash is not the one last recorded and appends `token.recovered`
// (token-recovery.ts).
import type { JsonValue } from '@privet/core/record/index';
import { join, resolve } from 'node:path';
import { AuditLog } from '../audit/log.js';
import { immediate, openDurableDb, type Db } from '../audit/sqlite.js';
import {
  prepareIssue,
  prepareRevoke,
  setTokenReadHook,
  type IssuedTokens,
  type IssueOptions,
  type PendingTokenChange,
  type TokenFileState,
} from './tokens.js';
import { auditUnrecordedTokenChange, fileDetail } from './token-recovery.js';
import { databaseBusyError, databaseError, isDatabaseBusy } from '../storage-errors.js';

/** What changed in the token file. */
export type TokenChange =
  | { action: 'token.issued'; users: readonly string[]; expiresAt: string; reset: boolean }
  | { action: 'token.revoked'; users: readonly string[] };

/**
 * Appends one audit entry for `change` by `actor` (e.g. "cli", "gateway"), recording what the file
 * holds `after` it; nothing when no user's token changed (a reset always).
 */
function auditTokenChange(
  records: TokenRecords,
  actor: string,
  change: TokenChange,
  after: TokenFileState,
): void {
  if (change.users.length === 0 && !(change.action === 'token.issued' && change.reset)) return;
  const details: { [key: string]: JsonValue } =
    change.action === 'token.issued'
      ? { users: [...change.users], expiresAt: change.expiresAt, reset: change.reset }
      : { users: [...change.users] };
  details.file = fileDetail(after);
  immediate(records.db, () =>
    records.audit.append({ actor, action: change.action, subject: 'tokens', details }),
  );
}

/** The records a token change is written to (the state database and its audit log). */
export interface TokenRecords {
  db: Db;
  audit: AuditLog;
}

/**
 * Audits a worked-out token change, then writes it, in one write transaction of `records.db`: a
 * failed write rolls the entry back, and a failed entry leaves the file untouched. First, an
 * earlier change that reached the file without its entry is recorded (`token.recovered`).
 */
function recordedChange<T>(
  records: TokenRecords,
  actor: string,
  stateDir: string,
  prepare: () => { pending: PendingTokenChange<T>; change: (value: T) => TokenChange },
): T {
  const value = immediate(records.db, () => {
    auditUnrecordedTokenChange(records, actor, stateDir);
    const { pending, change } = prepare();
    auditTokenChange(records, actor, change(pending.value), pending.after);
    pending.write();
    return pending.value;
  });
  followTokenFile(records, actor, stateDir);
  return value;
}

/** Per state folder (resolved): the records its token file is reconciled with when re-read. */
const followed = new Map<string, { records: TokenRecords; actor: string }[]>();

/**
 * From now on, while `records.db` is open, every re-read of `<stateDir>/tokens.json` in this
 * process (`readTokenStore`: the gateway's, whenever the file changed) first reconciles the file
 * with the audit log as the start does: a change that reached it without its entry is recorded as
 * `token.recovered` by `actor`; a file the log already records adds nothing. The gateway follows
 * its file from its start's token change on (`issueTokensRecorded`, even for no user).
 */
export function followTokenFile(records: TokenRecords, actor: string, stateDir: string): void {
  const key = resolve(stateDir);
  const others = (followed.get(key) ?? []).filter(
    (f) => f.records.db.open && f.records !== records,
  );
  followed.set(key, [...others, { records, actor }]);
  setTokenReadHook(reconcileOnRead);
}

/**
 * The read hook: reconciles a followed state folder's token file with its newest open records. A
 * busy or locked database is thrown as a DatabaseBusyError naming it (the read fails, and the
 * next one retries); another fixable storage failure as a StorageError naming it.
 */
function reconcileOnRead(stateDir: string): void {
  const key = resolve(stateDir);
  const open = (followed.get(key) ?? []).filter((f) => f.records.db.open);
  if (open.length === 0) followed.delete(key);
  else followed.set(key, open);
  const newest = open.at(-1);
  if (!newest) return;
  try {
    auditUnrecordedTokenChange(newest.records, newest.actor, stateDir);
  } catch (error) {
    // Not the token file's fault: the write lock of the state database was not to be had.
    if (isDatabaseBusy(error))
      throw databaseBusyError(
        error,
        newest.records.db.name,
        'reconciling the re-read token file with the audit log',
      );
    // A full disk, a read-only or damaged database: named with its own fix, not the file's.
    throw databaseError(error, newest.records.db.name);
  }
}

/** Issues tokens for `users` and audits it, serialized with every other token writer. */
export function issueTokensRecorded(
  records: TokenRecords,
  actor: string,
  stateDir: string,
  users: readonly string[],
  options: IssueOptions = {},
): IssuedTokens {
  return recordedChange(records, actor, stateDir, () => ({
    pending: prepareIssue(stateDir, users, options),
    change: (issued) => ({
      action: 'token.issued',
      users,
      expiresAt: issued.expiresAt,
      reset: issued.reset !== undefined,
    }),
  }));
}

/** Revokes the tokens of `users` and audits it, serialized with every other token writer. */
export function revokeTokensRecorded(
  records: TokenRecords,
  actor: string,
  stateDir: string,
  users: readonly string[],
): string[] {
  return recordedChange(records, actor, stateDir, () => ({
    pending: prepareRevoke(stateDir, users),
    change: (revoked) => ({ action: 'token.revoked', users: revoked }),
  }));
}

/** Runs `use` on the records of the state database in `stateDir` (for the CLI, which has no services). */
export function withStateRecords<T>(stateDir: string, use: (records: TokenRecords) => T): T {
  const db = openDurableDb(join(stateDir, 'privet.db'));
  try {
    return use({ db, audit: new AuditLog(db) });
  } finally {
    db.close();
  }
}
