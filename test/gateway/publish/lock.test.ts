/**
 * The publish lock excludes every other publisher: processes racing for it (with a stale lock
 * from a dead process, a lock in the old bare-pid format, or none) never hold it at once; a release
 * removes only its own lock; a pid reused by another process (or by this one after a restart) does
 * not block forever; one process cannot take it twice; a killed holder's lock is taken over.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  acquirePublishLock,
  publishLockPath,
  PublishBusyError,
} from '../../../gateway/src/publish/lock.js';
import { viewsDir } from '../../../gateway/src/publish/layout.js';
import { freshStateDir, REPO } from './helpers.js';

const CHILD = join(REPO, 'test', 'gateway', 'publish', 'lock-child.ts');

function child(args: string[]): ChildProcess {
  return spawn(
    process.execPath,
    ['--conditions=privet-source', '--import', 'tsx', CHILD, ...args],
    {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
}

function output(c: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    c.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    c.on('error', reject);
    c.on('exit', (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`lock child exited ${code}: ${out}`)),
    );
  });
}

/** Resolves once the child has printed its `ready` line. */
function ready(c: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    const onData = (d: Buffer) => {
      seen += d.toString();
      if (seen.includes('ready\n')) {
        c.stdout?.off('data', onData);
        resolve();
      }
    };
    c.stdout?.on('data', onData);
  });
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const pid = spawnSync('true').pid;
  assert.ok(pid);
  return pid;
}

for (const [label, stale] of [
  ['a stale lock of a dead process', () => lockRecord(deadPid(), 'proc:1')],
  ['a stale lock in the old bare-pid format', () => String(deadPid())],
  ['no lock', undefined],
] as const) {
  test(`six processes racing for the lock never hold it at once (${label})`, async () => {
    const base = freshStateDir();
    const rounds = 8;
    try {
      for (let r = 0; r < rounds; r++) {
        mkdirSync(viewsDir(join(base, `r${r}`)), { recursive: true });
        if (stale) writeFileSync(publishLockPath(join(base, `r${r}`)), stale());
      }
      const go = join(base, 'go');
      const kids = Array.from({ length: 6 }, () => child(['race', base, go, `${rounds}`, '400']));
      const results = kids.map(output);
      // Started together once every child has loaded (tsx takes a while to start, more under load).
      await Promise.race([Promise.all(kids.map(ready)), ...results]);
      // Renamed into place: a child that sees GO must never read it empty (start time 0).
      writeFileSync(`${go}.tmp`, String(Date.now() + 200));
      renameSync(`${go}.tmp`, go);
      const counts = (await Promise.all(results)).map(
        (out) => JSON.parse(out.split('\n').at(-1) ?? '') as { held: number[]; overlaps: number },
      );
      const held = Array.from({ length: rounds }, (_, r) =>
        counts.reduce((n, c) => n + (c.held[r] ?? 0), 0),
      );
      const overlaps = counts.reduce((n, c) => n + c.overlaps, 0);
      const total = held.reduce((a, b) => a + b, 0);
      assert.equal(overlaps, 0, `${overlaps} of ${total} holds overlapped another holder`);
      assert.ok(
        held.every((n) => n >= 1),
        `every round's lock was taken (held per round: ${held.join(', ')})`,
      );
      for (let r = 0; r < rounds; r++) {
        const views = viewsDir(join(base, `r${r}`));
        assert.equal(existsSync(join(views, '.lock')), false, 'the last holder released it');
        const left = readdirSync(views).filter((n) => n.startsWith('.lock'));
        assert.deepEqual(left, [], 'no temporary lock files left');
      }
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
}

function lockRecord(pid: number, started: string, token = 'someone-else'): string {
  return JSON.stringify({ host: hostname(), pid, started, token }) + '\n';
}

test('a release removes the lock only while it is still its own', () => {
  const state = freshStateDir();
  try {
    const release = acquirePublishLock(state);
    // Another publisher's lock in its place (as after a takeover): ours must not delete it.
    const other = lockRecord(process.pid, 'proc:0');
    writeFileSync(publishLockPath(state), other);
    release();
    assert.equal(readFileSync(publishLockPath(state), 'utf8'), other);
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
});

test('one process cannot hold the lock twice; it can again after releasing it', () => {
  const state = freshStateDir();
  try {
    const release = acquirePublishLock(state);
    assert.throws(
      () => acquirePublishLock(state),
      (err: Error) => {
        assert.ok(err instanceof PublishBusyError);
        assert.match(err.message, /another publish is running on .* held by process \d+ .*Fix:/);
        return true;
      },
    );
    release();
    release(); // twice is harmless
    acquirePublishLock(state)();
    assert.equal(existsSync(publishLockPath(state)), false);
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
});

test('a lock whose pid now belongs to another process (here: this one) is taken over', () => {
  const state = freshStateDir();
  try {
    mkdirSync(viewsDir(state), { recursive: true });
    // Written by an earlier process that had this pid (e.g. pid 1 before a container restart).
    writeFileSync(publishLockPath(state), lockRecord(process.pid, 'proc:1'));
    acquirePublishLock(state)();
    writeFileSync(publishLockPath(state), String(process.pid)); // the same in the old format
    acquirePublishLock(state)();
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
});

test('a lock held by a live process refuses; once that process is killed it is taken over', async () => {
  const state = freshStateDir();
  const holder = child(['hold', state]);
  try {
    await new Promise<void>((resolve, reject) => {
      holder.stdout?.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
      holder.on('exit', (code) => reject(new Error(`lock holder exited ${code}`)));
    });
    assert.throws(() => acquirePublishLock(state), new RegExp(`held by process ${holder.pid}`));
    const exited = new Promise((r) => holder.on('exit', r));
    holder.kill('SIGKILL');
    await exited;
    acquirePublishLock(state)();
  } finally {
    holder.kill('SIGKILL');
    rmSync(state, { recursive: true, force: true });
  }
});
