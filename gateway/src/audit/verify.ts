// Why: verification reads the log inside one read transaction on its own connection, so the
// entries and the recorded head come from the same snapshot even while other processes append.
// A log pruned under the retention policy is verified from its checkpoint (verify-pruned.ts).
// A missing database is not tampering (nothing to check: exit 2 in the CLI), while one SQLite
// cannot read (corrupt, truncated, not a database) fails verification like an edited entry.
// The caller's anchors (kept outside the database) are checked last, against the verified chain
// (anchors.ts), so a failure names the anchor; the stored head is checked as the recorded head it
// is (headProblem), and the experiment rows against the hashes the entries recorded (verify-records.ts).
// Each entry's MAC is checked with the key of the database's state folder (verify-macs.ts) after
// the chain, head and anchors: a forged MAC is tampering, while a log (or experiment rows) not yet
// upgraded by a gateway of this version is its own outcome, NOT UPGRADED (exit 3), never TAMPERED.
// Where the chain says so, the recorded head must carry its own MAC (verify-head.ts), and a log
// holding fewer keyed entries than the marker beside master.key records is TAMPERED
// (keyed-marker.ts), not NOT UPGRADED. A log that ends before the newest head the gateway recorded
// in the head mark beside it, or holds another entry at that position, is TAMPERED: an earlier copy
// of the database was put in its place (head-mark.ts). The mark is read before the log's snapshot,
// so a gateway writing meanwhile can only leave the mark behind the snapshot, never ahead of it.
// Without the key the mark cannot be authenticated: a log behind it is reported as such, with exit
// 2 like an unreadable key (verify-report.ts), never as TAMPERED.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ChainVerifier, canonicalJson, type ChainAnchor } from '@privet/core/record/index';
import { hasColumn, hasTable, openDurableDb, type Db } from './sqlite.js';
import { rowToEntry, type AuditRow } from './rows.js';
import { readCheckpoint, readCheckpointEntry } from './retention.js';
import { PrunedChainVerifier } from './verify-pruned.js';
import { checkAnchors } from './anchors.js';
import { experimentRecordProblems, RECORD_FIX, RECORD_UPGRADE_FIX } from './verify-records.js';
import { auditMacKeyForDb, isFilePath, type AuditMacKey } from './mac.js';
import { MacWalker, type MacCheck } from './verify-macs.js';
import { HEAD_FIX, headMacProblem, type RecordedHead } from './verify-head.js';
import { keyedMarkerPath, markerProblem, readKeyedMarker } from './keyed-marker.js';
import {
  behindUnauthenticatedMark,
  keyUnreadable,
  notUpgraded,
  unauthenticatedMarkNote,
  type AuditProblem,
} from './verify-report.js';
import {
  damagedMarkFix,
  readHeadMarkToVerify,
  rollbackFix,
  rollbackProblem,
  unauthenticatedMarkFix,
  unauthenticatedRollbackProblem,
  type HeadMarkRead,
  type MarkedLog,
} from './head-mark.js';

export { auditExitCode, auditVerdict, formatAuditReport } from './verify-report.js';

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
  /**
   * Why the log did not verify, when it is not tampering: `no-database` (nothing at the path: a
   * usage error), `unreadable` (SQLite cannot read the file: verification fails), `not-upgraded`
   * (an intact log or experiment rows a gateway of this version has not upgraded yet: start it
   * once), `key-unreadable` (the master key beside the database cannot be read) or
   * `behind-unauthenticated-mark` (the log is behind a head mark read without the key).
   */
  problem?: AuditProblem;
  /** Whether entry MACs were checked with the gateway's key (false: hash chain only). */
  macsChecked?: boolean;
}

/** What the verifier knows beyond the log and the anchors. */
export interface AuditVerifyOptions {
  /** The policy's `retention.audit_log_days`: the last prune must have kept entries this long. */
  retentionDays?: number;
  /** The time of the check (ms; default now): a pruned log's entries may not be dated after it. */
  now?: number;
  /**
   * The audit MAC key. Default: the one derived from master.key in the database's folder, when it
   * has one; `null` (or no key file): the hashes alone are checked and the report says so.
   */
  key?: AuditMacKey | null;
}

