/**
 * The VS Code extension's synthetic-view parts against a real gateway (the synthetic-view fixture
 * on 127.0.0.1): publishing polls the job to done with progress that never goes back; the tree's
 * tooltip lists ε, δ and each measurement kind's share; the fidelity page is script-free, escapes
 * the gateway's text and carries the plots as a data: image.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PublishJob } from '@privet/core';
import type { FidelityReport } from '@privet/core/synth/fidelity-types';
import { policyText } from '../gateway/synth/fixture.js';
import { startFixtureGateway, type FixtureGateway } from '../gateway/synth/gateway-fixture.js';
import { GatewayClient } from '../../vscode-ext/src/client/gateway.js';
import { escapeHtml } from '../../vscode-ext/src/shared/escape-html.js';
import { fidelityPage } from '../../vscode-ext/src/synthetic/fidelity-page.js';
import { syntheticPrivacyMarkdown } from '../../vscode-ext/src/synthetic/privacy-text.js';
import { describePublishJob as describeJob } from '@privet/core/client/index';
import {
  planSummary,
  publishAndWait,
  warningNotices,
  MAX_WARNING_NOTICES,
} from '../../vscode-ext/src/synthetic/publish.js';
import type { ViewSummary } from '@privet/core/protocol';

const VIEW = 'people_synth';

describe('VS Code: publishing and synthetic views over a real gateway', () => {
  let fixture: FixtureGateway;
  let sue: GatewayClient;
  const seen: PublishJob[] = [];
  let last: PublishJob;
  let firstPlan = '';
  before(async () => {
    fixture = await startFixtureGateway(policyText({ publication: '3', seed: 'vscode' }));
    sue = new GatewayClient(fixture.gw.url, fixture.gw.tokens.sue!);
    firstPlan = planSummary(await sue.publishPlan());
    last = await publishAndWait(sue, (job) => seen.push(job), { intervalMs: 50, maxPolls: 1200 });
  });
  after(() => fixture.close());

  it('polls the job to done; progress never moves back and names phases', () => {
    assert.equal(last.state, 'done', JSON.stringify(last.error));
    assert.ok(seen.length >= 2);
    for (let i = 1; i < seen.length; i++)
      assert.ok(seen[i]!.progress.fraction >= seen[i - 1]!.progress.fraction);
    assert.equal(describeJob(last), 'done');
    assert.ok(
      seen.some((j) => j.state === 'running' && describeJob(j).endsWith(`· ${VIEW}`)),
      seen.map(describeJob).join(' | '),
    );
  });

  it('the confirmation text names the rebuild, its charge and the budget, then nothing to charge', async () => {
    assert.match(firstPlan, /people_synth: rebuild \(not published yet\) — charges ε 1, δ 1e-7/);
    assert.match(firstPlan, /Publication budget of people: ε 0 → 1 of 3/);
    const again = planSummary(await sue.publishPlan());
    assert.match(again, /people_synth: keep \(unchanged: kept, charged nothing\)/);
    assert.match(again, /nothing is charged/);
  });

  it("the tooltip lists the view's ε, δ and measurement shares", async () => {
    const ann = new GatewayClient(fixture.gw.url, fixture.gw.tokens.ann!);
    const { views } = await ann.listViews();
    const text = syntheticPrivacyMarkdown(views.find((v) => v.name === VIEW)!);
    assert.match(text, /ε = 1, δ = 1e-7/);
    assert.match(text, /\| 1-way marginals \| \d+ \| \d+\.\d% \|/);
    assert.match(text, /\| pair marginals \| \d+ \| \d+\.\d% \|/);
    assert.match(text, /for stewards only/);
    const masked = { ...views.find((v) => v.name === VIEW)!, tier: 'masked' as const };
    assert.equal(syntheticPrivacyMarkdown({ ...masked, manifest: undefined }), '');
  });

  it('the fidelity page has no script, escapes text and embeds the plots', async () => {
    const report = await sue.viewFidelity(VIEW);
    const svg = await sue.viewFidelitySvg(VIEW);
    const page = fidelityPage(report, svg);
    assert.match(page, /default-src 'none'; style-src 'unsafe-inline'; img-src data:/);
    assert.doesNotMatch(page, /<script/i);
    assert.match(page, /id="tvd">1-way 0\.\d{4}/);
    const image = /src="data:image\/svg\+xml;base64,([^"]+)"/.exec(page);
    assert.ok(image);
    assert.equal(Buffer.from(image[1]!, 'base64').toString('utf8'), svg);
    const hostile: FidelityReport = { ...report, view: '<script>x</script>', note: '"><img>' };
    const escaped = fidelityPage(hostile, svg);
    assert.doesNotMatch(escaped, /<script>x/);
    assert.match(escaped, /&lt;script&gt;x&lt;\/script&gt;/);
    assert.equal(escapeHtml(`a&b'"`), 'a&amp;b&#39;&quot;');
  });

  it("the fidelity page lists the view's column warnings, escaped, and none when there are none", async () => {
    const report = await sue.viewFidelity(VIEW);
    const svg = await sue.viewFidelitySvg(VIEW);
    assert.doesNotMatch(fidelityPage(report, svg), /Column warnings/);
    const page = fidelityPage(report, svg, [
      {
        column: 'zip',
        message: 'only 3 values of "zip" are held by enough rows <b>',
        fix: 'declare the public categories of "zip"',
      },
    ]);
    assert.match(
      page,
      /<section class="warnings" aria-label="Column warnings"><h2>Column warnings<\/h2>/,
    );
    assert.match(
      page,
      /<li data-column="zip"><code>zip<\/code>: only 3 values of &quot;zip&quot; are held by enough rows &lt;b&gt;\. Fix: declare the public categories of &quot;zip&quot;\.<\/li>/,
    );
    assert.doesNotMatch(page, /<b>/);
  });

  it('column warnings make one notice per published view, never one per column', () => {
    const view = (name: string, columns: string[]): ViewSummary =>
      ({
        name,
        tier: 'synthetic',
        published: true,
        manifest: {
          warnings: columns.map((column) => ({
            column,
            message: `only 1 value of "${column}" is held by enough rows`,
            fix: `declare the public categories of "${column}"`,
          })),
        },
      }) as unknown as ViewSummary;
    const views = [
      view('a', ['zip', 'born']),
      view('b', ['city']),
      view('c', []),
      view('d', ['x']),
    ];
    const notices = warningNotices(views, new Set(['a', 'b', 'c']));
    assert.deepEqual(
      notices.map((n) => n.views),
      [['a'], ['b']],
      'views without warnings, or not published now, have no notice',
    );
    assert.equal(
      notices[0]!.message,
      'Privet: a, 2 column warnings. zip: only 1 value of "zip" is held by enough rows. Fix: declare the public categories of "zip". born: only 1 value of "born" is held by enough rows. Fix: declare the public categories of "born".',
    );
    assert.match(notices[1]!.message, /^Privet: b, 1 column warning\. city: /);
  });

  it('past two views with column warnings, one notice names them all (the "published" notice stays in sight)', () => {
    const view = (name: string, warnings: number): ViewSummary =>
      ({
        name,
        tier: 'synthetic',
        published: true,
        manifest: {
          warnings: Array.from({ length: warnings }, (_, i) => ({
            column: `c${i}`,
            message: 'only 1 value is held by enough rows',
            fix: 'declare the public categories',
          })),
        },
      }) as unknown as ViewSummary;
    const views = [view('a', 2), view('b', 1), view('c', 0), view('d', 1), view('e', 3)];
    const all = new Set(['a', 'b', 'c', 'd', 'e']);
    const notices = warningNotices(views, all);
    assert.equal(notices.length, 1);
    assert.ok(notices.length <= MAX_WARNING_NOTICES);
    assert.deepEqual(notices[0]!.views, ['a', 'b', 'd', 'e']);
    assert.equal(
      notices[0]!.message,
      "Privet: 4 published views have column warnings: a (2 column warnings), b (1 column warning), d (1 column warning), e (3 column warnings). Open a view's fidelity report, or its node in the Privet tree, for each warning and its fix.",
    );
    // Two views still get a notice each, with their warnings spelled out.
    assert.deepEqual(
      warningNotices(views, new Set(['a', 'b'])).map((n) => n.views),
      [['a'], ['b']],
    );
  });
});
