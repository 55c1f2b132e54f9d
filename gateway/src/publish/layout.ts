/**
 * Where published views live, and how a new version replaces the old one atomically:
 * `<stateDir>/views/<view>/{data.parquet,data.arrows,manifest.json}`. A version is built in
 * `views/.tmp-<view>-*`, fsynced, and swapped in with two renames (old → `.old-<view>-*`, new →
 * `<view>`); the old ones are deleted once every view of the batch is in place, and a failed swap
 * puts the batch back. A journal written before the batch's audit entries and charges commit
 * (journal.ts) lets `recoverViews` finish a batch a crash interrupted once they did (prepared.ts),
 * so after recovery either the whole batch is live or none of it was touched (and the audit log says
 * so); without a journal, an `.old-` folder with no `<view>` is renamed back, so readers only ever
 * see a complete version. Dot-prefixed folders are never views.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ViewManifest } from '@privet/core';
import { PublishError, UnreadableManifestError } from './errors.js';
import { fsyncDir } from '../durable-file.js';
import { fsyncStaged } from './fsync.js';
import {
  journalPath,
  readJournal,
  removeJournal,
  removeJournalTemps,
  rollForward,
  writeJournal,
  type PreparedBatch,
  type StagedVersion,
} from './journal.js';
import { settlePrepared, type RecoveryRecords } from './prepared.js';
import { removeLockLeftovers } from './lock.js';

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

/**
 * The manifest of a published view, or undefined when it has not been published; throws an
 * UnreadableManifestError (naming the file and the fix) when it is there but not a manifest.
 */
export function readManifest(stateDir: string, view: string): ViewManifest | undefined {
  const files = viewFiles(stateDir, view);
  if (!existsSync(files.manifest)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(files.manifest, 'utf8'));
  } catch (err) {
    // The parser's message may quote the file's text: only its kind is kept.
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      err instanceof SyntaxError ? 'is not valid JSON (truncated or corrupted)' : undefined;
    throw new UnreadableManifestError(
      view,
      files.manifest,
      why ?? `cannot be read (${code ?? 'error'})`,
    );
  }
  const m = parsed as Partial<ViewManifest> | null;
  const ok =
    typeof m === 'object' &&
    m !== null &&
    !Array.isArray(m) &&
    (m.tier === 'masked' || m.tier === 'synthetic') &&
    Array.isArray(m.columns);
  if (!ok)
    throw new UnreadableManifestError(
      view,
      files.manifest,
      'is not a view manifest (no tier or columns)',
    );
  return m as ViewManifest;
}

/**
 * Repairs the views folder after a crash: finishes a batch whose journal is there (every view of
 * it goes live, see journal.ts) once the state database (`records`, default `<stateDir>/privet.db`)
 * says its audit entries and charges committed, else drops it (prepared.ts); restores an `.old-` version whose swap did not finish and removes
 * leftover `.tmp-` and `.old-` folders. Returns the views a journal moved into place. Call only
 * while holding the publish lock (recover.ts takes it for a gateway start).
 */
export function recoverViews(stateDir: string, records?: () => RecoveryRecords): string[] {
  const root = viewsDir(stateDir);
  if (!existsSync(root)) return [];
  const journal = readJournal(root);
  const forward =
    journal !== undefined &&
    (journal.prepared === undefined ||
      settlePrepared(stateDir, root, { ...journal, prepared: journal.prepared }, records));
  const finished = journal && forward ? rollForward(root, journal.entries) : [];
  let renamed = false;
  for (const name of readdirSync(root)) {
    const old = /^\.old-([a-z][a-z0-9_]*)-[A-Za-z0-9]+$/.exec(name);
    if (old?.[1] && !existsSync(join(root, old[1]))) {
      renameSync(join(root, name), join(root, old[1]));
      renamed = true;
    }
  }
  if (renamed) fsyncDir(root);
  for (const name of readdirSync(root)) {
    if (name.startsWith('.tmp-') || name.startsWith('.old-'))
      rmSync(join(root, name), { recursive: true, force: true });
  }
  removeLockLeftovers(root);
  removeJournalTemps(root);
  return finished;
}

