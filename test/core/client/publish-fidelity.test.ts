/**
 * Core's gateway client for publish jobs, fidelity reports and the synthetic privacy block, against
 * a real gateway on 127.0.0.1 (the synthetic-view fixture): a steward starts and polls a job, reads
 * the report and its plots; an analyst gets the gateway's refusal with its fix; the manifest's
 * privacy block is read back with every measurement's share.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  followPublishJob,
  GatewayClient,
  GatewayError,
  type GatewayTransport,
} from '@privet/core/client/index';
import type { PublishJob } from '@privet/core';
import {
  groupMeasurements,
  rhoDisplay,
  syntheticPrivacyOf,
} from '@privet/core/synth/manifest-privacy';
import { policyText } from '../../gateway/synth/fixture.js';
import {
  jobSnapshots,
  startFixtureGateway,
  type FixtureGateway,
} from '../../gateway/synth/gateway-fixture.js';

const VIEW = 'people_synth';
const transport: GatewayTransport = {
  fetch: (url, init) => fetch(url, init),
  unreachableFix: 'start the test gateway',
  httpFix: 'read its log',
};

/** Polls through the client until the job leaves `running`. */
const finished = (client: GatewayClient, id: string): Promise<PublishJob[]> =>
  jobSnapshots(() => client.getPublishJob(id));

describe('core GatewayClient: publish jobs, fidelity and the synthetic privacy block', () => {
  let fixture: FixtureGateway;
  let sue: GatewayClient;
  let ann: GatewayClient;
  before(async () => {
    fixture = await startFixtureGateway(policyText({ publication: '3', seed: 'client' }));
    const { url, tokens } = fixture.gw;
    sue = new GatewayClient(url, tokens.sue!, transport);
    ann = new GatewayClient(url, tokens.ann!, transport);
  });
  after(() => fixture.close());

  it('a steward starts a job and polls it to done; an analyst is refused with a fix', async () => {
    await assert.rejects(ann.startPublishJob(), (e: unknown) => {
      assert.ok(e instanceof GatewayError);
      assert.ok(e.fix.length > 0);
      return true;
    });
    const job = await sue.startPublishJob();
    assert.equal(job.state, 'running');
    const seen = await finished(sue, job.id);
    const last = seen.at(-1)!;
    assert.equal(last.state, 'done', JSON.stringify(last.error));
    assert.equal(last.progress.fraction, 1);
    assert.deepEqual(
      last.result?.published.map((p) => p.view),
      [VIEW],
    );
  });

  it('a job the gateway no longer knows (it restarted) is reported as lost, with a fix', async () => {
    const forgotten: PublishJob = {
      id: 'job-000000000000000000000000',
      state: 'running',
      startedAt: new Date().toISOString(),
      progress: { phase: 'synthesize', fraction: 0.4 },
    };
    const seen: PublishJob[] = [];
    await assert.rejects(
      followPublishJob(sue, forgotten, (j) => seen.push(j), { intervalMs: 10, maxPolls: 5 }),
      (e: unknown) => {
        assert.ok(e instanceof GatewayError);
        assert.equal(e.code, 'job_lost');
        assert.match(e.message, /restarted while publishing/);
        assert.match(e.fix, /publish again/);
        return true;
      },
    );
    assert.equal(seen.length, 0);
    // A caller that stops caring stops the polling without another request.
    const last = await followPublishJob(sue, forgotten, (j) => seen.push(j), {
      intervalMs: 10,
      maxPolls: 5,
      live: () => false,
    });
    assert.equal(last, forgotten);
  });

  it('reads the fidelity report and its SVG plots; the analyst gets the policy refusal', async () => {
    const report = await sue.viewFidelity(VIEW);
    assert.equal(report.view, VIEW);
    assert.ok(report.tvd.twoWay >= 0 && report.tvd.twoWay <= 1);
    const svg = await sue.viewFidelitySvg(VIEW);
    assert.match(svg, /^<svg /);
    await assert.rejects(ann.viewFidelity(VIEW), (e: unknown) => {
      assert.ok(e instanceof GatewayError);
      assert.match(e.message, /stewards only/);
      assert.match(e.fix, /fidelity_for_analysts/);
      return true;
    });
  });

  it("reads the view's privacy block: ε, δ and shares that sum to at most 1", async () => {
    const { views } = await ann.listViews();
    const view = views.find((v) => v.name === VIEW);
    const privacy = syntheticPrivacyOf(view?.manifest);
    assert.ok(privacy, 'the published view carries a privacy block');
    assert.equal(privacy.epsilon, 1);
    assert.equal(privacy.delta, 1e-7);
    assert.equal(privacy.fidelityVisibleToAnalysts, false);
    const groups = groupMeasurements(privacy.measurements);
    const kinds = groups.map((g) => g.kind);
    for (const kind of ['one-way', 'select', 'marginal']) assert.ok(kinds.includes(kind), kind);
    const total = groups.reduce((s, g) => s + g.share, 0);
    assert.ok(total > 0.9 && total <= 1 + 1e-9, `shares sum to ${total}`);
    assert.equal(
      groups.reduce((s, g) => s + g.count, 0),
      privacy.measurements.length,
    );
    assert.match(rhoDisplay(privacy.rho.total), /^≈?0\.\d+$/);
  });

  it('refuses a malformed privacy block instead of guessing', () => {
    const manifest = {
      view: VIEW,
      tier: 'synthetic' as const,
      source: 'people',
      sourceHash: '',
      policyHash: '',
      parquetHash: '',
      publishedAt: '',
      rows: 1,
      rowsSuppressed: 0,
      columns: [],
    };
    assert.equal(syntheticPrivacyOf(manifest), undefined);
    assert.equal(syntheticPrivacyOf({ ...manifest, privacy: { epsilon: '1' } }), undefined);
    assert.equal(syntheticPrivacyOf({ ...manifest, tier: 'masked', privacy: {} }), undefined);
    assert.equal(rhoDisplay('1/8'), '0.125');
    assert.equal(rhoDisplay('not a number'), 'not a number');
  });
});
