// Why: every MAC lives inside the database, so someone who can write privet.db but not the rest of
// the state folder can put an EARLIER COPY of the same database in its place: every entry MAC and
// the head MAC are genuine, so the log verifies intact, yet the budget ledger (privacy budget spent
// since the copy is spendable again), the review decisions and the experiment records are rolled
// back. The gateway therefore keeps a high-water mark beside the database,
// `audit-head-<db file name>.json` (mode 0600, temp file + fsync + rename + folder fsync): the
// newest audit head it has committed (seq and hash) with a MAC of its own preimage under the
// master key (mac.ts signHeadMark), so nobody without the key can forge it or move it forward. A
// database whose log ends before the mark's entry, or whose entry at that position has another
// hash (a copy that was then written to), is TAMPERED at verify, and the gateway (any process that
// opens the audit log for writing: serve, publish, the CLI) refuses to open it (head-mark-keeper.ts).
// Durability: the mark may only name heads that survive a power cut, else a crash would turn into a
// false alarm. Commits are fsynced (synchronous=FULL in WAL mode, sqlite.ts), except the ledger's
// reservation batches (`immediate(…, { durable: false })`, synchronous=NORMAL), which a power cut
// can lose; the keeper therefore reads the committed head outside any transaction and fsyncs the
// database file and its WAL before it writes the mark, which makes that head and every commit
// before it durable. The mark may lag the database (coalesced writes, a crash before the next one,
// two processes racing): a mark behind the database is no alarm, only a weaker check.
// Limits, honestly: whoever can write the whole state folder deletes or rewinds the mark with the
// database (anchors kept off the host remain the defence then); a database without an audit log
// is refused while a valid mark of this key exists (an earlier copy with its audit tables dropped,
// or a deleted database: a new state folder on purpose is accepted with `privet audit
// accept-restore`, accept-restore.ts, which keeps the mark under a superseded name); a missing mark
// means what
// it meant before (verify falls back to the other checks); a mark made with another master key (a
// replaced master.key) cannot be checked and is replaced at the next write; without master.key
// beside the database verify cannot authenticate it, and only compares its unauthenticated seq and
// hash with the log (a database behind it is reported, not as TAMPERED: anyone who can write the
// folder can write such a mark); heads of the last second before a process is killed (SIGKILL, a
// crash, a power cut) or ended by a signal it does not handle are not marked (a process that exits
// without closing its database marks them in its 'exit' event, head-mark-keeper.ts), so a rollback
// by less than that goes unseen.
import { basename, dirname, join } from 'node:path';
import { writeFileDurably } from '../durable-file.js';
import { masterKeyPath } from '../keys.js';
import { position, readMarkerJson } from './keyed-marker.js';
import { parseMac, type AuditMacKey } from './mac.js';

/** The newest committed audit head the gateway recorded for a database. */
export interface HeadMark {
  /** Position of the newest committed entry. */
  seq: number;
  /** Its hash. */
  hash: string;
  /** The master key's MAC of the mark (`<key id>:<tag>`, AuditMacKey.signHeadMark). */
  mac: string;
}

/** The mark file of the database at `dbPath`: `audit-head-<db file name>.json` beside it. */
export function headMarkPath(dbPath: string): string {
  return join(dirname(dbPath), `audit-head-${basename(dbPath)}.json`);
}

/**
 * A mark as read and checked with the gateway's key: valid, missing, made with another key (a
 * replaced master.key: not checkable), damaged / forged (`problem` says which, with the path), or
 * read without a key (`unauthenticated`: in the gateway's form, its MAC not checked).
 */
export type HeadMarkRead =
  | { mark: HeadMark }
  | { missing: true }
  | { otherKey: string }
  | { problem: string }
  | { unauthenticated: HeadMark };

const HASH = /^[0-9a-f]{64}$/;

/** The mark file of the database at `dbPath` in the gateway's form, its MAC not checked yet. */
function readHeadMarkForm(
  dbPath: string,
): { form: HeadMark & { keyId: string } } | { missing: true } | { problem: string } {
  const path = headMarkPath(dbPath);
  const read = readMarkerJson(path, 'the audit head mark');
  if (!('value' in read)) return read;
  const m = read.value as Partial<Record<keyof HeadMark | 'version', unknown>> | undefined;
  const mac = typeof m?.mac === 'string' ? parseMac(m.mac) : undefined;
  if (
    !m ||
    typeof m !== 'object' ||
    m.version !== 1 ||
    !position(m.seq) ||
    typeof m.hash !== 'string' ||
    !HASH.test(m.hash) ||
    typeof m.mac !== 'string' ||
    !mac
  ) {
    return { problem: `the audit head mark ${path} is not in the form the gateway writes` };
  }
  return { form: { seq: m.seq, hash: m.hash, mac: m.mac, keyId: mac.keyId } };
}

