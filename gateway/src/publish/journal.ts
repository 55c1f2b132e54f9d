// Why: a batch of views is swapped in by two renames per view, so a crash (SIGKILL, power cut)
// between two views would leave the batch half applied. Before the batch's audit entries and
// charges commit, the publish writes `views/.batch.json` (fsynced, renamed into place, views folder
// fsynced) marked `prepared`, naming each view's staged folder, where its previous version goes and
// what the audit log will say of it (its Parquet hash, its reservation). It is removed once every
// view is in place, or once a failed publish has cleaned up. Recovery (prepared.ts) asks the state
// database whether the batch's `published` entries and charges committed: if they did, the batch
// is rolled forward (every view goes live, so what is on disk is what the audit log says); if not,
// the batch is dropped, and any view the log already names gets a `failed` follow-up entry. A
// journal without the `prepared` mark (written by an older version, after its commit) is rolled
// forward as before.
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir, removeStaleTemps, writeFileDurably } from '../durable-file.js';

/** One view of a batch: its name, its staged folder and the name its previous version moves to. */
export interface JournalEntry {
  view: string;
  /** Staged folder (a name inside the views folder, `.tmp-<view>-*`). */
  staged: string;
  /** Where the previous version waits during the swap (a name inside the views folder, `.old-*`). */
  old: string;
  /** The staged version, as its audit entries name it (prepared journals only). */
  audit?: StagedVersion;
}

/** What the audit log says of a staged version: its tier, Parquet hash, time and charge. */
export interface StagedVersion {
  tier: 'masked' | 'synthetic';
  parquetHash: string;
  publishedAt: string;
  /** The publication charge of a synthetic view. */
  reservation?: string;
}

/** A batch journal written before its audit entries and charges commit. */
export interface PreparedBatch {
  /** Who publishes (the actor of any `failed` entry recovery writes). */
  actor: string;
  /** Sequence number of the last audit entry before the batch's own (-1: none). */
  auditHead: number;
}

/** A batch journal as read: its views, and `prepared` unless an older version wrote it. */
export interface Journal {
  entries: JournalEntry[];
  prepared?: PreparedBatch;
}

const JOURNAL = '.batch.json';

/** Path of the batch journal in a views folder. */
export function journalPath(root: string): string {
  return join(root, JOURNAL);
}

/**
 * Writes the batch journal durably: temp file, fsync, rename, fsync of the views folder. With
 * `prepared`, recovery rolls it forward only once the batch's audit entries and charges committed;
 * without, it is rolled forward as is.
 */
export function writeJournal(
  root: string,
  entries: readonly JournalEntry[],
  prepared?: PreparedBatch,
): void {
  const body = prepared
    ? { version: 2, state: 'prepared', ...prepared, views: entries }
    : { version: 1, views: entries };
  writeFileDurably(journalPath(root), JSON.stringify(body, null, 2) + '\n', 0o644);
}

/** Deletes journal temp files (`.batch.json.<uuid>.tmp`) a crash left, older than a minute. */
export function removeJournalTemps(root: string): void {
  removeStaleTemps(journalPath(root));
}

/** Removes the batch journal (and a half-written one), then flushes the views folder. */
export function removeJournal(root: string): void {
  rmSync(journalPath(root), { force: true });
  fsyncDir(root);
}

/**
 * Finishes the batch of a journal (see readJournal): every view whose staged folder is still there
 * is moved into place (its live version, if any, aside to its `.old-` name, which recoverViews then
 * deletes). Returns the views it moved. Call only while holding the publish lock, before anything
 * deletes `.tmp-` folders.
 */
export function rollForward(root: string, entries: readonly JournalEntry[]): string[] {
  const path = journalPath(root);
  const moved: string[] = [];
  for (const e of entries) {
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

/**
 * The views folder's batch journal, or undefined when there is none; every name is checked to stay
 * inside the views folder. Throws (saying how to fix it) when it cannot be read.
 */
export function readJournal(root: string): Journal | undefined {
  const path = journalPath(root);
  if (!existsSync(path)) return undefined;
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
  const body = parsed as { views?: unknown; state?: unknown } | null;
  const views = body?.views;
  if (!Array.isArray(views)) throw fail('has no list of views');
  const prepared = body?.state === 'prepared' ? preparedOf(parsed) : undefined;
  if (body?.state !== undefined && !prepared) throw fail('has a state this version cannot read');
  const entries = views.map((v: unknown): JournalEntry => {
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
    const entry = { view: e.view as string, staged: e.staged as string, old: e.old as string };
    if (!prepared) return entry;
    const audit = versionOf(e.audit);
    if (!audit) throw fail(`has an entry without the version its audit entries name`);
    return { ...entry, audit };
  });
  return prepared ? { entries, prepared } : { entries };
}

/** The batch fields of a prepared journal, or undefined when they are not there. */
function preparedOf(parsed: unknown): PreparedBatch | undefined {
  const p = parsed as Partial<PreparedBatch>;
  const ok = typeof p.actor === 'string' && Number.isInteger(p.auditHead);
  return ok ? { actor: p.actor as string, auditHead: p.auditHead as number } : undefined;
}

/** A journal entry's staged version, or undefined when it is not one. */
function versionOf(v: unknown): StagedVersion | undefined {
  const s = v as Partial<StagedVersion> | null | undefined;
  const ok =
    (s?.tier === 'masked' || s?.tier === 'synthetic') &&
    typeof s.parquetHash === 'string' &&
    typeof s.publishedAt === 'string' &&
    (s.reservation === undefined || typeof s.reservation === 'string');
  if (!ok || !s) return undefined;
  return {
    tier: s.tier as StagedVersion['tier'],
    parquetHash: s.parquetHash as string,
    publishedAt: s.publishedAt as string,
    ...(s.reservation === undefined ? {} : { reservation: s.reservation }),
  };
}
