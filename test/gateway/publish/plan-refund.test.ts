/**
 * `privet publish --plan` names the refund it expects: a synthetic rebuild whose inputs (view and
 * column declarations, source version) match a release a committed charge paid for is still
 * charged in the plan — and counted in full towards whether it fits, as publish reserves it first —
 * but says that publish is expected to refund it, naming that release; not when the data changed,
 * nor when the published manifest cannot be read (publish then charges whatever the bytes). The
 * plan served over HTTP (planPublication) keeps the protocol's shape.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog } from '../../../gateway/src/audit/log.js';
import { openDurableDb } from '../../../gateway/src/audit/sqlite.js';
import { planPublication } from '../../../gateway/src/publish/cost-plan.js';
import { publishViews, viewFiles } from '../../../gateway/src/publish/index.js';
import { formatPlan, planFromState } from '../../../gateway/src/publish/plan-cli.js';
import { privet } from '../run-cli.js';
import { fixturePolicy, policyText, writeSource } from '../synth/fixture.js';
import { freshStateDir, publicationCharges } from './helpers.js';

const VIEW = 'people_synth';

/** The plan line of the view. */
function viewLine(text: string): string {
  return text.split('\n').find((l) => l.includes(` ${VIEW} `)) ?? '';
}

describe('publish --plan: a charge publish is expected to refund', () => {
  const sourceDir = writeSource();
  const stateDir = freshStateDir();
  after(() => {
    rmSync(sourceDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });
  const text = policyText({ publication: '3', seed: 'plan-refund-seed' });
  const policy = fixturePolicy(text);
  const csv = join(sourceDir, 'people.csv');
  const original = readFileSync(csv, 'utf8');
  const publish = () =>
    publishViews({ policy, policyText: text, policyDir: sourceDir, stateDir, actor: 'sue' });
  const plan = () => planFromState(policy, sourceDir, stateDir);

  test('none expected before the first release, nor after the data changed', async () => {
    assert.deepEqual((await plan()).expectedRefunds, [], 'nothing released yet');
    await publish();
    writeFileSync(csv, original + '3001,F,Ames,30,50000,2001-01-01,false\n');
    const changed = await plan();
    const view = changed.plan.views.find((v) => v.view === VIEW);
    assert.equal(view?.reason, 'source data changed');
    assert.deepEqual(view?.charge, { epsilon: '1', delta: '1e-7' });
    assert.deepEqual(changed.expectedRefunds, [], 'new data: no release had these inputs');
    assert.doesNotMatch(formatPlan(changed), /refund/);
  });

  test('data changed back: the charge is shown, with the release expected to refund it', async () => {
    await publish(); // the changed data, charged
    const [first, second] = publicationCharges(stateDir);
    assert.deepEqual([first?.status, second?.status], ['committed', 'committed']);
    writeFileSync(csv, original);
    const report = await plan();
    const view = report.plan.views.find((v) => v.view === VIEW);
    assert.equal(view?.action, 'rebuild');
    assert.deepEqual(view?.charge, { epsilon: '1', delta: '1e-7' }, 'still charged in the plan');
    assert.equal(report.expectedRefunds.length, 1);
    const [expected] = report.expectedRefunds;
    assert.equal(expected?.view, VIEW);
    assert.equal(expected?.release.reservation, first?.id, 'the release of the same data');
    assert.match(expected?.release.recordedAt ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
    assert.deepEqual(report.plan.budgets[0]?.epsilon, { total: '3', used: '2', after: '3' });
    assert.equal(report.plan.fits, true);

    const line = viewLine(formatPlan(report));
    assert.ok(line.includes('charges ε=1, δ=1e-7 (expected to be refunded: '), line);
    assert.ok(line.includes(`same inputs as release ${first!.id} of `), line);
    assert.ok(line.includes(expected!.release.recordedAt.slice(0, 19)), line);
    assert.ok(line.includes('refunded only if the rebuilt file is byte-identical)'), line);

    // The HTTP plan (GET /publish/plan) is the same plan, and its view carries the expected refund.
    const db = openDurableDb(join(stateDir, 'privet.db'));
    try {
      const served = await planPublication(policy, sourceDir, stateDir, {
        db,
        audit: new AuditLog(db),
      });
      assert.deepEqual(served, report.plan);
      assert.deepEqual(served.views.find((v) => v.view === VIEW)?.expectedRefund, {
        reservation: first!.id,
        recordedAt: expected!.release.recordedAt,
      });
    } finally {
      db.close();
    }

    const cli = join(sourceDir, 'policy.yaml');
    writeFileSync(cli, text);
    const r = privet('publish', '--plan', '--policy', cli, '--state', stateDir);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      viewLine(r.stdout).includes(`expected to be refunded: same inputs as release ${first!.id}`),
    );
  });

  test('fits is computed with the full charge: a budget that only a refund would leave room for does not fit', async () => {
    const tight = fixturePolicy(policyText({ publication: '2', seed: 'plan-refund-seed' }));
    const report = await planFromState(tight, sourceDir, stateDir);
    assert.equal(report.expectedRefunds[0]?.view, VIEW, 'the same inputs: still expected');
    assert.equal(report.plan.fits, false);
    assert.equal(report.plan.budgets[0]?.fits, false);
    const out = formatPlan(report);
    assert.match(out, /must cover it even where a refund is expected/);
    assert.match(out, /publishing would be refused$/);
  });

  test('the publish then refunds it, and the next plan keeps the view', async () => {
    await publish();
    assert.deepEqual(
      publicationCharges(stateDir).map((c) => c.status),
      ['committed', 'committed', 'refunded'],
    );
    const kept = await plan();
    assert.equal(kept.plan.views.find((v) => v.view === VIEW)?.action, 'keep');
    assert.deepEqual(kept.expectedRefunds, []);
  });

  test('none expected when the published manifest cannot be read (publish charges then)', async () => {
    writeFileSync(viewFiles(stateDir, VIEW).manifest, '{ truncated');
    const report = await plan();
    const view = report.plan.views.find((v) => v.view === VIEW);
    assert.equal(view?.reason, 'manifest unreadable (rebuilt to repair it)');
    assert.ok(view?.charge);
    assert.deepEqual(report.expectedRefunds, []);
  });
});
