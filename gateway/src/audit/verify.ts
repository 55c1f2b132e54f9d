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
// 2 like an unreadable key (verify-report.ts), never as TAMPERED. `skipMarkers` leaves both markers
// out, explicitly (the report says so). The entries are read by a walk (verify-walk.ts) that can be
// continued over entries appended later (continueAuditWalk) instead of reading the log again.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { ChainAnchor } from '@privet/core/record/index';
import { hasColumn, hasTable, openDurableDb, type Db } from './sqlite.js';
import { readCheckpoint, readCheckpointEntry, type AuditCheckpoint } from './retention.js';
import { AuditWalk } from './verify-walk.js';
import { auditMacKeyForDb, isFilePath, type AuditMacKey } from './mac.js';
import type { RecordedHead } from './verify-head.js';
import { keyUnreadable, type AuditProblem } from './verify-report.js';
import { readHeadMarkToVerify, type HeadMarkRead } from './head-mark.js';
import { bad, FIX, judge } from './verify-judge.js';

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
  /**
   * Check the log alone: chain, recorded head, MACs, records; not the head mark or keyed-log marker
   * beside the database (accept-restore's check of a restored copy, whose markers it supersedes).
   */
  skipMarkers?: boolean;
}

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

/** A read-only connection to the database file at `path`, or the report why there is none. */
function openToVerify(path: string): { db: Db } | { report: AuditReport } {
  if (path !== ':memory:' && path !== '' && !existsSync(path)) return { report: noDatabase(path) };
  try {
    return { db: openDurableDb(path, { readonly: true }) };
  } catch (e) {
    if (isUnreadableDb(e)) return { report: unreadable(path, e) };
    const why = e instanceof Error ? e.message : 'unknown error';
    return {
      report: bad(
        path,
        0,
        0,
        `cannot open ${path} (${why})`,
        'pass the path of the gateway state database',
      ),
    };
  }
}

/** Runs a check on the connection `opened` gave, reporting a file SQLite cannot read as such. */
async function onConnection<T extends { report: AuditReport }>(
  path: string,
  opened: { db: Db } | { report: AuditReport },
  check: (db: Db) => Promise<T>,
): Promise<T | { report: AuditReport }> {
  if ('report' in opened) return opened;
  try {
    return await check(opened.db);
  } catch (e) {
    if (isUnreadableDb(e)) return { report: unreadable(path, e) };
    throw e;
  } finally {
    opened.db.close();
  }
}

/** Verifies the audit log of a database file (the `privet audit verify` command). */
export async function verifyAuditDb(
  path: string,
  anchors: readonly ChainAnchor[] = [],
  options: AuditVerifyOptions = {},
): Promise<AuditReport> {
  if (path !== ':memory:' && path !== '' && !existsSync(path)) return noDatabase(path);
  const keyed = withDefaultKey(path, options);
  if ('report' in keyed) return keyed.report;
  options = keyed.options;
  const checked = await onConnection(path, openToVerify(path), async (db) => ({
    report: await verifyAuditConnection(db, anchors, path, options),
  }));
  return checked.report;
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
  return (await walkAndJudge(db, path, anchors, options, undefined)).report;
}

/** The options with the key of the database's folder when none was given (as documented there). */
function withDefaultKey(
  path: string,
  options: AuditVerifyOptions,
): { options: AuditVerifyOptions } | { report: AuditReport } {
  if (options.key !== undefined) return { options };
  try {
    return { options: { ...options, key: auditMacKeyForDb(path, false) ?? null } };
  } catch (e) {
    return { report: keyUnreadable(path, e) };
  }
}

/**
 * Verifies the database file at `path` as verifyAuditDb does, through a read-only connection to it
 * reserved for this, and returns the walk of the log (when the chain was read to its end) for
 * continueAuditWalk.
 */
export async function verifyAuditWalk(
  db: Db,
  path: string,
  options: AuditVerifyOptions = {},
): Promise<{ report: AuditReport; walk?: AuditWalk }> {
  if (!db.readonly) return { report: await verifyAuditConnection(db, [], path, options) };
  const keyed = withDefaultKey(path, options);
  if ('report' in keyed) return keyed;
  return walkAndJudge(db, path, [], keyed.options, undefined);
}

/**
 * Verifies the log of the database file at `path` as verifyAuditDb would, by continuing `walk`
 * (verifyAuditWalk's, of the same file) over the entries appended since, which must link to the
 * last entry it verified (verify-walk.ts); with the key and anchors it was made with, and the
 * head mark and keyed-log marker checked unless `skipMarkers`. A log pruned since (another
 * checkpoint), or a pruned log walked minutes ago (AuditWalk.resumable), is walked from its start
 * again.
 */
export async function continueAuditWalk(
  path: string,
  walk: AuditWalk,
  options: Pick<AuditVerifyOptions, 'skipMarkers'> = {},
): Promise<AuditReport> {
  const { anchors, key, pruned } = walk.start;
  const all = { ...pruned, key: key ?? null, ...options };
  const checked = await onConnection(path, openToVerify(path), (db) =>
    walkAndJudge(db, path, anchors, all, walk),
  );
  return checked.report;
}

/** The walk (`resume`d when it is of this file and checkpoint) and the checks after it, in one snapshot. */
async function walkAndJudge(
  db: Db,
  path: string,
  anchors: readonly ChainAnchor[],
  options: AuditVerifyOptions,
  resume: AuditWalk | undefined,
): Promise<{ report: AuditReport; walk?: AuditWalk }> {
  if (!hasTable(db, 'audit_log')) {
    return {
      report: bad(
        path,
        0,
        0,
        `${path} has no audit log`,
        'pass the path of the gateway state database',
      ),
    };
  }
  // Before the snapshot (see the header); not authenticated without a key (only compared).
  const mark: HeadMarkRead =
    isFilePath(path) && !options.skipMarkers
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
    const same =
      resume &&
      resume.resumable &&
      resume.start.path === path &&
      sameCheckpoint(resume.start.checkpoint, checkpoint);
    // The recorded head is no user anchor: it is checked after the chain, as what it is (below).
    const walk =
      (same ? resume : undefined) ??
      new AuditWalk({
        path,
        checkpoint,
        checkpointEntry: readCheckpointEntry(db),
        anchors,
        pruned: {
          ...(options.retentionDays === undefined ? {} : { retentionDays: options.retentionDays }),
          ...(options.now === undefined ? {} : { now: options.now }),
        },
        key: options.key ?? undefined,
      });
    const anchored = new Set([
      ...anchors.map((a) => a.seq),
      ...(head ? [head.seq] : []),
      ...('mark' in mark ? [mark.mark.seq] : []),
      ...('unauthenticated' in mark ? [mark.unauthenticated.seq] : []),
    ]);
    const badEntry = await walk.readOn(db, anchored);
    if (badEntry) {
      const { index, message } = badEntry;
      return { report: bad(path, index, index, message, FIX) };
    }
    const report = judge(db, path, anchors, options, { walk, head, checkpoint, mark });
    return { report, walk };
  } finally {
    // SQLite may have ended the transaction itself after an error (e.g. a corrupt page).
    if (db.inTransaction) db.exec('COMMIT');
  }
}

/** True when both name the same retention checkpoint (or neither names one). */
function sameCheckpoint(a: AuditCheckpoint | undefined, b: AuditCheckpoint | undefined): boolean {
  return a?.seq === b?.seq && a?.hash === b?.hash;
}
