// Why: a steward who restores an older backup of privet.db on purpose finds every writer refusing it
// (the head mark beside it records a newer head, head-mark.ts), and moving the marker files aside
// by hand would leave the rollback on no record. `privet audit accept-restore` does it as one
// recorded step: it needs the master key, checks that the restored log verifies on its own (a
// genuine earlier copy, not a changed one: the markers beside it are left out of that check), and
// that it is behind the head mark, or ends before the point the keyed-log marker records (a copy
// from before the gateway keyed its log). It then renames the superseded marker files to kept
// names (`…superseded-<time>.json`, never deleted), opens the database as a writer and appends an
// `audit.restored` entry naming how far the lost log went, the restored head, the reason and the
// OS user; the keeper writes a fresh head mark when the connection closes. Its report checks the
// log as it is then, markers included, by continuing the first check's walk over the entries the
// run appended (they must link to the head it verified) rather than reading the whole log again.
// Crash safety: the entry names the files it supersedes. A run that died after the rename finds
// the newest superseded files named in no `audit.restored` entry and records them then.
// Limits, honestly: whoever holds the master key can accept any earlier copy; the entry puts that
// on the record, it does not prevent it. The ledger is not repaired: the steward lowers budgets.
import { renameSync, existsSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { AuditAction, JsonValue } from '@privet/core/record/index';
import { fsyncDir } from '../durable-file.js';
import { masterKeyPath } from '../keys.js';
import { AuditLog, firstKeyedEntry } from './log.js';
import { auditMacKeyForDb, parseMac, type AuditMacKey } from './mac.js';
import {
  damagedMarkFix,
  headMarkPath,
  readHeadMark,
  rollbackProblem,
  type HeadMarkRead,
} from './head-mark.js';
import {
  keyedMarkerPath,
  markerProblem,
  position,
  readKeyedMarker,
  readMarkerJson,
  type KeyedChain,
} from './keyed-marker.js';
import { readCheckpoint } from './retention.js';
import { hasTable, openDurableDb } from './sqlite.js';
import {
  auditExitCode,
  continueAuditWalk,
  formatAuditReport,
  verifyAuditDb,
  verifyAuditWalk,
} from './verify.js';
import type { AuditWalk } from './verify-walk.js';

/** The audit action recording an accepted restore. */
export const AUDIT_RESTORED = 'audit.restored' satisfies AuditAction;

/** The longest --reason kept in the entry. */
export const MAX_REASON_CHARS = 1000;

/** What the command was asked. */
export interface AcceptRestoreOptions {
  /** The gateway state folder (privet.db, master.key and the markers). */
  stateDir: string;
  /** Why the older copy was restored (kept in the entry). */
  reason?: string | undefined;
  /** The time (for the kept names and the entry; default now). */
  now?: () => Date;
}

/** What the command did, to print, and its exit code. */
export interface AcceptRestoreResult {
  /** True when a restore was recorded; false when there was nothing to accept. */
  accepted: boolean;
  /** Lines to print on stdout. */
  lines: string[];
  /** 0, or the verify exit code when the log still does not verify afterwards. */
  exitCode: number;
}

/** A mark or head: an entry position and its hash. */
interface Position {
  seq: number;
  hash: string;
}

/** What the restored database holds, read before anything is changed. */
interface LogFacts {
  /** Position after the newest entry; 0 for no log. */
  count: number;
  checkpoint: Position | undefined;
  /** The newest entry, if any. */
  head: Position | undefined;
  /** False for a database file without an audit log (missing, or without any table: a new state). */
  hasLog: boolean;
  /** Hashes of the kept entries by position (only those asked for are read). */
  hashAt(seq: number): string | undefined;
  /** True when an `audit.restored` entry names this kept file. */
  records(file: string): boolean;
  /** Where the kept entries start and MACs start, for the keyed-log marker (keyed-marker.ts). */
  keying: KeyedChain;
}

/** The superseded files of one run (one time stamp), read back from the folder. */
interface Superseded {
  files: string[];
  head: Position | undefined;
  keyed: { keyId: string; seq: number; headMacSeq?: number } | undefined;
}

const SUPERSEDED = /^audit-(head|keyed)-(.+)\.superseded-([0-9TZ.-]+)\.json$/;
const HASH = /^[0-9a-f]{64}$/;

/** The refusal: what happened and how to fix it (printed as `privet: … Fix: …`, exit 1). */
function refuse(what: string, fix: string): Error {
  return new Error(`audit accept-restore refused, nothing was changed: ${what}. Fix: ${fix}`);
}

/** The kept name of a marker file superseded at `stamp`. */
export function supersededPath(markerPath: string, stamp: string): string {
  return markerPath.replace(/\.json$/, `.superseded-${stamp}.json`);
}

/** The OS user running the command (for the record), or `unknown` when the OS does not say. */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown';
  }
}

