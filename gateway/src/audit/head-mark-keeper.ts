// Why: the head mark (head-mark.ts) is checked when a process opens the audit log for writing and
// kept current while it writes. The check runs before the process writes anything (a rolled-back
// database is refused as it is). Writes are coalesced off the hot path: an append only arms a
// timer (unref'd, so it never keeps a process alive), which writes the mark at most once per
// interval; closing the connection writes the last one. The connection's close is wrapped, once per
// connection, so every caller (the services, the CLI commands, publish) leaves the final mark
// without knowing of it. A process that exits without closing (process.exit(), the event loop run
// dry, an uncaught exception) writes the pending mark in its 'exit' event, where only synchronous
// work runs (the whole write path is synchronous); one listener serves every open keeper. A process
// that is killed (SIGKILL, the OOM killer, a crash of the runtime, a power cut) or ended by a signal
// it does not handle runs no 'exit' handlers: the heads since its last mark stay unmarked, so a
// rollback by less than that goes unseen (serve closes on SIGINT/SIGTERM). The mark names the head
// read outside any transaction (committed) that carries the key's head MAC (the gateway wrote it),
// after fsyncing the database and its WAL (so it survives a power cut even when written by a
// non-durable commit), and only moves forward.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { AuditMacKey } from './mac.js';
import {
  AuditRollbackError,
  damagedMarkFix,
  headMarkPath,
  newStateFix,
  readHeadMark,
  rollbackFix,
  rollbackProblem,
  writeHeadMark,
  type HeadMark,
} from './head-mark.js';
import { readCheckpoint } from './retention.js';
import { hasTable, type Db } from './sqlite.js';

/** At most one mark write per this many ms while appends come in. */
export const HEAD_MARK_INTERVAL_MS = 1000;

/**
 * Checks the database against its head mark before anything is written to it: throws an
 * AuditRollbackError when its log ends before the marked entry or holds another entry there, when
 * it has no audit log at all while a valid mark exists, or when the mark is damaged or forged. Returns the valid mark (undefined when there is none, or it was made with another key).
 */
export function checkHeadMarkAtOpen(db: Db, key: AuditMacKey): HeadMark | undefined {
  // The mark first: it only names heads committed before it was written, so the database read
  // after it is never behind it unless it was rolled back.
  const read = readHeadMark(db.name, key);
  if ('problem' in read) {
    throw new AuditRollbackError(
      'audit_head_mark_damaged',
      `${read.problem}, so whether ${db.name} was replaced with an earlier copy of itself cannot be told`,
      db.name,
      damagedMarkFix(db.name),
    );
  }
  if (!('mark' in read)) return undefined;
  // Read after the mark: a process that created the database at the same time committed its log
  // before it wrote the mark, so a missing log now means it is gone.
  if (!hasTable(db, 'audit_log')) {
    // No audit log, yet this key marked one here: the file was replaced or its log dropped (a
    // rolled-back ledger under a log started afresh), not a state folder opened for the first time.
    throw new AuditRollbackError(
      'audit_rolled_back',
      `${db.name} has no audit log, but the head mark ${headMarkPath(db.name)} records entry ` +
        `#${read.mark.seq} of the log this gateway kept there: the database was replaced or its ` +
        'audit log dropped',
      db.name,
      newStateFix(db.name, read.mark),
    );
  }
  const newest = db
    .prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM audit_log')
    .get()?.seq;
  const hashAt = db.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?');
  const problem = rollbackProblem(
    read.mark,
    {
      count: newest === null || newest === undefined ? 0 : newest + 1,
      checkpoint: readCheckpoint(db),
      hashAt: (seq) => hashAt.get(seq)?.hash,
    },
    db.name,
  );
  if (problem) {
    throw new AuditRollbackError(
      'audit_rolled_back',
      problem.message,
      db.name,
      rollbackFix(db.name, read.mark),
    );
  }
  return read.mark;
}

interface HeadRow {
  seq: number;
  hash: string;
  mac: string | null;
}

/** Keeps the head mark of one writable connection current (see the header). */
export class HeadMarkKeeper {
  private readonly db: Db;
  private readonly key: AuditMacKey;
  private readonly intervalMs: number;
  private readonly headStmt;
  private recorded: { seq: number; hash: string } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Keeps the mark of `db` (its head table has a MAC column), starting from `recorded`. */
  constructor(db: Db, key: AuditMacKey, recorded: HeadMark | undefined, intervalMs: number) {
    this.db = db;
    this.key = key;
    this.intervalMs = intervalMs;
    this.recorded = recorded;
    this.headStmt = db.prepare<[], HeadRow>('SELECT seq, hash, mac FROM audit_head WHERE id = 0');
  }

