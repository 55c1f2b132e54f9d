// A synthetic view rebuilt from the same inputs (view, column declarations, source version) gives
// byte-identical Parquet. When a committed charge already paid for exactly those bytes — the data
// changed and changed back, or a retry after a swap that failed once the charge had committed — the
// new reservation is refunded instead of being charged again, and the audit log says which charge
// paid. Fail closed: the reservation is still taken first (an overspend is refused before any
// synthesis), and without a recorded release or with a manifest that cannot be read it is charged.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry } from '@privet/core/record/index';
import { AuditLog } from '../../gateway/src/audit/log.js';
import { openDurableDb } from '../../gateway/src/audit/sqlite.js';
import { checkLedgerConsistency } from '../../gateway/src/ledger/index.js';
import {
  PublishError,
  publishViews,
  readManifest,
  viewFiles,
  viewsDir,
  type PublishProgress,
} from '../../gateway/src/publish/index.js';
import { writeJournal } from '../../gateway/src/publish/journal.js';
import { recoverPublishState } from '../../gateway/src/publish/recover.js';
import { freshStateDir, publicationCharges } from './publish/helpers.js';
import { fixturePolicy, policyText, writeSource } from './synth/fixture.js';

const VIEW = 'people_synth';

/** The `publish` entries of the state folder's audit log. */
function publishEntries(stateDir: string): AuditEntry[] {
  const db = openDurableDb(join(stateDir, 'privet.db'));
  try {
    return new AuditLog(db).entries().filter((e) => e.action === 'publish');
  } finally {
    db.close();
  }
}

/** SHA-256 of the live Parquet of the view. */
function liveParquet(stateDir: string): string {
  return createHash('sha256')
    .update(readFileSync(viewFiles(stateDir, VIEW).parquet))
    .digest('hex');
}

/** The manifest's budget block of the live view. */
function budget(stateDir: string): { reservation?: string; refunded?: string } | undefined {
  return (readManifest(stateDir, VIEW)?.privacy as { budget?: object } | undefined)?.budget;
}