/** The master key's audit key, or a refusal naming where it must be. */
function requireKey(dbPath: string): AuditMacKey {
  const keyPath = masterKeyPath(dirname(dbPath));
  const key = existsSync(keyPath) ? auditMacKeyForDb(dbPath, false) : undefined;
  if (!key) {
    throw refuse(
      `there is no master key at ${keyPath}, so neither the head mark nor the restored log can be authenticated`,
      `put the gateway's master.key back at ${keyPath} (from the state folder's backup, mode 600) and run the command again; do not start the gateway first, which would create a new key`,
    );
  }
  return key;
}

/**
 * Reads what the restored database holds through a read-only connection the caller closes (a
 * missing file, or one without any table, reads as a new state folder).
 */
function readLogFacts(dbPath: string): LogFacts & { close(): void } {
  const none = {
    count: 0,
    checkpoint: undefined,
    head: undefined,
    hasLog: false,
    hashAt: () => undefined,
    records: () => false,
    keying: { count: 0, first: undefined, keyedFrom: undefined, keyedFromKeyId: undefined },
    close: () => undefined,
  };
  if (!existsSync(dbPath)) return none;
  const db = openDurableDb(dbPath, { readonly: true });
  try {
    if (!hasTable(db, 'audit_log')) {
      const tables = db
        .prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'")
        .get();
      db.close();
      if ((tables?.n ?? 0) === 0) return none;
      throw refuse(
        `${dbPath} holds gateway tables but no audit log: its log was dropped, so it is no untouched earlier copy`,
        `restore a backup of ${dbPath} that holds its audit log, or, to start a new state folder, delete ${dbPath} and run the command again`,
      );
    }
    const head = db
      .prepare<[], Position>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')
      .get();
    const hashAt = db.prepare<[number], { hash: string }>(
      'SELECT hash FROM audit_log WHERE seq = ?',
    );
    const named = db.prepare<[string, string], { n: number }>(
      `SELECT count(*) AS n FROM audit_log, json_each(audit_log.details, '$.supersededFiles') AS f
       WHERE audit_log.action = ? AND f.value = ?`,
    );
    const first = db
      .prepare<[], Position>('SELECT seq, hash FROM audit_log ORDER BY seq LIMIT 1')
      .get();
    const keyed = firstKeyedEntry(db);
    const count = head ? head.seq + 1 : 0;
    return {
      count,
      keying: {
        count,
        first: first?.seq,
        keyedFrom: keyed?.seq,
        keyedFromKeyId: keyed?.keyId,
      },
      checkpoint: readCheckpoint(db),
      head,
      hasLog: true,
      hashAt: (seq) => hashAt.get(seq)?.hash,
      records: (file) => (named.get(AUDIT_RESTORED, file)?.n ?? 0) > 0,
      close: () => db.close(),
    };
  } catch (e) {
    if (db.open) db.close();
    throw e;
  }
}

