// Why: a file the gateway relies on (tokens, keys, export bundles) must be either the old version or
// the whole new one after a crash or a power cut. Each is written to a temp file in the same folder,
// fsynced, then renamed (replace) or hard-linked (create once: link fails if the name exists, so two
// processes racing to create it converge on one), and the folder is fsynced so the name survives.
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

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

/** Writes `data` to a new temp file next to `path` (exclusive, `mode`), fsynced; returns its name. */
function writeTemp(path: string, data: string | Uint8Array, mode: number): string {
  const temp = `${path}.${randomUUID()}.tmp`;
  const fd = openSync(temp, 'wx', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
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