  /** Notes that the head may have moved: the mark is written within the interval. */
  touched(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushOrWarn();
    }, this.intervalMs);
    this.timer.unref();
  }

  /**
   * Writes the mark now if the committed head moved past it (true when written). `replace` writes
   * it whatever the file says (a database created anew replaces the mark of the one before it).
   */
  flush(options: { replace?: boolean } = {}): boolean {
    if (!this.db.open) return false;
    if (this.db.inTransaction) {
      this.touched();
      return false;
    }
    const head = this.headStmt.get();
    if (!head || !this.key.verifiesHead(head.mac, head.seq, head.hash)) return false;
    if (!options.replace) {
      if (this.recorded && head.seq <= this.recorded.seq) return false;
      // Another process on the same database may have marked a newer head already.
      const onFile = readHeadMark(this.db.name, this.key);
      if ('mark' in onFile && onFile.mark.seq >= head.seq) {
        this.recorded = onFile.mark;
        return false;
      }
    }
    syncDatabase(this.db.name);
    writeHeadMark(this.db.name, this.key, head);
    this.recorded = { seq: head.seq, hash: head.hash };
    return true;
  }

  /** Stops the timer and writes the last mark (before the connection closes). */
  finish(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    unwatchExit(this);
    this.flushOrWarn();
  }

  /**
   * Writes the pending mark, if a write is pending, as the process exits without closing the
   * connection (its 'exit' event: synchronous, as flush is, fsync of the database and WAL first).
   * Not reached when the process is killed (SIGKILL) or ended by a signal it does not handle.
   */
  markAtExit(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushOrWarn(true);
  }

  /**
   * flush, with a failure told on the process's warning channel (no caller to throw to); at exit
   * written to stderr at once, since an emitted warning would be printed after the process ended.
   */
  private flushOrWarn(atExit = false): void {
    try {
      this.flush();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException | null)?.code ?? 'error';
      const warning =
        `could not write the audit head mark ${headMarkPath(this.db.name)} (${code}): until a later write ` +
        'succeeds, putting an earlier copy of the database in place is not caught by it. Fix: make sure ' +
        'the state folder is writable and its disk not full';
      if (!atExit) process.emitWarning(warning, { code: 'PRIVET_AUDIT_HEAD_MARK' });
      else writeWarningNow(`Warning [PRIVET_AUDIT_HEAD_MARK]: ${warning}`);
    }
  }
}

/** Writes a line to stderr synchronously (in an 'exit' handler), ignoring a closed stderr. */
function writeWarningNow(line: string): void {
  try {
    writeSync(2, `${line}\n`);
  } catch {
    // Nowhere left to tell it.
  }
}

/**
 * Keepers of connections not closed yet. One 'exit' listener serves them all (added with the first,
 * removed with the last), so any number of open connections adds at most one listener.
 */
const unclosed = new Set<HeadMarkKeeper>();

/** Marks the pending heads of every connection the process did not close. */
function markUnclosedAtExit(): void {
  for (const keeper of unclosed) keeper.markAtExit();
}

/** Has the pending mark of `keeper` written if the process exits before the connection closes. */
function watchExit(keeper: HeadMarkKeeper): void {
  if (unclosed.size === 0) process.on('exit', markUnclosedAtExit);
  unclosed.add(keeper);
}

/** Undoes watchExit (the connection closed); the listener goes with the last keeper. */
function unwatchExit(keeper: HeadMarkKeeper): void {
  if (!unclosed.delete(keeper) || unclosed.size > 0) return;
  process.off('exit', markUnclosedAtExit);
}

/**
 * Flushes the database file and its WAL to disk: every commit read before this, durable or not
 * (synchronous=NORMAL batches), then survives a power cut. Opened for writing (nothing is written):
 * Windows flushes only a handle with write access.
 */
function syncDatabase(path: string): void {
  for (const file of [path, `${path}-wal`]) {
    let fd: number;
    try {
      fd = openSync(file, 'r+');
    } catch (e) {
      if (file !== path && (e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

const keepers = new WeakMap<Db, HeadMarkKeeper>();

/**
 * The keeper of a writable connection's head mark: one per connection, created on first use, whose
 * last mark is written when the connection closes (its close is wrapped once), or when the process
 * exits without closing it.
 */
export function headMarkKeeper(
  db: Db,
  key: AuditMacKey,
  recorded: HeadMark | undefined,
  intervalMs = HEAD_MARK_INTERVAL_MS,
): HeadMarkKeeper {
  const known = keepers.get(db);
  if (known) return known;
  const keeper = new HeadMarkKeeper(db, key, recorded, intervalMs);
  keepers.set(db, keeper);
  watchExit(keeper);
  const close = db.close.bind(db);
  db.close = () => {
    keeper.finish();
    return close();
  };
  return keeper;
}
