// Why: bearer tokens decide who every later audit entry is recorded as, so issuing and revoking
// them is on the record too: which users, until when, and whether the file was reset (never a
// token value or hash).
import type { JsonValue } from '@privet/core/record/index';
import { join } from 'node:path';
import { AuditLog } from '../audit/log.js';
import { immediate, openDurableDb, type Db } from '../audit/sqlite.js';

/** What changed in the token file. */
export type TokenChange =
  | { action: 'token.issued'; users: readonly string[]; expiresAt: string; reset: boolean }
  | { action: 'token.revoked'; users: readonly string[] };

/** Appends one audit entry for `change` by `actor` (e.g. "cli", "gateway"); nothing when no user. */
export function auditTokenChange(
  records: { db: Db; audit: AuditLog },
  actor: string,
  change: TokenChange,
): void {
  if (change.users.length === 0) return;
  const details: { [key: string]: JsonValue } =
    change.action === 'token.issued'
      ? { users: [...change.users], expiresAt: change.expiresAt, reset: change.reset }
      : { users: [...change.users] };
  immediate(records.db, () =>
    records.audit.append({ actor, action: change.action, subject: 'tokens', details }),
  );
}

/** `auditTokenChange` on the state database in `stateDir` (for the CLI, which has no services). */
export function auditTokenChangeIn(stateDir: string, actor: string, change: TokenChange): void {
  if (change.users.length === 0) return;
  const db = openDurableDb(join(stateDir, 'privet.db'));
  try {
    auditTokenChange({ db, audit: new AuditLog(db) }, actor, change);
  } finally {
    db.close();
  }
}