/** Reads the mark of the database at `dbPath` and checks its MAC with `key` (never throws). */
export function readHeadMark(dbPath: string, key: AuditMacKey): HeadMarkRead {
  const read = readHeadMarkForm(dbPath);
  if (!('form' in read)) return read;
  const { seq, hash, mac, keyId } = read.form;
  if (keyId !== key.id) return { otherKey: keyId };
  if (!key.verifiesHeadMark(mac, basename(dbPath), seq, hash)) {
    return {
      problem: `the audit head mark ${headMarkPath(dbPath)} carries no valid MAC of the gateway's key — it was edited (e.g. its entry number changed) or damaged`,
    };
  }
  return { mark: { seq, hash, mac } };
}

/**
 * The mark as `privet audit verify` reads it: checked with `key`, or without one (no master.key
 * beside the database, or hashes alone asked for) `unauthenticated` when it is in the gateway's
 * form (a damaged one is a problem either way: its form does not depend on the key).
 */
export function readHeadMarkToVerify(
  dbPath: string,
  key: AuditMacKey | null | undefined,
): HeadMarkRead {
  if (key) return readHeadMark(dbPath, key);
  const read = readHeadMarkForm(dbPath);
  if (!('form' in read)) return read;
  const { seq, hash, mac } = read.form;
  return { unauthenticated: { seq, hash, mac } };
}

/** Writes the mark naming committed head `seq`/`hash` (mode 0600, temp + fsync + rename). */
export function writeHeadMark(
  dbPath: string,
  key: AuditMacKey,
  head: { seq: number; hash: string },
): void {
  const mac = key.signHeadMark(basename(dbPath), head.seq, head.hash);
  const text = `${JSON.stringify({ version: 1, seq: head.seq, hash: head.hash, mac })}\n`;
  writeFileDurably(headMarkPath(dbPath), text, 0o600);
}

/** What the database holds, for the rollback check. */
export interface MarkedLog {
  /** Position after the newest entry (pruned entries count); 0 for an empty log. */
  count: number;
  /** The retention checkpoint (the last pruned entry), when the log was pruned. */
  checkpoint?: { seq: number; hash: string } | undefined;
  /** The stored hash of a kept entry (asked only for the mark's position). */
  hashAt(seq: number): string | undefined;
}

const LOST =
  'an earlier copy of the database was put in its place: privacy budget charged after that copy can be spent again, and the review decisions, experiment records and audit entries made after it are gone';

/** Where the log parts from the mark, if it does: what it shows at the marked entry. */
function partingFromMark(
  mark: { seq: number; hash: string },
  log: MarkedLog,
  dbPath: string,
): { index: number; shows: string; differs: boolean } | undefined {
  if (log.count <= mark.seq) {
    const ends = log.count > 0 ? `ends at entry #${log.count - 1}` : 'holds no audit entries';
    return { index: log.count, shows: `${dbPath} ${ends}`, differs: false };
  }
  const cp = log.checkpoint;
  // An entry pruned under the retention policy is gone: its position alone is compared.
  if (cp && mark.seq < cp.seq) return undefined;
  const actual = cp && mark.seq === cp.seq ? cp.hash : log.hashAt(mark.seq);
  if (actual === mark.hash) return undefined;
  return {
    index: mark.seq,
    shows: `entry #${mark.seq} of ${dbPath} has ${actual ?? 'none'}`,
    differs: true,
  };
}

/** Why the database is behind (or beside) the mark, if it is: the entry concerned and what happened. */
export function rollbackProblem(
  mark: HeadMark,
  log: MarkedLog,
  dbPath: string,
): { index: number; message: string } | undefined {
  const parting = partingFromMark(mark, log, dbPath);
  if (!parting) return undefined;
  const recorded = `${headMarkPath(dbPath)} records that the gateway committed audit entry #${mark.seq}`;
  if (!parting.differs) {
    return {
      index: parting.index,
      message: `the database is older than the newest audit head this gateway recorded: ${recorded}, but ${parting.shows} — ${LOST}`,
    };
  }
  return {
    index: parting.index,
    message: `the database is not the one whose newest audit head this gateway recorded: ${recorded} with hash ${mark.hash}, but ${parting.shows} — ${LOST} (and was then written to, or another database was put there)`,
  };
}