const PAGE = 1000;
const FIX =
  'restore the database from a backup, compare it with this file, and find out who had write access to it';
const STATE_FIX =
  'pass --state with the folder given to `privet serve --state` or `privet publish --state` ' +
  '(`npm start` uses .privet/demo; the default is .privet/state)';

/** True for SQLite's "this file is not a (readable) database" errors. */
export function isUnreadableDb(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return (
    code === 'SQLITE_NOTADB' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'))
  );
}

/** The report for a path with no database file (nothing was checked). */
function noDatabase(path: string): AuditReport {
  const dir = dirname(path);
  const folder = statSync(dir, { throwIfNoEntry: false });
  const what = !folder
    ? `the state folder ${dir} does not exist`
    : !folder.isDirectory()
      ? `${dir} is not a folder`
      : `${dir} has no ${basename(path)}`;
  return {
    ok: false,
    path,
    entries: 0,
    problem: 'no-database',
    message: `no gateway database to check: ${what}. Fix: ${STATE_FIX}`,
  };
}

/** The report for a file SQLite cannot read: verification fails (the log cannot be vouched for). */
function unreadable(path: string, e: unknown): AuditReport {
  const why = e instanceof Error ? e.message : String(e);
  return {
    ...bad(
      path,
      0,
      0,
      `${path} is unreadable: it is corrupt, truncated or not a SQLite database (SQLite: ${why})`,
      'restore the state database from a backup; if this is not the gateway database, ' + STATE_FIX,
    ),
    problem: 'unreadable',
  };
}

/** Verifies the audit log of a database file (the `privet audit verify` command). */
export async function verifyAuditDb(
  path: string,
  anchors: readonly ChainAnchor[] = [],
  options: AuditVerifyOptions = {},
): Promise<AuditReport> {
  if (path !== ':memory:' && path !== '' && !existsSync(path)) return noDatabase(path);
  if (options.key === undefined) {
    try {
      options = { ...options, key: auditMacKeyForDb(path, false) ?? null };
    } catch (e) {
      return keyUnreadable(path, e);
    }
  }
  let db: Db;
  try {
    db = openDurableDb(path, { readonly: true });
  } catch (e) {
    if (isUnreadableDb(e)) return unreadable(path, e);
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
    return await verifyAuditConnection(db, anchors, path, options);
  } catch (e) {
    if (isUnreadableDb(e)) return unreadable(path, e);
    throw e;
  } finally {
    db.close();
  }
}

