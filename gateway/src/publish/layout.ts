/**
 * Where published views live, and how a new version replaces the old one atomically:
 * `<stateDir>/views/<view>/{data.parquet,data.arrows,manifest.json}`. A version is built in
 * `views/.tmp-<view>-*` and swapped in with two renames (old → `.old-<view>-*`, new → `<view>`);
 * the old one is deleted afterwards. A crash between the two renames leaves no `<view>` but an
 * `.old-` folder, which `recoverViews` renames back, so readers only ever see a complete version.
 * Dot-prefixed folders are never views.
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

/** Moves a complete staged version into place and deletes the previous one. */
export function swapIn(stateDir: string, view: string, stagedDir: string, suffix: string): void {
  const root = viewsDir(stateDir);
  mkdirSync(root, { recursive: true });
  const live = join(root, view);
  const old = join(root, `.old-${view}-${suffix}`);
  const hadOld = existsSync(live);
  if (hadOld) renameSync(live, old);
  renameSync(stagedDir, live);
  if (hadOld) rmSync(old, { recursive: true, force: true });
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
