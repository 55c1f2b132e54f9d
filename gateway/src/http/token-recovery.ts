// Why: a token change writes tokens.json inside the write transaction that holds its audit entry,
// before COMMIT; a crash (or a failed COMMIT) between the two leaves a change on disk that the log
// does not record. Each token entry therefore records what the file holds afterwards (its SHA-256
// and whose tokens it holds, with their expiry; never a token or a token hash). Whoever next opens
// the records to change tokens or serve (the gateway at start, `privet token …`) compares the file
// with the newest token entry under the write lock and, when they differ, appends `token.recovered`
// saying whose tokens changed, so the log again says what the file holds. Logs written before these
// hashes get one `token.recovered` baseline entry. A change made by hand is caught the same way.
import type { AuditAction, AuditEntry, JsonValue } from '@privet/core/record/index';
import { immediate } from '../audit/sqlite.js';
import { readTokenFileState, type TokenFileState } from './tokens.js';
import type { TokenRecords } from './token-audit.js';

/** The audit action of a token file reconciled with the log (changed without an entry). */
export const TOKEN_RECOVERED: AuditAction = 'token.recovered';

const TOKEN_ACTIONS = ['token.issued', 'token.revoked', 'token.recovered'];

/** The `file` detail of a token audit entry: its SHA-256 and holders, or that it is malformed. */
export function fileDetail(state: TokenFileState): { [key: string]: JsonValue } {
  return state.holders
    ? { sha256: state.sha256, holders: { ...state.holders } }
    : { sha256: state.sha256, malformed: true };
}

/** The file the newest token entry recorded: 'none' (no token entry), 'unrecorded' (older entry). */
function lastRecordedFile(records: TokenRecords): TokenFileState | 'none' | 'unrecorded' {
  const row = records.db
    .prepare<string[], { details: string }>(
      `SELECT details FROM audit_log WHERE action IN (${TOKEN_ACTIONS.map(() => '?').join(', ')}) ORDER BY seq DESC LIMIT 1`,
    )
    .get(...TOKEN_ACTIONS);
  if (!row) return 'none';
  let file: unknown;
  try {
    file = (JSON.parse(row.details) as { file?: unknown }).file;
  } catch {
    return 'unrecorded'; // `privet audit verify` reports an edited entry; here it only means unknown
  }
  if (typeof file !== 'object' || file === null) return 'unrecorded';
  const { sha256, holders } = file as { sha256?: unknown; holders?: unknown };
  if (sha256 !== null && typeof sha256 !== 'string') return 'unrecorded';
  return typeof holders === 'object' && holders !== null
    ? { sha256, holders: holders as Record<string, string | null> }
    : { sha256 };
}

/** Whose tokens differ between two holder lists (added, removed, or renewed: another expiry). */
function holderChanges(
  before: Record<string, string | null>,
  after: Record<string, string | null>,
): { [key: string]: JsonValue } {
  const added = Object.keys(after).filter((u) => !Object.hasOwn(before, u));
  const removed = Object.keys(before).filter((u) => !Object.hasOwn(after, u));
  const renewed = Object.keys(after).filter(
    (u) => Object.hasOwn(before, u) && before[u] !== after[u],
  );
  return { users: [...added, ...renewed, ...removed].sort(), added, removed, renewed };
}

/**
 * Appends a `token.recovered` entry by `actor` when `<stateDir>/tokens.json` is not what the newest
 * token entry recorded (nothing when it is, or when there is neither a file nor a token entry).
 * Runs in a write transaction of `records.db` (the caller's, if open), so no token writer is
 * between its file write and its COMMIT. Returns the entry appended, if any.
 */
export function auditUnrecordedTokenChange(
  records: TokenRecords,
  actor: string,
  stateDir: string,
): AuditEntry | undefined {
  return immediate(records.db, () => {
    const now = readTokenFileState(stateDir);
    const last = lastRecordedFile(records);
    if (last === 'none' && now.sha256 === null) return undefined;
    if (typeof last === 'object' && last.sha256 === now.sha256) return undefined;
    const details: { [key: string]: JsonValue } =
      typeof last === 'object'
        ? {
            reason: 'unaudited-change',
            previousSha256: last.sha256,
            ...(last.holders && now.holders
              ? holderChanges(last.holders, now.holders)
              : { holdersBefore: last.holders ? Object.keys(last.holders).length : null }),
          }
        : { reason: 'baseline' };
    details.holderCount = now.holders ? Object.keys(now.holders).length : null;
    details.file = fileDetail(now);
    return records.audit.append({ actor, action: TOKEN_RECOVERED, subject: 'tokens', details });
  });
}