/** Verifies the audit log through a connection reserved for this (it holds a read transaction). */
export async function verifyAuditConnection(
  db: Db,
  anchors: readonly ChainAnchor[] = [],
  path: string = db.name,
  options: AuditVerifyOptions = {},
): Promise<AuditReport> {
  if (db.name !== ':memory:' && db.name !== '' && !db.readonly) {
    // A writer's connection must not hold a long read snapshot; verify through a fresh one.
    return verifyAuditDb(db.name, anchors, options);
  }
  if (!hasTable(db, 'audit_log')) {
    return bad(
      path,
      0,
      0,
      `${path} has no audit log`,
      'pass the path of the gateway state database',
    );
  }
  // Before the snapshot (see the header); not authenticated without a key (only compared).
  const mark: HeadMarkRead = isFilePath(path)
    ? readHeadMarkToVerify(path, options.key)
    : { missing: true };
  db.exec('BEGIN');
  try {
    // A dropped head table reads as a missing head (tampering), not as an error of the check.
    const headMacColumn = hasColumn(db, 'audit_head', 'mac') ? 'mac' : 'NULL AS mac';
    const head = hasTable(db, 'audit_head')
      ? db
          .prepare<[], RecordedHead>(
            `SELECT seq, hash, ${headMacColumn} FROM audit_head WHERE id = 0`,
          )
          .get()
      : undefined;
    const checkpoint = readCheckpoint(db);
    const checkpointEntry = readCheckpointEntry(db);
    // The recorded head is no user anchor: it is checked after the chain, as what it is (below).
    const verifier = checkpoint
      ? new PrunedChainVerifier(checkpoint, [], {
          ...options,
          ...(checkpointEntry === undefined ? {} : { checkpointEntry }),
        })
      : new ChainVerifier();
    const anchored = new Set([
      ...anchors.map((a) => a.seq),
      ...(head ? [head.seq] : []),
      ...('mark' in mark ? [mark.mark.seq] : []),
      ...('unauthenticated' in mark ? [mark.unauthenticated.seq] : []),
    ]);
    const anchoredHashes = new Map<number, string>();
    const macs = new MacWalker(options.key ?? undefined);
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
        // The gateway stores details as canonical JSON. Other text that parses to the same object
        // (a duplicated key: JSON.parse keeps the last value, SQLite's json_extract the first)
        // would pass the hash yet show readers another value.
        if (row.details !== canonicalJson(entry.details)) {
          const msg = `audit entry #${verifiedCount(verifier)} has details not in the canonical form the gateway writes (e.g. a duplicated key) — the entry was edited`;
          return bad(path, verifiedCount(verifier), verifiedCount(verifier), msg, FIX);
        }
        intact = await verifier.push(entry);
        if (!intact) break;
        macs.push(row, entry);
        if (anchored.has(entry.seq)) anchoredHashes.set(entry.seq, entry.hash);
        last = row.seq;
      }
      if (rows.length < PAGE) break;
    }
    const result = verifier.finish();
    if (!result.ok) return bad(path, result.count, result.index, result.message, FIX);
    if (!head && result.count > 0) {
      return bad(path, result.count, 0, 'the audit head record is missing — it was deleted', FIX);
    }
    if (head) {
      const problem = headProblem(head, result.count, anchoredHashes.get(head.seq));
      if (problem) return bad(path, result.count, problem.index, problem.message, FIX);
    }
    const anchorFailure = checkAnchors(
      anchors,
      {
        count: result.count,
        ...(checkpoint ? { checkpoint } : {}),
        hashAt: (seq) => anchoredHashes.get(seq),
      },
      FIX,
    );
    if (anchorFailure) {
      const { index, message, fix } = anchorFailure;
      return bad(path, result.count, index, message, fix);
    }
    const kept = verifier instanceof PrunedChainVerifier ? verifier.keptEntryProblem() : undefined;
    if (kept) return bad(path, result.count, checkpoint?.seq ?? 0, kept, FIX);
    const mac = macs.finish();
    if (mac.forged) {
      const { index, message, fix } = mac.forged;
      return { ...bad(path, result.count, index, message, fix), macsChecked: !!options.key };
    }
    const marked = keyedMarkerFailure(path, result.count, mac);
    if (marked) return marked;
    const records = experimentRecordProblems(db, result.count);
    if (records && !records.notUpgraded)
      return bad(path, result.count, records.index, records.message, RECORD_FIX);
    // After the record checks: a cut that took an experiment's entries names the experiment.
    const headMac = headMacProblem(head, mac, options.key ?? undefined);
    if (headMac) {
      return {
        ...bad(path, result.count, headMac.index, headMac.message, HEAD_FIX),
        macsChecked: !!options.key,
      };
    }
    const rolledBack = headMarkFailure(path, mark, {
      count: result.count,
      checkpoint,
      hashAt: (seq) => anchoredHashes.get(seq),
    });
    if (rolledBack) return { ...rolledBack, macsChecked: !!options.key };
    const tip = head ? { seq: head.seq, hash: head.hash } : undefined;
    const stale = [
      ...(mac.notUpgraded ? [mac.notUpgraded] : []),
      ...(records ? [{ ...records, fix: RECORD_UPGRADE_FIX }] : []),
    ];
    if (stale.length > 0) return notUpgraded(path, result.count, stale);
    const pruned = checkpoint
      ? ` (#0…#${checkpoint.seq} pruned under the retention policy, checkpoint ${checkpoint.hash})`
      : '';
    const summary = tip
      ? `audit log intact: ${result.count} entries${pruned}, head #${tip.seq} ${tip.hash}; ${mac.summary}${headMarkNote(mark)}`
      : 'audit log intact: no entries yet';
    return {
      ok: true,
      path,
      entries: result.count,
      ...(tip ? { head: tip } : {}),
      message: summary,
      macsChecked: !!options.key,
    };
  } finally {
    // SQLite may have ended the transaction itself after an error (e.g. a corrupt page).
    if (db.inTransaction) db.exec('COMMIT');
  }
}