describe('re-publishing a synthetic view byte-identical to a release already paid for', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const text = policyText({ publication: '3.5', seed: 'identical-seed' });
  const publish = (sourceDir: string, stateDir: string, t = text, events?: PublishProgress[]) =>
    publishViews({
      policy: fixturePolicy(t),
      policyText: t,
      policyDir: sourceDir,
      stateDir,
      actor: 'sue',
      ...(events ? { onProgress: (e: PublishProgress) => events.push(e) } : {}),
    });

  const sourceDir = writeSource();
  const stateDir = freshStateDir();
  dirs.push(sourceDir, stateDir);
  const csv = join(sourceDir, 'people.csv');
  const original = readFileSync(csv, 'utf8');

  test('data that changes and changes back: the third publish is refunded, not charged', async () => {
    await publish(sourceDir, stateDir);
    const first = liveParquet(stateDir);
    writeFileSync(csv, original + '3001,F,Ames,30,50000,2001-01-01,false\n');
    await publish(sourceDir, stateDir);
    assert.notEqual(liveParquet(stateDir), first, 'new data: fresh noise, new rows');
    writeFileSync(csv, original);
    const [result] = await publish(sourceDir, stateDir);
    assert.equal(liveParquet(stateDir), first, 'the same inputs give the same bytes');
    assert.deepEqual(result?.manifest, readManifest(stateDir, VIEW));

    const [r1, r2, r3, ...rest] = publicationCharges(stateDir);
    assert.deepEqual(rest, []);
    assert.deepEqual(
      [r1, r2, r3].map((c) => [c?.status, c?.epsilon]),
      [
        ['committed', '1'],
        ['committed', '1'],
        ['refunded', '1'],
      ],
      'charged twice for two releases, the repeat refunded',
    );
    assert.deepEqual(budget(stateDir), {
      kind: 'publication',
      source: 'people',
      reservation: r1?.id,
      refunded: r3?.id,
    });
    const last = publishEntries(stateDir).slice(-3);
    assert.deepEqual(
      last.map((e) => e.details.step),
      ['reserved', 'identical', 'refunded'],
    );
    const identical = last[1]!;
    assert.equal(identical.subject, VIEW);
    assert.equal(identical.actor, 'sue');
    assert.equal(identical.details.reservation, r3?.id);
    assert.equal(identical.details.paidBy, r1?.id);
    assert.equal(identical.details.parquetHash, first);
    const db = openDurableDb(join(stateDir, 'privet.db'));
    try {
      assert.deepEqual(checkLedgerConsistency(db, fixturePolicy(text)), []);
    } finally {
      db.close();
    }
  });

  test('a crash after the refund committed, before the swap: recovery rolls the batch forward', () => {
    // The state such a crash leaves: the staged copy, and the journal naming the refunded
    // reservation, written before the transaction that appended the `identical` entry.
    const root = viewsDir(stateDir);
    const entries = publishEntries(stateDir);
    const identical = entries.at(-2)!;
    assert.equal(identical.details.step, 'identical');
    const staged = join(root, `.tmp-${VIEW}-crash`);
    cpSync(join(root, VIEW), staged, { recursive: true });
    writeFileSync(join(staged, 'staged-marker'), 'new');
    writeJournal(
      root,
      [
        {
          view: VIEW,
          staged: `.tmp-${VIEW}-crash`,
          old: `.old-${VIEW}-crash`,
          audit: {
            tier: 'synthetic',
            parquetHash: String(identical.details.parquetHash),
            publishedAt: readManifest(stateDir, VIEW)!.publishedAt,
            reservation: String(identical.details.reservation),
          },
        },
      ],
      { actor: 'sue', auditHead: entries.at(-3)!.seq },
    );
    assert.deepEqual(recoverPublishState(stateDir), { state: 'recovered', finished: [VIEW] });
    assert.ok(existsSync(join(root, VIEW, 'staged-marker')), 'the staged version is live');
  });

  test('a retry after a swap that failed once the charge committed is refunded', async () => {
    const retryState = freshStateDir();
    dirs.push(retryState);
    mkdirSync(viewsDir(retryState));
    symlinkSync(join(sourceDir, 'gone'), join(viewsDir(retryState), VIEW));
    await assert.rejects(
      publish(sourceDir, retryState),
      (err) => err instanceof PublishError && err.view === VIEW,
    );
    const [kept] = publicationCharges(retryState);
    assert.equal(kept?.status, 'committed', 'the failed swap keeps its charge');
    rmSync(join(viewsDir(retryState), VIEW), { force: true });
    await publish(sourceDir, retryState);
    assert.deepEqual(
      publicationCharges(retryState).map((c) => c.status),
      ['committed', 'refunded'],
    );
    assert.equal(budget(retryState)?.reservation, kept?.id);
    assert.deepEqual(
      publishEntries(retryState).map((e) => e.details.step),
      ['reserved', 'charged', 'failed', 'reserved', 'identical', 'refunded'],
    );
  });

  test('in doubt it is charged: no recorded release, or a manifest that cannot be read', async () => {
    const doubtState = freshStateDir();
    dirs.push(doubtState);
    await publish(sourceDir, doubtState);
    // A release committed before releases were recorded (or its record lost): charged again.
    const db = openDurableDb(join(doubtState, 'privet.db'));
    db.exec('DELETE FROM publish_releases');
    db.close();
    rmSync(viewFiles(doubtState, VIEW).dir, { recursive: true });
    await publish(sourceDir, doubtState);
    assert.equal(budget(doubtState)?.refunded, undefined);
    // The published manifest cannot be read: rebuilt, and charged although the bytes are the same.
    const bytes = liveParquet(doubtState);
    writeFileSync(viewFiles(doubtState, VIEW).manifest, '{ truncated');
    await publish(sourceDir, doubtState);
    assert.equal(budget(doubtState)?.refunded, undefined);
    assert.equal(liveParquet(doubtState), bytes);
    assert.deepEqual(
      publicationCharges(doubtState).map((c) => c.status),
      ['committed', 'committed', 'committed'],
    );
  });

  test('the reservation still comes first: an identical re-publish over budget is refused before synthesis', async () => {
    const tightState = freshStateDir();
    dirs.push(tightState);
    const tight = policyText({ publication: '1', seed: 'identical-seed' });
    await publish(sourceDir, tightState, tight);
    rmSync(viewFiles(tightState, VIEW).dir, { recursive: true });
    const events: PublishProgress[] = [];
    await assert.rejects(publish(sourceDir, tightState, tight, events), /needs ε=1 but only 0 /);
    assert.ok(!events.some((e) => e.step === 'synthesize'), 'no synthesis work');
    assert.deepEqual(
      publicationCharges(tightState).map((c) => c.status),
      ['committed'],
    );
  });
});
