/**
 * A publish killed after its audit entries and charges committed but before its views were renamed
 * into place (audit finding F1) is rolled forward at the next start: every view shows the version
 * its `published` entry names, and the synthetic charge paid for the version that is live (the next
 * publish keeps it, charging nothing). A batch journaled as `prepared` whose transaction did not
 * commit is dropped; if the log names part of it anyway, those views get a `failed` follow-up.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry } from '@privet/core/record/index';
import { AuditLog } from '../../../gateway/src/audit/log.js';
import { openDurableDb } from '../../../gateway/src/audit/sqlite.js';
import { verifyAuditDb } from '../../../gateway/src/audit/verify.js';
import { loadPolicyFile } from '../../../gateway/src/policy-file.js';
import {
  publishViews,
  readManifest,
  viewsDir,
  type PublishProgress,
} from '../../../gateway/src/publish/index.js';
import { journalPath, writeJournal } from '../../../gateway/src/publish/journal.js';
import { recoverPublishState } from '../../../gateway/src/publish/recover.js';
import { fixturePolicy, policyText, writeSource } from '../synth/fixture.js';
import { freshStateDir, httpPolicyFixture, REPO } from './helpers.js';

/** The synthetic fixture's policy plus a masked view of the same source. */
function withMasked(text: string): string {
  const masked = `views:
  people_masked:
    tier: masked
    source: people
    columns:
      sex: { op: keep }
      age: { op: keep }
`;
  return text.replace('views:\n', masked);
}

/** Every `publish` entry of the state folder's audit log. */
function publishEntries(stateDir: string): AuditEntry[] {
  const db = openDurableDb(join(stateDir, 'privet.db'));
  try {
    return new AuditLog(db).entries().filter((e) => e.action === 'publish');
  } finally {
    db.close();
  }
}

/** Dot-prefixed leftovers in the views folder (journal, staging, previous versions, lock). */
const hidden = (stateDir: string) =>
  readdirSync(viewsDir(stateDir)).filter((n) => n.startsWith('.'));

/**
 * Where the audit log and the views on disk disagree: a masked view whose last `published` entry
 * (not followed by `failed`) names another version than the live one, and a synthetic view whose
 * last committed charge is for a version that is not live and has no `failed` entry.
 */
function logVersusDisk(stateDir: string, masked: string[], synthetic: string[]): string[] {
  const entries = publishEntries(stateDir);
  const problems: string[] = [];
  for (const view of masked) {
    const last = entries.filter(
      (e) => e.subject === view && ['published', 'failed'].includes(String(e.details.step)),
    );
    const e = last.at(-1);
    const live = readManifest(stateDir, view);
    if (e?.details.step === 'published' && e.details.parquetHash !== live?.parquetHash)
      problems.push(`${view}: its last published entry names a version that is not live`);
    if (e?.details.step === 'published' && e.details.policyHash !== live?.policyHash)
      problems.push(`${view}: its last published entry names another policy than the live one`);
  }
  for (const view of synthetic) {
    const live = readManifest(stateDir, view)?.privacy as
      { budget?: { reservation?: string } } | undefined;
    // Earlier charges paid for versions since replaced: the last one must be live or failed.
    const c = entries.filter((e) => e.subject === view && e.details.step === 'charged').at(-1);
    const id = c?.details.reservation;
    const failed = entries.some((e) => e.details.step === 'failed' && e.details.reservation === id);
    if (c && live?.budget?.reservation !== id && !failed)
      problems.push(`${view}: charge ${String(id)} is committed for a version that is not live`);
  }
  return problems;
}

describe('a publish killed after its audit entries and charges committed', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('is rolled forward: the log names the live versions, the charge is not spent twice', async () => {
    const sourceDir = writeSource();
    const stateDir = freshStateDir();
    dirs.push(sourceDir, stateDir);
    const v1 = withMasked(policyText({ publication: '5', seed: 'kill-seed' }));
    await publishViews({
      policy: fixturePolicy(v1),
      policyText: v1,
      policyDir: sourceDir,
      stateDir,
      actor: 'sue',
    });
    // A new ε: the synthetic view is rebuilt and charged; the masked view gets a new policy hash.
    const v2 = withMasked(policyText({ publication: '5', seed: 'kill-seed', epsilon: 0.9 }));
    const policyFile = join(sourceDir, 'v2.yaml');
    writeFileSync(policyFile, v2);
    const child = spawn(
      process.execPath,
      [
        '--conditions=privet-source',
        '--import',
        'tsx',
        join(REPO, 'test/gateway/publish/commit-kill-child.ts'),
        stateDir,
        sourceDir,
        policyFile,
      ],
      { cwd: REPO, stdio: 'inherit' },
    );
    const signal = await new Promise((r) => child.on('exit', (_code, sig) => r(sig)));
    assert.equal(signal, 'SIGKILL');
    const steps = publishEntries(stateDir).map((e) => `${e.subject}:${String(e.details.step)}`);
    assert.deepEqual(steps.slice(-3), [
      'people_synth:reserved',
      'people_masked:published',
      'people_synth:charged',
    ]);

    assert.equal(recoverPublishState(stateDir).state, 'recovered');
    assert.deepEqual(logVersusDisk(stateDir, ['people_masked'], ['people_synth']), []);
    assert.deepEqual(hidden(stateDir), [], 'no journal, staging or lock left');
    const report = await verifyAuditDb(join(stateDir, 'privet.db'));
    assert.equal(report.ok, true, report.message);

    // The live synthetic view is the one paid for: publishing v2 again keeps it, charging nothing.
    const seen: PublishProgress[] = [];
    await publishViews({
      policy: fixturePolicy(v2),
      policyText: v2,
      policyDir: sourceDir,
      stateDir,
      actor: 'sue',
      onProgress: (e) => seen.push(e),
    });
    assert.ok(seen.some((e) => e.view === 'people_synth' && e.step === 'unchanged'));
    assert.ok(!seen.some((e) => e.step === 'charged' || e.step === 'reserve'));
  });
});