const MARKER_FIX =
  'compare the log with the anchors you kept outside this host, keep a copy of this file for the ' +
  'investigation, restore the database from a backup taken after the gateway keyed it, and find out ' +
  'who had write access to it. If you restored (or replaced) this database on purpose with one from ' +
  'before that point, run `privet audit accept-restore --state <dir> --reason "<why>"`: it checks that ' +
  "the copy's own log is intact, keeps the marker under a superseded name and records the restore in " +
  'the audit log; the gateway then marks the restored log anew';

/**
 * The report when the marker beside master.key says this database was keyed further than its log
 * shows (or the marker is damaged); undefined when it agrees or there is none (as before markers).
 */
function keyedMarkerFailure(path: string, count: number, mac: MacCheck): AuditReport | undefined {
  if (!isFilePath(path)) return undefined;
  const read = readKeyedMarker(path);
  if ('missing' in read) return undefined;
  if ('problem' in read) {
    return bad(
      path,
      count,
      0,
      `${read.problem}, so whether this log was keyed further cannot be told`,
      `restore ${keyedMarkerPath(path)} from a backup of the state folder; if it was damaged and the log matches your anchors, move it aside and start the gateway once, which writes it anew`,
    );
  }
  const problem = markerProblem(
    read.marker,
    {
      count,
      first: mac.first,
      keyedFrom: mac.keyedFrom,
      keyedFromKeyId: mac.keyedFromKeyId,
    },
    keyedMarkerPath(path),
  );
  return problem ? bad(path, count, problem.index, problem.message, MARKER_FIX) : undefined;
}

/**
 * The report when the head mark says the gateway committed entries this database does not hold
 * (an earlier copy was put in its place), or the mark is damaged or forged; undefined when it
 * agrees, is missing, or was made with another master key (replaced at the gateway's next write).
 */
function headMarkFailure(
  path: string,
  mark: HeadMarkRead,
  log: MarkedLog,
): AuditReport | undefined {
  if ('problem' in mark) {
    return bad(
      path,
      log.count,
      0,
      `${mark.problem}, so whether this database was replaced with an earlier copy of itself cannot be told`,
      damagedMarkFix(path),
    );
  }
  if ('unauthenticated' in mark) {
    const behind = unauthenticatedRollbackProblem(mark.unauthenticated, log, path);
    return (
      behind && behindUnauthenticatedMark(path, log.count, behind, unauthenticatedMarkFix(path))
    );
  }
  if (!('mark' in mark)) return undefined;
  const problem = rollbackProblem(mark.mark, log, path);
  return problem
    ? bad(path, log.count, problem.index, problem.message, rollbackFix(path, mark.mark))
    : undefined;
}

/** What an intact report says of the head mark (nothing when there is none, as before marks). */
function headMarkNote(mark: HeadMarkRead): string {
  if ('mark' in mark) return `; the gateway's head mark (#${mark.mark.seq}) matched`;
  if ('unauthenticated' in mark) return unauthenticatedMarkNote(mark.unauthenticated);
  if ('otherKey' in mark) {
    return `; the head mark was made with another master key (id ${mark.otherKey}), so it was not checked (the gateway replaces it at its next write)`;
  }
  return '';
}

/** What is wrong with the recorded head (audit_head) of a chain that verified, if anything. */
function headProblem(
  head: ChainAnchor,
  count: number,
  actual: string | undefined,
): { index: number; message: string } | undefined {
  const recorded = `the recorded head (audit_head) says the log ends at #${head.seq}`;
  if (head.seq >= count) {
    const ends = count > 0 ? `it ends at #${count - 1}` : 'it holds no entries';
    return {
      index: count,
      message: `${recorded}, but ${ends} — entries were deleted from the end`,
    };
  }
  if (head.seq + 1 < count) {
    return {
      index: head.seq + 1,
      message: `audit entries #${head.seq + 1}…#${count - 1} come after the recorded head (#${head.seq}) — they were added outside the gateway`,
    };
  }
  if (actual !== head.hash) {
    return {
      index: head.seq,
      message: `${recorded} with hash ${head.hash}, but entry #${head.seq} has ${actual ?? 'none'} — the log or its recorded head was rewritten`,
    };
  }
  return undefined;
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
