// Why: the ledger, the experiments table and the audit log share one SQLite file so that an action
// and the audit entry recording it commit in the same transaction. WAL lets readers run beside the
// single writer; synchronous=FULL makes every commit durable (fsync) before it returns, which the
// ledger's exactly-once promise relies on; busy_timeout makes writers from other processes queue
// instead of failing with SQLITE_BUSY.
import Database from 'better-sqlite3';
import { databaseError } from '../storage-errors.js';

/** A better-sqlite3 connection. */
export type Db = Database.Database;

/** Options for `openDurableDb`. */
export interface OpenDbOptions {
  /** How long a writer waits for another process's lock before giving up (default 30 s). */
  busyTimeoutMs?: number;
  /** Open read-only (for verification); the file must exist. */
  readonly?: boolean;
}

/**
 * Opens (creating if needed) a SQLite file in WAL mode with synchronous=FULL and a busy timeout. A
 * damaged file, a full disk or a folder it cannot write is thrown as a StorageError naming the path
 * and the fix; read-only opens (`privet audit verify`) are left to their caller, which reports
 * damage itself.
 */
export function openDurableDb(path: string, options: OpenDbOptions = {}): Db {
  const timeout = options.busyTimeoutMs ?? 30_000;
  if (options.readonly) {
    const db = new Database(path, { readonly: true, fileMustExist: true, timeout });
    return withTimeout(db, timeout);
  }
  let db: Db | undefined;
  try {
    db = new Database(path, { timeout });
    enableWal(db, timeout);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    return withTimeout(db, timeout);
  } catch (error) {
    db?.close();
    throw databaseError(error, path);
  }
}

/** Sets the busy timeout of `db` (also kept for `immediate`) and returns it. */
function withTimeout(db: Db, timeoutMs: number): Db {
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(timeoutMs))}`);
  timeouts.set(db, Math.max(0, Math.floor(timeoutMs)));
  return db;
}

const pauseCell = new Int32Array(new SharedArrayBuffer(4));
const timeouts = new WeakMap<Db, number>();

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
  );
}

/** Sleeps the thread for about `ms` (sub-millisecond allowed) without spinning. */
function pause(ms: number): void {
  Atomics.wait(pauseCell, 0, 0, ms);
}

/**
 * Switches a database to WAL. Processes opening a new database at the same instant (a CLI command
 * beside a starting gateway) race for the switch, and SQLite answers the losers SQLITE_BUSY at
 * once, without its busy handler: retry with short jittered pauses until `timeoutMs`.
 */
function enableWal(db: Db, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  const jitter = new Uint8Array(1);
  for (let attempt = 0; ; attempt++) {
    try {
      if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      return;
    } catch (e) {
      if (!isBusy(e) || Date.now() >= deadline) throw e;
    }
    globalThis.crypto.getRandomValues(jitter);
    pause(Math.min(20, 0.5 * 2 ** Math.min(attempt, 6)) * (0.5 + (jitter[0] ?? 0) / 255));
  }
}

/**
 * Runs `fn` in a BEGIN IMMEDIATE transaction, or inside the caller's transaction if one is open.
 * Why not SQLite's busy handler: it backs off to 100 ms sleeps, so with dozens of writers the lock
 * sits free while everyone sleeps (throughput collapsed ~20× in our race test). We try the lock
 * with the handler off and retry after short jittered pauses (≤ 2 ms) until the busy timeout.
 * `durable: false` commits without fsync (synchronous=NORMAL): the transaction survives a process
 * crash, and a power loss only if a later durable commit (which fsyncs the whole WAL) followed it.
 */
export function immediate<T>(db: Db, fn: () => T, options: { durable?: boolean } = {}): T {
  if (db.inTransaction) return fn();
  const tx = db.transaction(fn);
  const timeout = timeouts.get(db) ?? 30_000;
  const deadline = Date.now() + timeout;
  const jitter = new Uint8Array(1);
  for (let attempt = 0; ; attempt++) {
    db.pragma('busy_timeout = 0');
    if (options.durable === false) db.pragma('synchronous = NORMAL');
    try {
      return tx.immediate();
    } catch (e) {
      if (!isBusy(e) || Date.now() >= deadline) throw e;
    } finally {
      db.pragma(`busy_timeout = ${timeout}`);
      if (options.durable === false) db.pragma('synchronous = FULL');
    }
    globalThis.crypto.getRandomValues(jitter);
    pause(Math.min(2, 0.05 * 2 ** Math.min(attempt, 6)) * (0.5 + (jitter[0] ?? 0) / 255));
  }
}

/** True when the database has a table named `table`. */
export function hasTable(db: Db, table: string): boolean {
  return (
    db
      .prepare<[string], { n: number }>(
        "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?",
      )
      .get(table)?.n === 1
  );
}

/** True when table `table` has a column named `column` (false when there is no such table). */
export function hasColumn(db: Db, table: string, column: string): boolean {
  return db
    .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
    .all(table)
    .some((c) => c.name === column);
}

/** Runs `create` in a write transaction unless every table in `tables` already exists (no lock then). */
export function ensureTables(db: Db, tables: readonly string[], create: () => void): void {
  const have = db
    .prepare<string[], { n: number }>(
      `SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN (${tables.map(() => '?').join(', ')})`,
    )
    .get(...tables);
  if (have?.n === tables.length) return;
  immediate(db, create);
}
