/**
 * A publish killed after the first view of its batch went live is finished at the next start:
 * every view of the batch shows the version its `published` audit entry names, the batch journal
 * is gone and no staging is left. Also: recovery waits for no live publish (it leaves a locked
 * folder alone), and rolls forward every intermediate state a journaled batch can be in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishViews, viewFiles, viewsDir } from '../../../gateway/src/publish/index.js';
import { journalPath, writeJournal } from '../../../gateway/src/publish/journal.js';
import { recoverViews } from '../../../gateway/src/publish/layout.js';
import { acquirePublishLock } from '../../../gateway/src/publish/lock.js';
import { recoverPublishState } from '../../../gateway/src/publish/recover.js';
import { openDurableDb } from '../../../gateway/src/audit/sqlite.js';
import { adultPolicy, adultPolicyDir, freshStateDir, REPO } from './helpers.js';

const VIEWS = ['adult_masked', 'adult_codes'];

/** Policy and Parquet hash (`policy:parquet`) of each view's last `published` audit entry. */
function auditedHashes(stateDir: string): Record<string, string> {
  const db = openDurableDb(join(stateDir, 'privet.db'), { readonly: true });
  try {
    const rows = db
      .prepare("SELECT subject, details FROM audit_log WHERE action = 'publish' ORDER BY seq")
      .all() as { subject: string; details: string }[];
    const out: Record<string, string> = {};
    for (const r of rows) {
      const d = JSON.parse(r.details) as { step: string; policyHash: string; parquetHash: string };
      assert.equal(d.step, 'published', `no failure was recorded for ${r.subject}`);
      out[r.subject] = `${d.policyHash}:${d.parquetHash}`;
    }
    return out;
  } finally {
    db.close();
  }
}

/** Policy and Parquet hash of each live manifest, checked against the Parquet file on disk. */
function liveHashes(stateDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const view of VIEWS) {
    const f = viewFiles(stateDir, view);
    const m = JSON.parse(readFileSync(f.manifest, 'utf8')) as {
      policyHash: string;
      parquetHash: string;
    };
    const onDisk = createHash('sha256').update(readFileSync(f.parquet)).digest('hex');
    assert.equal(onDisk, m.parquetHash, `${view}: the manifest describes its Parquet file`);
    out[view] = `${m.policyHash}:${m.parquetHash}`;
  }
  return out;
}

test('a publish killed between two views of its batch is rolled forward at start', async () => {
  const policyDir = await adultPolicyDir();
  const { text, policy } = adultPolicy();
  const stateDir = freshStateDir();
  try {
    await publishViews({ policy, policyText: text, policyDir, stateDir, viewNames: VIEWS });
    const v1 = liveHashes(stateDir);
    rmSync(join(stateDir, 'master.key')); // a new key (new tokens), and the child's policy text differs
    const child = spawn(
      process.execPath,
      [
        '--conditions=privet-source',
        '--import',
        'tsx',
        join(REPO, 'test/gateway/publish/crash-child.ts'),
        stateDir,
        policyDir,
      ],
      { cwd: REPO, stdio: 'inherit' },
    );
    const signal = await new Promise((r) => child.on('exit', (_code, sig) => r(sig)));
    assert.equal(signal, 'SIGKILL');

    // Half applied: the first view is new, the second still old, the journal names both.
    const v2 = auditedHashes(stateDir);
    assert.notEqual(v2['adult_masked'], v1['adult_masked']);
    assert.notEqual(v2['adult_codes'], v1['adult_codes']);
    assert.ok(existsSync(journalPath(viewsDir(stateDir))), 'the batch journal was left');
    assert.equal(liveHashes(stateDir)['adult_codes'], v1['adult_codes']);

    assert.deepEqual(recoverPublishState(stateDir), {
      state: 'recovered',
      finished: ['adult_codes'],
    });
    assert.deepEqual(liveHashes(stateDir), v2, 'every view shows what its audit entry names');
    const hidden = readdirSync(viewsDir(stateDir)).filter((n) => n.startsWith('.'));
    assert.deepEqual(hidden, [], 'journal, staging, previous versions and lock are gone');
    // Nothing left to do the second time.
    assert.deepEqual(recoverPublishState(stateDir), { state: 'recovered', finished: [] });
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

/** A view folder holding one file that says which version it is. */
function version(dir: string, label: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), label);
}
const labelOf = (root: string, view: string) =>
  readFileSync(join(root, view, 'manifest.json'), 'utf8');

test('recovery rolls forward each state a journaled batch can be in', () => {
  const stateDir = freshStateDir();
  try {
    const root = viewsDir(stateDir);
    // a: swapped (new live, old aside); b: old moved aside only; c: not started; d: new view,
    // not started; e: new view, swapped; f: swapped, then undone by a failure that was killed.
    version(join(root, 'a'), 'a new');
    version(join(root, '.old-a-s1'), 'a old');
    version(join(root, '.old-b-s1'), 'b old');
    version(join(root, '.tmp-b-x'), 'b new');
    version(join(root, 'c'), 'c old');
    version(join(root, '.tmp-c-x'), 'c new');
    version(join(root, '.tmp-d-x'), 'd new');
    version(join(root, 'e'), 'e new');
    version(join(root, 'f'), 'f old');
    version(join(root, '.tmp-f-x'), 'f new');
    version(join(root, 'other'), 'other'); // not in the batch: untouched
    writeJournal(
      root,
      ['a', 'b', 'c', 'd', 'e', 'f'].map((v) => ({
        view: v,
        staged: `.tmp-${v}-x`,
        old: `.old-${v}-s1`,
      })),
    );
    assert.deepEqual(recoverViews(stateDir), ['b', 'c', 'd', 'f']);
    for (const v of ['a', 'b', 'c', 'd', 'e', 'f']) assert.equal(labelOf(root, v), `${v} new`);
    assert.equal(labelOf(root, 'other'), 'other');
    assert.deepEqual(
      readdirSync(root).filter((n) => n.startsWith('.')),
      [],
    );
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test('recovery leaves a views folder alone while a publish holds its lock', () => {
  const stateDir = freshStateDir();
  try {
    const root = viewsDir(stateDir);
    version(join(root, '.tmp-a-x'), 'a new');
    writeJournal(root, [{ view: 'a', staged: '.tmp-a-x', old: '.old-a-s1' }]);
    const release = acquirePublishLock(stateDir);
    const result = recoverPublishState(stateDir);
    assert.equal(result.state, 'busy');
    assert.ok(existsSync(join(root, '.tmp-a-x')), 'the live publish keeps its staging');
    release();
    assert.deepEqual(recoverPublishState(stateDir), { state: 'recovered', finished: ['a'] });
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});
