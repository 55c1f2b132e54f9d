/**
 * A failed publish cleans up step by step (audit finding F3): when refunding its reservation fails
 * too (a full disk: SQLITE_FULL), its temp folders are still removed and the error says what was
 * left undone and how to finish it. Recovery also sweeps the temp files a crash left while writing
 * the batch journal (F6), as it does the lock's.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { PublicationLedger, publishViews, viewsDir } from '../../../gateway/src/publish/index.js';
import { journalPath } from '../../../gateway/src/publish/journal.js';
import { recoverViews } from '../../../gateway/src/publish/layout.js';
import { fixturePolicy, policyText, writeSource } from '../synth/fixture.js';
import { freshStateDir } from './helpers.js';

describe('cleanup after a failed publish', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('a refund failing on a full disk still removes the temp folders', async () => {
    const sourceDir = writeSource();
    const stateDir = freshStateDir();
    dirs.push(sourceDir, stateDir);
    const text = policyText({ publication: '5', seed: 'cleanup-seed' });
    const refund = Object.getOwnPropertyDescriptor(PublicationLedger.prototype, 'refund');
    PublicationLedger.prototype.refund = () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    try {
      await assert.rejects(
        publishViews({
          policy: fixturePolicy(text),
          policyText: text,
          policyDir: sourceDir,
          stateDir,
          onProgress: (e) => {
            if (e.view === 'people_synth' && e.step === 'staged') throw new Error('stopped here');
          },
        }),
        (err: Error) => {
          assert.match(err.message, /^stopped here; also, cleaning up after the failed publish/);
          assert.match(
            err.message,
            /charge pub-[0-9a-f]+ of view "people_synth" could not be given back \(database or disk is full\)/,
          );
          assert.match(err.message, /\. Fix: free disk space.*restart the gateway/);
          return true;
        },
      );
    } finally {
      if (refund) Object.defineProperty(PublicationLedger.prototype, 'refund', refund);
    }
    const left = readdirSync(viewsDir(stateDir)).filter((n) => n.startsWith('.'));
    assert.deepEqual(left, [], 'no temp folder, journal or lock left');
  });
});

test('recovery sweeps stale temp files of the batch journal', () => {
  const stateDir = freshStateDir();
  try {
    const root = viewsDir(stateDir);
    mkdirSync(root, { recursive: true });
    const stale = `${journalPath(root)}.${randomUUID()}.tmp`;
    const fresh = `${journalPath(root)}.${randomUUID()}.tmp`;
    for (const path of [stale, fresh]) writeFileSync(path, '{"version": 2');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(stale, old, old);
    recoverViews(stateDir);
    assert.equal(existsSync(stale), false, 'a temp file a crash left is removed');
    assert.equal(existsSync(fresh), true, 'one a writer may be using right now is kept');
    assert.equal(existsSync(journalPath(root)), false);
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});
