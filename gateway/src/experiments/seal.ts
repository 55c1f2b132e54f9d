// Why: the experiments table is plain rows anyone with write access to the file can edit, while
// access is decided from those rows. Each audit entry that changes an experiment records the
// SHA-256 of its canonical record (`recordHash`, core/src/record/experiment-record.ts); the row is
// trusted only while its hash equals the last one the audit log recorded for it. The last audited
// hash is looked up through a partial index that holds only those entries (a handful per
// experiment), inside the same SQL statement that reads the row, so both come from one snapshot
// even while another process commits a transition (see store.ts). Hashing one record is a few µs.
// The seal entry itself is trusted only while its MAC vouches for it (seal-mac.ts): a seal entry
// written by someone without the audit key leaves the row refused as a changed one.
import { createHash } from 'node:crypto';
import {
  RECORD_SEAL_ACTIONS,
  experimentRecordPreimage,
  type Experiment,
} from '@privet/core/record/index';
import { ServiceError } from '../audit/service-error.js';
import { hasTable, immediate, type Db } from '../audit/sqlite.js';

/** SHA-256 (hex) of an experiment's canonical record, synchronously (same bytes as core's hash). */
export function recordHashSync(e: Experiment): string {
  return createHash('sha256').update(experimentRecordPreimage(e), 'utf8').digest('hex');
}

/** The partial index of the audit entries that carry experiment record hashes. */
export const SEAL_INDEX = 'audit_log_record_seals';

/** The SQL condition selecting seal entries (the same text in the index and in every query). */
export const SEAL_ACTIONS_SQL = `action IN (${RECORD_SEAL_ACTIONS.map((a) => `'${a}'`).join(', ')})`;

/** True when the database has the seal index. */
export function hasSealIndex(db: Db): boolean {
  return (
    db
      .prepare<[string], { n: number }>(
        "SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND name = ?",
      )
      .get(SEAL_INDEX)?.n === 1
  );
}

/** Creates the seal index when the audit log lacks it (idempotent; a write only the first time). */
export function ensureSealIndex(db: Db): void {
  if (!hasTable(db, 'audit_log') || hasSealIndex(db)) return;
  immediate(db, () =>
    db.exec(`CREATE INDEX IF NOT EXISTS ${SEAL_INDEX} ON audit_log (experiment, seq)
      WHERE ${SEAL_ACTIONS_SQL}`),
  );
}

/**
 * A scalar sub-select of `column` (an SQL expression over audit_log) of the last seal entry of the
 * experiment whose id is `idExpr` (NULL when none). `indexed` forces the seal index: the planner
 * would otherwise walk the experiment's whole history (every view access) backwards on
 * `audit_log_experiment`.
 */
function lastSealColumnSql(column: string, idExpr: string, indexed: boolean): string {
  return `(SELECT ${column} FROM audit_log
    ${indexed ? `INDEXED BY ${SEAL_INDEX}` : ''}
    WHERE experiment = ${idExpr} AND ${SEAL_ACTIONS_SQL}
      AND json_extract(details, '$.recordHash') IS NOT NULL
    ORDER BY seq DESC LIMIT 1)`;
}

/** A scalar sub-select of the last audited record hash of experiment `idExpr` (NULL: none). */
export function lastSealSql(idExpr: string, indexed: boolean): string {
  return lastSealColumnSql("json_extract(details, '$.recordHash')", idExpr, indexed);
}

/** A scalar sub-select of the seq of the last seal entry of experiment `idExpr` (NULL: none). */
export function lastSealSeqSql(idExpr: string, indexed: boolean): string {
  return lastSealColumnSql('seq', idExpr, indexed);
}

/**
 * How a row stands against the audit log: matching, changed since, never audited, or matching a
 * seal entry that is not vouched for (`forged`: its MAC, or its text, shows it was written or
 * changed outside the gateway; see seal-mac.ts).
 */
export type SealState = 'sealed' | 'mismatch' | 'unaudited' | 'forged';

/** The seal entry a row matched that is not vouched for: its seq and what is wrong with it. */
export interface ForgedSeal {
  seq: number;
  /** A phrase following "audit entry #<seq>", e.g. "carries no MAC, though …". */
  problem: string;
}

/** Compares a record's hash with its last audited hash (undefined or null: none). */
export function sealState(
  recordHash: string,
  sealed: string | null | undefined,
): Exclude<SealState, 'forged'> {
  if (typeof sealed !== 'string') return 'unaudited';
  return recordHash === sealed ? 'sealed' : 'mismatch';
}

const hashes = new Map<string, string>();
const MAX_CACHED = 1024;

/**
 * The record hash of a row, cached by the row's exact contents (`key`: an injective encoding of
 * every column, e.g. JSON of its values): a pure function of them, so any change misses the cache.
 * Saves the canonical encoding and SHA-256 on the access checks of every request.
 */
export function cachedRecordHash(key: string, e: Experiment): string {
  const hit = hashes.get(key);
  if (hit !== undefined) return hit;
  const hash = recordHashSync(e);
  if (hashes.size >= MAX_CACHED) hashes.clear();
  hashes.set(key, hash);
  return hash;
}

const VERIFY_FIX =
  'a steward runs `privet audit verify --state <state folder>`, which names the experiment and what ' +
  'to do, and restores its row from a backup taken before the change; nothing of it is served until then';

const FORGED_FIX =
  'a steward runs `privet audit verify --state <state folder>`, which names the forged audit entry, ' +
  'and restores the database from a backup taken before it; nothing of this experiment is served until then';

/**
 * The refusal for an experiment whose row does not match the audit log (it names the id only,
 * never the row's contents, which are not to be trusted or echoed): changed since its last seal,
 * never audited, or matching a seal entry that is not vouched for (`ForgedSeal`), which is refused
 * as a changed row and named.
 */
export function recordRefusal(
  id: string,
  state: Exclude<SealState, 'sealed' | 'forged'> | ForgedSeal,
): ServiceError {
  if (typeof state === 'object')
    return new ServiceError(
      'forbidden',
      'experiment.record-mismatch',
      `experiment "${id}" is refused: audit entry #${state.seq}, the last one recording a state of it, ${state.problem} — it was written or changed outside the gateway, so its row in the gateway database cannot be trusted`,
      FORGED_FIX,
    );
  return state === 'mismatch'
    ? new ServiceError(
        'forbidden',
        'experiment.record-mismatch',
        `experiment "${id}" is refused: its row in the gateway database differs from the state the audit log last recorded for it — it was changed outside the gateway`,
        VERIFY_FIX,
      )
    : new ServiceError(
        'forbidden',
        'experiment.record-unaudited',
        `experiment "${id}" is refused: the audit log records no state of it (no proposal or decision carrying its record hash) — it was inserted or changed outside the gateway, or it differed from its audited proposal when this gateway first sealed older records`,
        VERIFY_FIX,
      );
}
