// Why: a batch of views is swapped in by two renames per view, so a crash (SIGKILL, power cut)
// between two views would leave the batch half applied. Before the first rename the publish writes
// `views/.batch.json` (fsynced, renamed into place, views folder fsynced) naming each view's staged
// folder and where its previous version goes; it is removed once every view is in place, or once a
// failed swap has been undone. Recovery rolls a batch it finds forward: every view of it goes live.
// Forward, not back, because by the time the journal exists every masked view of the batch has its
// `published` audit entry and every synthetic view its committed charge, and no `failed` entry is
// written while a journal exists: after rolling forward, what is on disk is what the audit log says.
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir, writeFileDurably } from '../durable-file.js';

/** One view of a batch: its name, its staged folder and the name its previous version moves to. */
export interface JournalEntry {
  view: string;
  /** Staged folder (a name inside the views folder, `.tmp-<view>-*`). */
  staged: string;
  /** Where the previous version waits during the swap (a name inside the views folder, `.old-*`). */
  old: string;
}

const JOURNAL = '.batch.json';

/** Path of the batch journal in a views folder. */
export function journalPath(root: string): string {
  return join(root, JOURNAL);
}

/** Writes the batch journal durably: temp file, fsync, rename, fsync of the views folder. */
export function writeJournal(root: string, entries: readonly JournalEntry[]): void {
  const text = JSON.stringify({ version: 1, views: entries }, null, 2) + '\n';
  writeFileDurably(journalPath(root), text, 0o644);
}

/** Removes the batch journal (and a half-written one), then flushes the views folder. */
export function removeJournal(root: string): void {
  rmSync(journalPath(root), { force: true });
  fsyncDir(root);
}

/**
 * Finishes the batch a crash interrupted, if the views folder has a journal: every view whose
 * staged folder is still there is moved into place (its live version, if any, aside to its `.old-`
 * name, which recoverViews then deletes). Returns the views it moved. Call only while holding the
 * publish lock, before anything deletes `.tmp-` folders.
 */
export function rollForward(root: string): string[] {
  const path = journalPath(root);
  // No journal: nothing to finish (a temp file a crash left while writing one is swept by
  // removeStaleTemps at the next write).
  if (!existsSync(path)) return [];
  const moved: string[] = [];
  for (const e of readJournal(path)) {
    const staged = join(root, e.staged);
    if (!existsSync(staged)) continue; // already live
    const live = join(root, e.view);
    const old = join(root, e.old);
    try {
      if (existsSync(live)) {
        // The previous version, not yet moved aside. (Both it and an `.old-` folder cannot exist
        // under the journal's renames; if they do, the live one is not the batch's either way.)
        if (existsSync(old)) rmSync(live, { recursive: true, force: true });
        else renameSync(live, old);
      }
      renameSync(staged, live);
    } catch (err) {
      throw new Error(
        `could not finish the interrupted publish of view ${e.view} (${err instanceof Error ? err.message : String(err)}). Fix: make sure ${live} is absent or a folder the gateway may replace (not a file or a broken link) and the disk is writable, then publish again; to keep what each view shows now instead, delete ${path}`,
      );
    }
    moved.push(e.view);
  }
  fsyncDir(root);
  removeJournal(root);
  return moved;
}

/** The entries of a journal, checked so that every name stays inside the views folder. */
function readJournal(path: string): JournalEntry[] {
  const fail = (why: string): Error =>
    new Error(
      `the publish batch journal ${path} ${why}, so the interrupted publish cannot be finished. Fix: check the disk; to keep what each view shows now, delete the journal (the audit log may then name versions that are not live: privet audit verify)`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw fail(`cannot be read (${err instanceof Error ? err.message : String(err)})`);
  }
  const views = (parsed as { views?: unknown } | null)?.views;
  if (!Array.isArray(views)) throw fail('has no list of views');
  return views.map((v: unknown): JournalEntry => {
    const e = v as Partial<JournalEntry> | null;
    const name = /^[a-z][a-z0-9_]*$/;
    const ok =
      typeof e?.view === 'string' &&
      name.test(e.view) &&
      typeof e.staged === 'string' &&
      /^\.tmp-[A-Za-z0-9_-]+$/.test(e.staged) &&
      typeof e.old === 'string' &&
      /^\.old-[A-Za-z0-9_-]+$/.test(e.old);
    if (!ok) throw fail(`has an entry that is not a view with its staged and old folders`);
    return { view: e.view as string, staged: e.staged as string, old: e.old as string };
  });
}