/** A view just moved into place; its previous version (if any) waits in `old` until the batch ends. */
export interface SwappedView {
  view: string;
  live: string;
  /** The staged folder it came from (an undo moves it back there). */
  staged: string;
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
  return hadOld ? { view, live, staged: stagedDir, old } : { view, live, staged: stagedDir };
}

/**
 * Puts a swapped view's previous version back (or removes the view if it had none): the exact
 * reverse of swapIn, so the new version is back in its staged folder (the caller deletes it) and a
 * crash halfway leaves a state the batch journal can still roll forward.
 */
function undoSwap(swapped: SwappedView): void {
  renameSync(swapped.live, swapped.staged);
  if (swapped.old) renameSync(swapped.old, swapped.live);
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

/** A staged view of a batch: its name, its staged folder and what its audit entries will name. */
export interface StagedBatchView {
  view: string;
  dir: string;
  audit: StagedVersion;
}

/**
 * Flushes every staged view (folders inside the views folder) to disk and writes the batch journal
 * marked `prepared`, before the batch's audit entries and charges commit: from then on a crash is
 * settled by recovery (prepared.ts), which rolls the batch forward only if they committed. Throws a
 * PublishError when a staged folder cannot be flushed; nothing is journaled then.
 */
export function prepareBatch(
  stateDir: string,
  staged: readonly StagedBatchView[],
  suffix: string,
  prepared: PreparedBatch,
): void {
  if (staged.length === 0) return;
  const root = viewsDir(stateDir);
  mkdirSync(root, { recursive: true });
  for (const s of staged) {
    try {
      fsyncStaged(s.dir);
    } catch (err) {
      throw unflushedError(root, s.view, s.dir, err);
    }
  }
  try {
    // Also makes the staged folders' own entries durable: writeJournal fsyncs the views folder.
    writeJournal(
      root,
      staged.map((s) => ({
        view: s.view,
        staged: basename(s.dir),
        old: `.old-${s.view}-${suffix}`,
        audit: s.audit,
      })),
      prepared,
    );
  } catch (err) {
    rmSync(journalPath(root), { force: true }); // nothing was swapped: no batch to finish
    throw err;
  }
}

/**
 * Swaps every staged view of a batch prepareBatch journaled in, in order. If one cannot be, the
 * ones before it are put back, the journal is removed (so recovery does not roll the batch forward
 * over the failure the caller audits) and a PublishError names it; the previous versions are
 * deleted only once all are in place.
 */
export function swapInBatch(
  stateDir: string,
  staged: readonly { view: string; dir: string }[],
  suffix: string,
): void {
  if (staged.length === 0) return;
  const root = viewsDir(stateDir);
  const done: SwappedView[] = [];
  for (const s of staged) {
    try {
      done.push(swapIn(stateDir, s.view, s.dir, suffix));
    } catch (err) {
      const stuck = undoSwaps(done);
      removeJournal(root);
      throw swapError(stateDir, s.view, err, stuck);
    }
  }
  // Every view is live and audited as published: a failure from here on is no failed publish. A
  // journal left behind is harmless (recovery finds its staged folders gone and removes it).
  try {
    fsyncDir(root);
    removeJournal(root);
  } catch {
    // best effort, see above
  }
  dropPrevious(done);
}

/** Undoes swaps, last first; returns the views whose previous version could not be put back. */
function undoSwaps(done: readonly SwappedView[]): string[] {
  const stuck: string[] = [];
  for (const s of [...done].reverse()) {
    try {
      undoSwap(s);
    } catch {
      stuck.push(s.view);
    }
  }
  return stuck;
}

function unflushedError(root: string, view: string, dir: string, err: unknown): PublishError {
  const why = err instanceof Error ? err.message : String(err);
  return new PublishError(
    view,
    `could not be moved into place (its staged folder ${dir} could not be flushed to disk: ${why}); nothing of this publish was swapped in and the previous versions stay published`,
    `make sure nothing deletes or changes ${join(root, '.tmp-*')} folders while a publish runs and the disk is writable, then publish again`,
  );
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
