// Why: a file the gateway relies on (tokens, keys, export bundles) must be either the old version or
// the whole new one after a crash or a power cut. Each is written to a temp file in the same folder,
// fsynced, then renamed (replace) or hard-linked (create once: link fails if the name exists, so two
// processes racing to create it converge on one), and the folder is fsynced so the name survives.
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Flushes a file's data and size to disk (the whole file, once it is written). */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Flushes a folder's entries (files created, renamed or removed in it) to disk. Platforms that
 * cannot open or fsync a folder (Windows) are skipped: there, renames are journaled by the OS.
 */
export function fsyncDir(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if (skippable(err)) return;
    throw err;
  }
  try {
    fsyncSync(fd);
  } catch (err) {
    if (!skippable(err)) throw err;
  } finally {
    closeSync(fd);
  }
}

function skippable(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EISDIR' || code === 'EPERM' || code === 'EINVAL';
}

/** Temp files of `path` older than this were left by a crash (a write takes milliseconds). */
const STALE_TEMP_MS = 60_000;

/**
 * Deletes the files in `dir` whose names match `pattern` and that are older than a minute: what a
 * crash left between two steps of a write. Younger ones may belong to a writer at work right now.
 */
export function removeStaleFiles(dir: string, pattern: RegExp, now = Date.now()): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const name of names) {
    if (!pattern.test(name)) continue;
    const file = join(dir, name);
    try {
      if (now - statSync(file).mtimeMs > STALE_TEMP_MS) rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/**
 * Deletes temp files of `path` (`<name>.<uuid>.tmp`) that a crash left behind: between the write
 * and the rename, or, for createFileOnce, between the link and the unlink (then it is a second copy
 * of a key). Only those older than a minute, so a concurrent writer's temp file is never touched.
 */
export function removeStaleTemps(path: string, now = Date.now()): void {
  const name = basename(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  removeStaleFiles(dirname(path), new RegExp(`^${name}\\.[0-9a-f-]{36}\\.tmp$`), now);
}

/**
 * Creates the new file `path` (exclusive, `mode`) holding `data`, flushed to disk before it returns;
 * a failed write or flush removes it.
 */
export function writeNewFileSynced(path: string, data: string | Uint8Array, mode = 0o600): void {
  const fd = openSync(path, 'wx', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw error;
  }
  closeSync(fd);
}

/** Writes `data` to a new temp file next to `path` (exclusive, `mode`), fsynced; returns its name. */
function writeTemp(path: string, data: string | Uint8Array, mode: number): string {
  removeStaleTemps(path);
  const temp = `${path}.${randomUUID()}.tmp`;
  writeNewFileSynced(temp, data, mode);
  return temp;
}

/** Replaces `path` with `data` atomically and durably (temp, fsync, rename, fsync the folder). */
export function writeFileDurably(path: string, data: string | Uint8Array, mode = 0o600): void {
  const temp = writeTemp(path, data, mode);
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncDir(dirname(path));
}

/**
 * Creates `path` holding `data` unless it exists, atomically and durably: readers never see it
 * half written. Returns false (and writes nothing) when another writer created it first.
 */
export function createFileOnce(path: string, data: string | Uint8Array, mode = 0o600): boolean {
  const temp = writeTemp(path, data, mode);
  try {
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temp, { force: true });
  }
  fsyncDir(dirname(path));
  return true;
}
