/**
 * A truncated manifest.json (audit finding F2): reading it is an error naming the file and the fix
 * (never its content); the publish plan and the publish itself treat an unreadable synthetic
 * manifest as not up to date, so publishing rebuilds the view and so repairs it.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog } from '../../../gateway/src/audit/log.js';
import { openDurableDb } from '../../../gateway/src/audit/sqlite.js';
import { planPublication } from '../../../gateway/src/publish/cost-plan.js';
import {
  publishViews,
  readManifest,
  viewFiles,
  type PublishProgress,
} from '../../../gateway/src/publish/index.js';
import { fixturePolicy, policyText, writeSource } from '../synth/fixture.js';
import { freshStateDir } from './helpers.js';

/** Cuts a file to its first `n` characters, as a crash mid-write (without fsync) can. */
function truncate(path: string, n = 200): void {
  writeFileSync(path, readFileSync(path, 'utf8').slice(0, n));
}

describe('an unreadable manifest', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('is an error naming the file and the fix, never its content', () => {
    const stateDir = freshStateDir();
    dirs.push(stateDir);
    assert.equal(readManifest(stateDir, 'people_synth'), undefined, 'none: not published');
    const { dir, manifest: path } = viewFiles(stateDir, 'people_synth');
    mkdirSync(dir, { recursive: true });
    const broken = ['{"view": "people_synth", "columns": [{"name": "Zzyzx', 'Zzyzx-Springs', '[]'];
    for (const text of broken) {
      writeFileSync(path, text);
      assert.throws(
        () => readManifest(stateDir, 'people_synth'),
        (err: Error) => {
          assert.equal(err.name, 'UnreadableManifestError', String(err));
          assert.ok(err.message.includes(path), 'names the file');
          assert.match(err.message, /Fix: publish the view again .*--view people_synth/);
          assert.doesNotMatch(err.message, /Zzyzx/, 'never quotes the file');
          return true;
        },
      );
    }
  });

  test('of a synthetic view is not up to date: planned and published again, which repairs it', async () => {
    const sourceDir = writeSource();
    const stateDir = freshStateDir();
    dirs.push(sourceDir, stateDir);
    const text = policyText({ publication: '5', seed: 'manifest-seed' });
    const publish = (onProgress?: (e: PublishProgress) => void) =>
      publishViews({
        policy: fixturePolicy(text),
        policyText: text,
        policyDir: sourceDir,
        stateDir,
        ...(onProgress ? { onProgress } : {}),
      });
    await publish();
    truncate(viewFiles(stateDir, 'people_synth').manifest);

    const db = openDurableDb(join(stateDir, 'privet.db'));
    try {
      const plan = await planPublication(fixturePolicy(text), sourceDir, stateDir, {
        db,
        audit: new AuditLog(db),
      });
      const view = plan.views.find((v) => v.view === 'people_synth');
      assert.equal(view?.action, 'rebuild');
      assert.match(view?.reason ?? '', /manifest unreadable/);
    } finally {
      db.close();
    }

    const steps: string[] = [];
    await publish((e) => steps.push(`${e.view}:${e.step}`));
    assert.ok(steps.includes('people_synth:charged'), steps.join(' '));
    assert.equal(readManifest(stateDir, 'people_synth')?.tier, 'synthetic', 'repaired');
  });
});
