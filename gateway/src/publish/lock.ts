// Why: two publishes on one state folder would delete each other's staging (`recoverViews`), so a
// publish holds `views/.lock`. The lock names its owner as the ledger does (ledger/owners.ts: host,
// pid, process start time, so a reused pid after a container restart is not mistaken for the
// owner) plus a random token. The record is written and fsynced in a temp file, then link()ed into
// place: link fails when the name exists, so the lock appears complete or not at all, and exactly
// one of several racing processes gets it. Release removes the lock only while it holds our token.
// A lock whose owner is gone is removed only by the holder of a second, short-lived lock
// (`views/.lock-takeover`, held for a few system calls): no one else removes `.lock` meanwhile and
// link() cannot replace it, so the record judged stale is the one renamed aside — a late taker can
// never remove a fresh lock. (Only if a process dies inside that short section, and several
// others then clear its takeover lock at once, can two clearers overlap; each checks what it
// renamed aside and puts back a live record.)
import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { removeStaleFiles, writeNewFileSynced } from '../durable-file.js';
import { newOwner, ownerGone } from '../ledger/owners.js';
import { viewsDir } from './layout.js';

/** Who holds a publish lock: the ledger's owner identity plus a random token. */
interface LockRecord {
  host: string;
  pid: number;
  started: string;
  token: string;
}

/** A lock file as read: its exact text, its record when it parses, and its age. */
interface LockFile {
  text: string;
  record?: LockRecord;
  ageMs: number;
}

/** A record that does not parse, younger than this, may be an older version's half-written lock. */
const UNREADABLE_GRACE_MS = 10_000;
/** The takeover lock is held for a few system calls: one older than this is left by a crash. */
const TAKEOVER_MAX_MS = 30_000;

/** Path of a state folder's publish lock. */
export function publishLockPath(stateDir: string): string {
  return join(viewsDir(stateDir), '.lock');
}

/**
 * Takes the publish lock of a state folder and returns its release function (which removes the
 * lock only while it is still ours). A lock whose owner process is gone is taken over; a live
 * owner, in this process or another, gets an error saying another publish is running.
 */
export function acquirePublishLock(stateDir: string): () => void {
  const root = viewsDir(stateDir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const path = publishLockPath(stateDir);
  const owner = newOwner();
  const me: LockRecord = {
    host: owner.host,
    pid: owner.pid,
    started: owner.started,
    token: randomUUID(),
  };
  const tmp = join(root, `.lock-${me.token}.tmp`);
  writeNewFileSynced(tmp, JSON.stringify(me) + '\n'); // complete on disk before it is linked
  try {
    let holder: LockFile | undefined;
    for (let attempt = 0; attempt < 4; attempt++) {
      if (tryLink(tmp, path)) return () => releaseIfOwned(path, me.token);
      holder = readLock(path);
      if (!holder) continue; // released meanwhile: try again
      if (!stale(holder, UNREADABLE_GRACE_MS)) break;
      clearStale(root, path, holder, tmp, me.token);
    }
    throw busy(stateDir, path, holder);
  } finally {
    unlinkQuietly(tmp);
  }
}

/** Removes the lock at `path` if it still holds `token` (another owner's lock stays). */
function releaseIfOwned(path: string, token: string): void {
  if (readLock(path)?.record?.token === token) unlinkQuietly(path);
}

/**
 * Removes a stale publish lock while holding the takeover lock, so that the lock renamed aside is
 * the one judged stale (`tmp` holds our record, `token` its token). Returns without removing
 * anything when another process is taking over.
 */
function clearStale(
  root: string,
  path: string,
  judged: LockFile,
  tmp: string,
  token: string,
): void {
  const takeover = join(root, '.lock-takeover');
  if (!tryLink(tmp, takeover)) {
    const other = readLock(takeover);
    if (other && (stale(other, 0) || other.ageMs > TAKEOVER_MAX_MS))
      removeIfSame(root, takeover, other);
    return;
  }
  try {
    // Under the takeover lock no one else removes `.lock` and link() cannot replace it: unless its
    // owner released it, what we read now is what removeIfSame renames aside.
    const now = readLock(path);
    if (now && now.text === judged.text) removeIfSame(root, path, now);
  } finally {
    releaseIfOwned(takeover, token);
  }
}

/**
 * Renames the file at `path` aside and deletes it if it is the one `expected` describes; anything
 * else (a record that appeared meanwhile) is linked back into place.
 */
function removeIfSame(root: string, path: string, expected: LockFile): void {
  const aside = join(root, `.lock-stale-${randomUUID()}`);
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // another taker moved it
    throw err;
  }
  try {
    if (readLock(aside)?.text !== expected.text) tryLink(aside, path);
  } finally {
    unlinkQuietly(aside);
  }
}

/** True when the lock's owner certainly no longer runs (or an unreadable lock is old enough). */
function stale(lock: LockFile, unreadableGraceMs: number): boolean {
  const r = lock.record;
  if (!r) return lock.ageMs > unreadableGraceMs;
  return ownerGone({ owner_host: r.host, owner_pid: r.pid, owner_started: r.started });
}

/** The lock file at `path`, or undefined when there is none. */
function readLock(path: string): LockFile | undefined {
  let text: string;
  let ageMs: number;
  try {
    text = readFileSync(path, 'utf8');
    ageMs = Date.now() - statSync(path).mtimeMs;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const record = parseRecord(text);
  return record ? { text, record, ageMs } : { text, ageMs };
}

/** A lock record, or a bare pid (locks written before owners were recorded): same host, no start. */
function parseRecord(text: string): LockRecord | undefined {
  if (/^\d+$/.test(text.trim()))
    return { host: hostname(), pid: Number(text.trim()), started: '', token: '' };
  try {
    const r = JSON.parse(text) as Partial<LockRecord>;
    const ok =
      typeof r.host === 'string' &&
      typeof r.pid === 'number' &&
      typeof r.started === 'string' &&
      typeof r.token === 'string';
    return ok ? (r as LockRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** Links `from` to `to`; false when `to` exists. */
function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Names of the lock's own temporary files (a record being linked, a stale lock renamed aside). */
const LOCK_LEFTOVER = /^\.lock-(?:[0-9a-f-]{36}\.tmp|stale-[0-9a-f-]{36})$/;

/**
 * Deletes the lock's temporary files that a process killed while taking or clearing the lock left
 * in `root`: only those older than a minute, so one being used right now is never touched.
 */
export function removeLockLeftovers(root: string, now = Date.now()): void {
  removeStaleFiles(root, LOCK_LEFTOVER, now);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Thrown when another publish (in this process or another) holds the lock. */
export class PublishBusyError extends Error {
  override readonly name = 'PublishBusyError';
}

function busy(stateDir: string, path: string, holder: LockFile | undefined): PublishBusyError {
  const r = holder?.record;
  const who = r ? `, held by process ${r.pid} on ${r.host}` : '';
  return new PublishBusyError(
    `another publish is running on ${stateDir} (lock ${path}${who}). Fix: wait for it to finish; if no publish is running, delete the lock file`,
  );
}