/** The head mark kept at `path` when it is the gateway's (its MAC checks with `key`). */
function readKeptHeadMark(path: string, dbPath: string, key: AuditMacKey): Position | undefined {
  const read = readMarkerJson(path, 'the superseded head mark');
  if (!('value' in read)) return undefined;
  const m = read.value as Record<string, unknown> | undefined;
  if (!m || typeof m !== 'object' || !position(m['seq']) || typeof m['hash'] !== 'string') {
    return undefined;
  }
  const { seq, hash, mac } = m as { seq: number; hash: string; mac: unknown };
  if (!HASH.test(hash) || typeof mac !== 'string' || !parseMac(mac)) return undefined;
  return key.verifiesHeadMark(mac, basename(dbPath), seq, hash) ? { seq, hash } : undefined;
}

/**
 * The newest run's superseded files when none is named by an `audit.restored` entry yet (a run
 * that died between the rename and the entry), else undefined. A head mark among them must be the
 * gateway's and the log must part from it (else it records nothing true).
 */
function pendingSuperseded(
  dbPath: string,
  key: AuditMacKey,
  log: LogFacts,
): Superseded | undefined {
  const dir = dirname(dbPath);
  const runs = new Map<string, string[]>();
  for (const name of readdirSync(dir)) {
    const m = SUPERSEDED.exec(name);
    if (!m?.[3] || m[2] !== basename(dbPath)) continue;
    runs.set(m[3], [...(runs.get(m[3]) ?? []), name]);
  }
  const newest = [...runs.keys()].sort().pop();
  const files = newest === undefined ? [] : (runs.get(newest) ?? []).sort();
  if (files.length === 0 || files.some((f) => log.records(f))) return undefined;
  const headFile = files.find((f) => f.startsWith('audit-head-'));
  const head = headFile ? readKeptHeadMark(join(dir, headFile), dbPath, key) : undefined;
  if (headFile && (!head || !rollbackProblem({ ...head, mac: '' }, log, dbPath))) return undefined;
  const keyedFile = files.find((f) => f.startsWith('audit-keyed-'));
  const keyed = keyedFile ? readKeptKeyedMarker(join(dir, keyedFile)) : undefined;
  return { files, head, keyed };
}

/** What a kept keyed-log marker recorded, when it is in the gateway's form. */
function readKeptKeyedMarker(path: string): Superseded['keyed'] {
  const read = readMarkerJson(path, 'the superseded keyed-log marker');
  if (!('value' in read)) return undefined;
  const m = read.value as Record<string, unknown> | undefined;
  if (!m || typeof m !== 'object' || typeof m['keyId'] !== 'string' || !position(m['seq'])) {
    return undefined;
  }
  const headMacSeq = m['headMacSeq'];
  return {
    keyId: m['keyId'],
    seq: m['seq'],
    ...(position(headMacSeq) ? { headMacSeq } : {}),
  };
}

/**
 * Refuses a restored log that does not verify on its own: chain, recorded head, MACs and experiment
 * records (a log not yet upgraded passes: the writer upgrades it). The markers beside the database
 * are what is being superseded, so the check leaves them out (`skipMarkers`). Returns its walk of
 * the log, which the report after recording continues.
 */
async function requireIntactAlone(dbPath: string, key: AuditMacKey): Promise<AuditWalk> {
  const db = openDurableDb(dbPath, { readonly: true });
  try {
    const { report, walk } = await verifyAuditWalk(db, dbPath, { key, skipMarkers: true });
    if (walk && (report.ok || report.problem === 'not-upgraded')) return walk;
    const where = report.firstBad
      ? ` (entry #${report.firstBad.index}: ${report.firstBad.message})`
      : '';
    throw refuse(
      `the audit log of ${dbPath} does not verify on its own${where}, so it is not an untouched earlier copy of the database; accept-restore accepts only a genuine older copy`,
      `restore an untouched backup of ${dbPath}, keep this file for the investigation, and find out who had write access to it`,
    );
  } finally {
    db.close();
  }
}