/**
 * Why the database is behind (or beside) a mark read without the master key, if it is: worded as
 * what the mark says, since anyone who can write the state folder can write such a file.
 */
export function unauthenticatedRollbackProblem(
  mark: HeadMark,
  log: MarkedLog,
  dbPath: string,
): { index: number; message: string } | undefined {
  const parting = partingFromMark(mark, log, dbPath);
  if (!parting) return undefined;
  const keyPath = masterKeyPath(dirname(dbPath));
  return {
    index: parting.index,
    message:
      `the head mark ${headMarkPath(dbPath)} says the gateway committed audit entry #${mark.seq} with hash ${mark.hash}, ` +
      `but ${parting.shows}. The mark was not authenticated: this check ran without the gateway's key (there is no ` +
      `${keyPath}, or hashes alone were asked for), so it may not be the gateway's (anyone who can write the state ` +
      `folder can write one). If it is, ${LOST}` +
      (parting.differs ? ' (and was then written to, or another database was put there)' : ''),
  };
}

/** How to respond to a database behind a mark read without the master key. */
export function unauthenticatedMarkFix(dbPath: string): string {
  const stateDir = dirname(dbPath);
  return (
    `put the gateway's master key back at ${masterKeyPath(stateDir)} (from the gateway's state folder or your ` +
    `backup of it, mode 600) and run \`privet audit verify --state ${stateDir}\` again: it authenticates the mark ` +
    'and reports TAMPERED, with the fix, if this database was replaced with an earlier copy of itself or the mark ' +
    'was forged. Until then start no gateway or `privet` command that writes on this folder: without the key ' +
    'it creates a new one and replaces the mark'
  );
}

/** How to respond to a rolled-back database (`privet audit verify` and the refused start). */
export function rollbackFix(dbPath: string, mark: HeadMark): string {
  const markPath = headMarkPath(dbPath);
  return (
    `restore the newest backup of ${dbPath} (it must hold entry #${mark.seq} with hash ${mark.hash}; ` +
    `\`privet audit verify --state ${dirname(dbPath)}\` checks it against the mark), keep the replaced file ` +
    'for the investigation, and find out who had write access to it. If you restored an older copy on ' +
    `purpose, run \`privet audit accept-restore --state ${dirname(dbPath)} --reason "<why>"\` rather than ` +
    `move ${markPath} aside by hand: it checks that the copy's own log is intact, keeps the mark under a ` +
    'superseded name (it says how far the lost log went) and records the restore in the audit log, and the ' +
    'gateway then opens the copy and marks its head anew; the ledger no longer holds the charges made after ' +
    'that copy, so lower the affected budgets in the policy by what the releases since then spent before ' +
    'anyone queries, and take a fresh anchor with `privet audit verify`'
  );
}

/** How to respond to a database without an audit log where the mark records one. */
export function newStateFix(dbPath: string, mark: HeadMark): string {
  return (
    `${rollbackFix(dbPath, mark)}. If you deleted the database on purpose to start a new state ` +
    `folder, the same command accepts that (it moves ${headMarkPath(dbPath)} aside too, keeping it, ` +
    'and starts the new log with the record)'
  );
}

/** How to respond to a damaged or forged mark. */
export function damagedMarkFix(dbPath: string): string {
  const markPath = headMarkPath(dbPath);
  return (
    `restore ${markPath} from a backup of the state folder; if it was damaged and ` +
    `\`privet audit verify --state ${dirname(dbPath)} --anchor <your newest anchor>\` finds the log intact, ` +
    'move it aside and start the gateway, which writes it anew'
  );
}

/** A refusal to open a database that is behind its head mark, or whose mark is damaged. */
export class AuditRollbackError extends Error {
  /** `audit_rolled_back` (behind the mark) or `audit_head_mark_damaged` (mark unreadable or forged). */
  readonly code: 'audit_rolled_back' | 'audit_head_mark_damaged';
  /** What happened, without the fix. */
  readonly what: string;
  /** The database concerned. */
  readonly path: string;
  /** How to fix it. */
  readonly fix: string;

  /** Builds the refusal: `what` happened to the database at `path`; `fix` says what to do. */
  constructor(code: AuditRollbackError['code'], what: string, path: string, fix: string) {
    super(`refusing to open ${path}, which was left as it is: ${what}. Fix: ${fix}`);
    this.name = 'AuditRollbackError';
    this.code = code;
    this.what = what;
    this.path = path;
    this.fix = fix;
  }
}