describe('a batch journaled as prepared', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** A published http fixture with a staged copy of each masked view and a prepared journal. */
  async function prepared(tag: string) {
    const { dir, stateDir, policyPath } = httpPolicyFixture(tag);
    dirs.push(dir);
    const loaded = loadPolicyFile(policyPath);
    await publishViews({
      policy: loaded.policy,
      policyText: loaded.text,
      policyDir: loaded.dir,
      stateDir,
      actor: 'stu',
    });
    const root = viewsDir(stateDir);
    const views = ['people_masked', 'people_later'];
    const db = openDurableDb(join(stateDir, 'privet.db'));
    const auditHead = new AuditLog(db).head()?.seq ?? -1;
    db.close();
    const entries = views.map((view) => {
      cpSync(join(root, view), join(root, `.tmp-${view}-crash`), { recursive: true });
      writeFileSync(join(root, `.tmp-${view}-crash`, 'staged-marker'), 'new');
      return {
        view,
        staged: `.tmp-${view}-crash`,
        old: `.old-${view}-crash`,
        audit: {
          tier: 'masked' as const,
          parquetHash: `${view}-new-hash`,
          publishedAt: '2030-01-01T00:00:00.000Z',
        },
      };
    });
    writeJournal(root, entries, { actor: 'stu', auditHead });
    return { stateDir, root, views };
  }

  const isNew = (root: string, view: string) =>
    readdirSync(join(root, view)).includes('staged-marker');

  test('whose transaction never committed is dropped: previous versions, no entries', async () => {
    const { stateDir, root, views } = await prepared('prepared-none');
    const before = publishEntries(stateDir).length;
    assert.deepEqual(recoverPublishState(stateDir), { state: 'recovered', finished: [] });
    for (const view of views) assert.equal(isNew(root, view), false, `${view} keeps its version`);
    assert.deepEqual(hidden(stateDir), []);
    assert.equal(publishEntries(stateDir).length, before, 'nothing to correct in the log');
  });

  test('that the log partly names gets a failed entry for those views', async () => {
    const { stateDir, root, views } = await prepared('prepared-part');
    // Only people_masked's entry is in the log (a batch written by another version, say).
    const db = openDurableDb(join(stateDir, 'privet.db'));
    new AuditLog(db).append({
      actor: 'stu',
      action: 'publish',
      subject: 'people_masked',
      details: { step: 'published', tier: 'masked', parquetHash: 'people_masked-new-hash' },
    });
    db.close();
    assert.deepEqual(recoverPublishState(stateDir), { state: 'recovered', finished: [] });
    for (const view of views) assert.equal(isNew(root, view), false);
    assert.ok(!readdirSync(root).includes(journalPath(root)));
    assert.deepEqual(hidden(stateDir), []);
    const last = publishEntries(stateDir).at(-1);
    assert.equal(last?.subject, 'people_masked');
    assert.equal(last?.actor, 'stu');
    assert.deepEqual(
      [last?.details.step, last?.details.live, last?.details.parquetHash],
      ['failed', 'previous', 'people_masked-new-hash'],
    );
    assert.match(
      String(last?.details.reason),
      /interrupted before its views were moved into place/,
    );
    assert.deepEqual(logVersusDisk(stateDir, views, []), []);
    const report = await verifyAuditDb(join(stateDir, 'privet.db'));
    assert.equal(report.ok, true, report.message);
  });

  test('whose transaction committed is rolled forward', async () => {
    const { stateDir, root, views } = await prepared('prepared-all');
    const db = openDurableDb(join(stateDir, 'privet.db'));
    for (const view of views)
      new AuditLog(db).append({
        actor: 'stu',
        action: 'publish',
        subject: view,
        details: { step: 'published', tier: 'masked', parquetHash: `${view}-new-hash` },
      });
    db.close();
    assert.deepEqual(recoverPublishState(stateDir), { state: 'recovered', finished: views });
    for (const view of views) assert.equal(isNew(root, view), true, `${view} is the new version`);
    assert.deepEqual(hidden(stateDir), []);
    assert.equal(
      readFileSync(join(root, 'people_masked', 'staged-marker'), 'utf8'),
      'new',
      'the staged version is live',
    );
  });
});