/** Renames the superseded marker files to their kept names (atomic; the folder fsynced after). */
function moveAside(paths: readonly string[], stamp: string): string[] {
  const kept = paths.map((p) => {
    const to = supersededPath(p, stamp);
    renameSync(p, to);
    return basename(to);
  });
  if (paths[0]) fsyncDir(dirname(paths[0]));
  return kept;
}

/** What `privet audit accept-restore` does (see the header); throws a refusal naming the fix. */
export async function acceptRestore(options: AcceptRestoreOptions): Promise<AcceptRestoreResult> {
  const dbPath = join(options.stateDir, 'privet.db');
  const reason = options.reason?.trim() ?? '';
  if (reason.length > MAX_REASON_CHARS) {
    throw refuse(
      `the --reason is ${reason.length} characters long`,
      `give a reason of at most ${MAX_REASON_CHARS} characters (a ticket number and a sentence)`,
    );
  }
  const key = requireKey(dbPath);
  const current = readHeadMark(dbPath, key);
  if ('problem' in current) {
    throw refuse(
      `${current.problem}, so whether ${dbPath} is behind it cannot be told`,
      damagedMarkFix(dbPath),
    );
  }
  const log = readLogFacts(dbPath);
  let plan: Plan | undefined;
  try {
    plan = planAccept(dbPath, key, current, log);
  } finally {
    log.close();
  }
  if (!plan) return nothingToAccept(dbPath, key);
  const walk = log.hasLog ? await requireIntactAlone(dbPath, key) : undefined;

  const stamp = (options.now?.() ?? new Date()).toISOString().replace(/:/g, '-');
  const { behind, keyedAhead, pending } = plan;
  const moved = moveAside(
    [...(behind ? [headMarkPath(dbPath)] : []), ...(keyedAhead ? [keyedMarkerPath(dbPath)] : [])],
    stamp,
  );
  const superseded: Superseded = {
    files: [...(pending?.files ?? []), ...moved],
    head: behind ?? pending?.head,
    keyed: keyedAhead ?? pending?.keyed,
  };
  const entry = recordRestore(dbPath, superseded, log.head, reason, options.now);
  // The log as it is now, markers included, without reading the restored log a second time: the
  // walk that verified it goes on over what this run appended (verify-walk.ts). Without a restored
  // log (a new state) the whole log is the run's own entries.
  const report = walk
    ? await continueAuditWalk(dbPath, walk)
    : await verifyAuditDb(dbPath, [], { key });
  return {
    accepted: true,
    lines: [...describe(dbPath, superseded, log.head, entry, !!pending), formatAuditReport(report)],
    exitCode: auditExitCode(report),
  };
}

/** What a run supersedes: the head mark the log is behind, the keyed marker ahead, or a run's files. */
interface Plan {
  behind: Position | undefined;
  keyedAhead: Superseded['keyed'];
  pending: Superseded | undefined;
}

/**
 * What there is to accept (undefined: nothing), from the markers and the restored log; a run that
 * died after its renames left files no entry names, which this run records with its own.
 */
function planAccept(
  dbPath: string,
  key: AuditMacKey,
  current: HeadMarkRead,
  log: LogFacts,
): Plan | undefined {
  const mark = 'mark' in current ? current.mark : undefined;
  const behind = mark && rollbackProblem(mark, log, dbPath) ? mark : undefined;
  const keyedAhead = keyedMarkerAhead(dbPath, log);
  const pending = pendingSuperseded(dbPath, key, log);
  if (!behind && !keyedAhead && !pending) return undefined;
  return { behind: behind && { seq: behind.seq, hash: behind.hash }, keyedAhead, pending };
}

/**
 * The keyed-log marker when the log ends before the point it records (a copy from before keying);
 * refuses a marker that disagrees otherwise (a log rewritten without the key) or is damaged.
 */
