/**
 * Where published views live, and how a new version replaces the old one atomically:
 * `<stateDir>/views/<view>/{data.parquet,data.arrows,manifest.json}`. A version is built in
 * `views/.tmp-<view>-*` and swapped in with two renames (old → `.old-<view>-*`, new → `<view>`);
 * the old ones are deleted once every view of the batch is in place, and put back if a later view
 * cannot be swapped in. A crash between the two renames leaves no `<view>` but an `.old-` folder,
 * which `recoverViews` renames back, so readers only ever see a complete version. Dot-prefixed
 * folders are never views.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { ViewManifest } from '@privet/core';
import { PublishError } from './errors.js';

/** The files of one published view. */
export interface ViewFiles {
  dir: string;
  parquet: string;
  arrow: string;
  manifest: string;
}

/** The folder holding every published view. */
export function viewsDir(stateDir: string): string {
  return join(stateDir, 'views');
}

/** Paths of a view's files inside `dir` (default: its published folder). */
export function viewFiles(
  stateDir: string,
  view: string,
  dir = join(viewsDir(stateDir), view),
): ViewFiles {
  return {
    dir,
    parquet: join(dir, 'data.parquet'),
    arrow: join(dir, 'data.arrows'),
    manifest: join(dir, 'manifest.json'),
  };
}

/** The manifest of a published view, or undefined when it has not been published. */
export function readManifest(stateDir: string, view: string): ViewManifest | undefined {
  const files = viewFiles(stateDir, view);
  if (!existsSync(files.manifest)) return undefined;
  return JSON.parse(readFileSync(files.manifest, 'utf8')) as ViewManifest;
}

/**
 * Repairs the views folder after a crash: restores an `.old-` version whose swap did not finish
 * and removes leftover `.tmp-` and `.old-` folders. Call only while holding the publish lock.
 */
export function recoverViews(stateDir: string): void {
  const root = viewsDir(stateDir);
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) {
    const old = /^\.old-([a-z][a-z0-9_]*)-[A-Za-z0-9]+$/.exec(name);
    if (old?.[1] && !existsSync(join(root, old[1])))
      renameSync(join(root, name), join(root, old[1]));
  }
  for (const name of readdirSync(root)) {
    if (name.startsWith('.tmp-') || name.startsWith('.old-'))
      rmSync(join(root, name), { recursive: true, force: true });
  }
}

/** A view just moved into place; its previous version (if any) waits in `old` until the batch ends. */
export interface SwappedView {
  view: string;
  live: string;
  old?: string;
}

/**
 * Waits (at most `timeoutMs`) while view `view` is between the two renames of a swap — no live
 * folder, its previous version aside as `.old-<view>-*` — so a reader in that instant gets the new
 * version instead of "not published". Resolves at once in every other case.
 */
export async function settleSwap(stateDir: string, view: string, timeoutMs = 1000): Promise<void> {
  const root = viewsDir(stateDir);
  const swapping = (): boolean =>
    !existsSync(join(root, view)) &&
    existsSync(root) &&
    readdirSync(root).some((n) => n.startsWith(`.old-${view}-`));
  const until = Date.now() + timeoutMs;
  while (swapping() && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
}

/**
 * Moves a complete staged version into place, keeping the previous one aside as `.old-<view>-*`
 * (call `dropPrevious` once the whole batch is in place, or `undoSwap` to go back). If the second
 * rename fails, the previous version is renamed back before the error is rethrown.
 */
export function swapIn(
  stateDir: string,
  view: string,
  stagedDir: string,
  suffix: string,
): SwappedView {
  const root = viewsDir(stateDir);
  mkdirSync(root, { recursive: true });
  const live = join(root, view);
  const old = join(root, `.old-${view}-${suffix}`);
  const hadOld = existsSync(live);
  if (hadOld) renameSync(live, old);
  try {
    renameSync(stagedDir, live);
  } catch (err) {
    try {
      if (hadOld) renameSync(old, live);
    } catch {
      // recoverViews restores the `.old-` folder (there is no `<view>`); report the first error.
    }
    throw err;
  }
  return hadOld ? { view, live, old } : { view, live };
}

/** Puts a swapped view's previous version back (or removes the view if it had none). */
function undoSwap(stateDir: string, swapped: SwappedView, suffix: string): void {
  const trash = join(viewsDir(stateDir), `.tmp-${swapped.view}-undo-${suffix}`);
  renameSync(swapped.live, trash);
  if (swapped.old) renameSync(swapped.old, swapped.live);
  rmSync(trash, { recursive: true, force: true });
}

/** Deletes the previous versions once every view of a batch is in place (leftovers: recoverViews). */
function dropPrevious(swapped: readonly SwappedView[]): void {
  for (const s of swapped) {
    if (!s.old) continue;
    try {
      rmSync(s.old, { recursive: true, force: true });
    } catch {
      // The new versions are in place; the next publish's recoverViews deletes what is left.
    }
  }
}

/**
 * Swaps every staged view in, in order. If one cannot be, the ones before it are put back and a
 * PublishError names it; the previous versions are deleted only once all are in place.
 */
export function swapInBatch(
  stateDir: string,
  staged: readonly { view: string; dir: string }[],
  suffix: string,
): void {
  const done: SwappedView[] = [];
  for (const s of staged) {
    try {
      done.push(swapIn(stateDir, s.view, s.dir, suffix));
    } catch (err) {
      throw swapError(stateDir, s.view, err, undoSwaps(stateDir, done, suffix));
    }
  }
  dropPrevious(done);
}

/** Undoes swaps, last first; returns the views whose previous version could not be put back. */
function undoSwaps(stateDir: string, done: readonly SwappedView[], suffix: string): string[] {
  const stuck: string[] = [];
  for (const s of [...done].reverse()) {
    try {
      undoSwap(stateDir, s, suffix);
    } catch {
      stuck.push(s.view);
    }
  }
  return stuck;
}

function swapError(stateDir: string, view: string, err: unknown, stuck: string[]): PublishError {
  const why = err instanceof Error ? err.message : String(err);
  const kept =
    stuck.length === 0
      ? 'nothing of this publish was swapped in and the previous versions stay published'
      : `putting back the previous version of ${stuck.join(', ')} failed too (the audit log records what each view shows now)`;
  return new PublishError(
    view,
    `could not be moved into place (${why}); ${kept}`,
    `make sure ${join(viewsDir(stateDir), view)} is absent or a folder the gateway may replace (not a file or a broken link) and the disk is writable, then publish again`,
  );
}

/**
 * Takes the publish lock of a state folder (`views/.lock`, holding the owner's pid) and returns
 * its release function. A lock left by a dead process is taken over.
 */
export function acquirePublishLock(stateDir: string): () => void {
  const root = viewsDir(stateDir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const path = join(root, '.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) break;
      if (owner === process.pid) break;
      rmSync(path, { force: true });
    }
  }
  throw new Error(
    `another publish is running on ${stateDir} (lock ${path}). Fix: wait for it to finish; if no publish is running, delete the lock file`,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