function keyedMarkerAhead(dbPath: string, log: LogFacts): Superseded['keyed'] {
  const read = readKeyedMarker(dbPath);
  if ('missing' in read) return undefined;
  if ('problem' in read) {
    throw refuse(
      `${read.problem}, so whether the restored log was keyed further cannot be told`,
      `restore ${keyedMarkerPath(dbPath)} from the backup of the state folder and run the command again`,
    );
  }
  const { seq, headMacSeq } = read.marker;
  if (log.count <= seq || (headMacSeq !== undefined && log.count <= headMacSeq)) {
    return read.marker;
  }
  const problem = log.hasLog
    ? markerProblem(read.marker, log.keying, keyedMarkerPath(dbPath))
    : undefined;
  if (!problem) return undefined;
  throw refuse(
    `${problem.message}, so it is not an untouched earlier copy of the database`,
    `restore an untouched backup of ${dbPath}, keep this file for the investigation, and find out who had write access to it`,
  );
}

/** Nothing to accept: the log is not behind its markers (it must still verify: else refused). */
async function nothingToAccept(dbPath: string, key: AuditMacKey): Promise<AcceptRestoreResult> {
  const report = await verifyAuditDb(dbPath, [], { key });
  if (!report.ok && report.problem !== 'not-upgraded' && report.problem !== 'no-database') {
    throw refuse(
      `${dbPath} is not behind its head mark or keyed-log marker, so there is no restore to accept, but its audit log does not verify: ${report.message}`,
      'follow the fix above (`privet audit verify` reports it too)',
    );
  }
  return {
    accepted: false,
    lines: [
      `nothing to accept: ${dbPath} is not behind the head mark or the keyed-log marker beside it, and nothing was changed`,
      formatAuditReport(report),
    ],
    exitCode: 0,
  };
}

/** Opens the database as a writer and appends the `audit.restored` entry; returns its position. */
function recordRestore(
  dbPath: string,
  superseded: Superseded,
  restored: Position | undefined,
  reason: string,
  now: (() => Date) | undefined,
): Position {
  const db = openDurableDb(dbPath);
  try {
    const audit = new AuditLog(db, now);
    const details: { [key: string]: JsonValue } = {
      superseded: superseded.head ? { seq: superseded.head.seq, hash: superseded.head.hash } : null,
      restored: restored ? { seq: restored.seq, hash: restored.hash } : null,
      supersededFiles: superseded.files,
      reason: reason === '' ? null : reason,
      osUser: osUser(),
      ...(superseded.keyed ? { keyedMarker: { ...superseded.keyed } } : {}),
    };
    const entry = audit.append({
      actor: 'cli',
      action: AUDIT_RESTORED,
      subject: basename(dbPath),
      details,
    });
    return { seq: entry.seq, hash: entry.hash };
  } finally {
    // The head-mark keeper writes the fresh mark as the connection closes.
    db.close();
  }
}

/** What happened and what the steward must still do. */
function describe(
  dbPath: string,
  superseded: Superseded,
  restored: Position | undefined,
  entry: Position,
  resumed: boolean,
): string[] {
  const stateDir = dirname(dbPath);
  const restoredText = restored
    ? `entry #${restored.seq} ${restored.hash}`
    : 'no audit entries (a new state)';
  const lost = superseded.head
    ? `the log this gateway had reached went to entry #${superseded.head.seq} ${superseded.head.hash}`
    : `the keyed-log marker records keying from entry #${superseded.keyed?.seq ?? 0} on`;
  return [
    `accepted the restore of ${dbPath}${resumed ? ' (completing an earlier run that stopped after moving the markers)' : ''}: its audit log ends at ${restoredText}; ${lost}`,
    `kept the superseded marker files in ${stateDir}: ${superseded.files.join(', ')}`,
    `recorded as audit entry #${entry.seq} (${AUDIT_RESTORED}); the gateway opens the database again and marks its head anew`,
    'Still to do: the ledger no longer holds the charges made after this copy, so their privacy budget can be spent again: ' +
      'lower the affected budgets in the policy by what the releases since the copy spent before anyone queries, ' +
      `and take a fresh anchor with \`privet audit verify --state ${stateDir}\` (keep it outside this host)`,
  ];
}
