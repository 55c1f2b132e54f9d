import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { API_PREFIX, type PublishJob } from '@privet/core';
import type { FidelityReport } from '@privet/core/synth/fidelity-types';
import { startGateway, type RunningGateway } from '../../../gateway/src/http/server.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Policy, SyntheticView } from '@privet/core';
import { staleDefinition } from '../../../gateway/src/http/views.js';
import { readManifest } from '../../../gateway/src/publish/index.js';
import { fixturePolicy, policyText } from './fixture.js';
import { jobSnapshots, startFixtureGateway } from './gateway-fixture.js';

const VIEW = 'people_synth';

function call(gw: RunningGateway, user: string, method: string, path: string) {
  return fetch(`${gw.url}${API_PREFIX}${path}`, {
    method,
    headers: { Authorization: `Bearer ${gw.tokens[user]}` },
  });
}

/** Polls a job over raw HTTP until it leaves `running`; returns every snapshot seen. */
const waitForJob = (gw: RunningGateway, id: string): Promise<PublishJob[]> =>
  jobSnapshots(
    async () => (await (await call(gw, 'sue', 'GET', `/publish/jobs/${id}`)).json()) as PublishJob,
  );

describe('publish jobs and the fidelity route', () => {
  let gw: RunningGateway;
  let dir: string;
  let close: () => Promise<void>;
  let snapshots: PublishJob[] = [];
  let conflictStatus = 0;
  before(async () => {
    ({ gw, dir, close } = await startFixtureGateway(
      policyText({ publication: '3', seed: 'http' }),
    ));
    const started = await call(gw, 'sue', 'POST', '/publish/jobs');
    assert.equal(started.status, 202);
    const job = (await started.json()) as PublishJob;
    conflictStatus = (await call(gw, 'sue', 'POST', '/publish/jobs')).status;
    snapshots = await waitForJob(gw, job.id);
  });
  after(() => close());

  test('a steward starts a job; it reports progress and reaches done with the view published', () => {
    const last = snapshots.at(-1)!;
    assert.equal(last.state, 'done', JSON.stringify(last.error));
    assert.equal(last.progress.fraction, 1);
    assert.ok(last.finishedAt);
    assert.deepEqual(
      last.result?.published.map((p) => p.view),
      [VIEW],
    );
    const fractions = snapshots.map((s) => s.progress.fraction);
    for (let i = 1; i < fractions.length; i++) assert.ok(fractions[i]! >= fractions[i - 1]!);
    assert.ok(
      snapshots.some((s) => s.state === 'running' && s.progress.view === VIEW),
      'progress names the view while running',
    );
  });

  test('a second job while one runs is a 409; analysts cannot start jobs; unknown ids are 404', async () => {
    assert.equal(conflictStatus, 409);
    assert.equal((await call(gw, 'ann', 'POST', '/publish/jobs')).status, 403);
    assert.equal(
      (await call(gw, 'sue', 'GET', '/publish/jobs/job-000000000000000000000000')).status,
      404,
    );
    assert.equal((await call(gw, 'sue', 'GET', '/publish/jobs/../../etc')).status, 404);
  });

  test('stewards read the fidelity report (JSON and SVG); analysts and reviewers are refused by default', async () => {
    const res = await call(gw, 'sue', 'GET', `/views/${VIEW}/fidelity`);
    assert.equal(res.status, 200);
    const report = (await res.json()) as FidelityReport;
    assert.equal(report.view, VIEW);
    assert.equal(report.columns.length, 6);
    const svg = await call(gw, 'sue', 'GET', `/views/${VIEW}/fidelity?format=svg`);
    assert.equal(svg.status, 200);
    assert.match(svg.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    assert.match(await svg.text(), /^<svg /);
    for (const user of ['ann', 'rex']) {
      const refused = await call(gw, user, 'GET', `/views/${VIEW}/fidelity`);
      assert.equal(refused.status, 403);
      const body = (await refused.json()) as { error: { message: string; fix: string } };
      assert.match(body.error.message, /stewards only/);
      assert.match(body.error.fix, /fidelity_for_analysts/);
    }
    assert.equal((await call(gw, 'sue', 'GET', '/views/nope/fidelity')).status, 404);
  });

  test('its rows count as published under an earlier definition once the policy drops a column, adds a prefix or changes ε or δ', () => {
    const policy = fixturePolicy(policyText({ publication: '3', seed: 'http' }));
    const view = policy.views[VIEW];
    const manifest = readManifest(join(dir, 'state'), VIEW);
    assert.ok(view?.tier === 'synthetic' && manifest);
    assert.equal(staleDefinition(policy, view, manifest), undefined, 'as published');
    const variants: [string, (v: SyntheticView) => void, RegExp][] = [
      [
        'column left out',
        (v) => (v.columns = v.columns.filter((c) => c !== 'city')),
        /column "city" is published, and the policy now leaves it out/,
      ],
      ['new column', (v) => v.columns.push('extra'), /column "extra" is new in the policy/],
      [
        'prefix',
        (v) => (v.prefix = { city: 3 }),
        /column "city" is published whole, and the policy now says its first 3 characters/,
      ],
      ['ε', (v) => (v.epsilon = 0.5), /made with ε = 1, δ = 1e-7, and the policy now says ε = 0.5/],
      ['source', (v) => (v.source = 'other'), /made from source "people"/],
    ];
    for (const [what, change, message] of variants) {
      const v = structuredClone(view);
      change(v);
      assert.match(staleDefinition(policy, v, manifest) ?? '', message, what);
    }
    // Utility settings do not make it stale (they change nothing an analyst may not see).
    const rows = structuredClone(view);
    rows.rows = 10;
    assert.equal(staleDefinition(policy, rows, manifest), undefined);
  });

  test('its rows count as published under an earlier definition once the source changes a column’s declared categories, bounds, years or type, naming the column but no value', () => {
    const text = policyText({ publication: '3', seed: 'http' });
    const policy = fixturePolicy(text);
    const view = policy.views[VIEW];
    const manifest = readManifest(join(dir, 'state'), VIEW);
    assert.ok(view?.tier === 'synthetic' && manifest);
    const variants: [string, (c: Policy['sources'][string]['columns']) => void, RegExp][] = [
      [
        'a category removed',
        (c) => (c.sex!.categories = ['F']),
        /^column "sex": its declared categories changed since it was published$/,
      ],
      [
        'categories declared where there were none',
        (c) => (c.city!.categories = ['Ames', 'Boise']),
        /^column "city": its declared categories changed since it was published$/,
      ],
      [
        'bounds narrowed',
        (c) => (c.age!.bounds = [18, 65]),
        /^column "age": its declared bounds changed since it was published$/,
      ],
      [
        'bounds dropped',
        (c) => delete c.income!.bounds,
        /^column "income": its declared bounds changed since it was published$/,
      ],
      [
        'years declared',
        (c) => (c.joined!.years = [2001, 2003]),
        /^column "joined": its declared years changed since it was published$/,
      ],
      [
        'type',
        (c) => (c.age!.type = 'number'),
        /^column "age": its declared type changed since it was published$/,
      ],
    ];
    for (const [what, change, message] of variants) {
      const p = fixturePolicy(text);
      change(p.sources.people!.columns);
      const stale = staleDefinition(p, view, manifest) ?? '';
      assert.match(stale, message, what);
      assert.doesNotMatch(stale, /Ames|Boise|\b(F|M|18|65|78|100000|2001|2003)\b/, what);
    }
    // What does not shape the synthesis does not make it stale: a description, a column the view
    // does not read, `identifier: false` spelled out.
    const same = fixturePolicy(text);
    same.sources.people!.columns.sex!.description = 'as recorded at intake';
    same.sources.people!.columns.person_id!.description = 'the person';
    same.sources.people!.columns.city!.identifier = false;
    assert.equal(staleDefinition(same, view, manifest), undefined);
  });

  test('a manifest that does not record its columns’ source declarations (an older gateway) is stale: publish it again', () => {
    const policy = fixturePolicy(policyText({ publication: '3', seed: 'http' }));
    const view = policy.views[VIEW];
    const manifest = readManifest(join(dir, 'state'), VIEW);
    assert.ok(view?.tier === 'synthetic' && manifest?.privacy);
    const recorded = manifest.privacy.sourceDeclarations as Record<string, Record<string, string>>;
    assert.deepEqual(Object.keys(recorded).sort(), [...view.columns].sort());
    for (const digests of Object.values(recorded))
      for (const d of Object.values(digests)) assert.match(d, /^[0-9a-f]{64}$/);
    const { sourceDeclarations: _, ...older } = manifest.privacy;
    assert.match(
      staleDefinition(policy, view, { ...manifest, privacy: older }) ?? '',
      /does not record the source declarations its columns were synthesized from \(it was published by an older gateway\); publish it again/,
    );
    const { city: __, ...withoutCity } = recorded;
    assert.match(
      staleDefinition(policy, view, {
        ...manifest,
        privacy: { ...manifest.privacy, sourceDeclarations: withoutCity },
      }) ?? '',
      /^column "city": its manifest does not record its source declaration as this gateway does; publish it again$/,
    );
  });

  test('the publication is charged in the shared ledger (one committed row)', () => {
    const rows = gw.services.db
      .prepare("SELECT status FROM ledger_reservations WHERE experiment = '@publication'")
      .all() as { status: string }[];
    assert.deepEqual(
      rows.map((r) => r.status),
      ['committed'],
    );
  });
});

describe('fidelity for analysts when the policy allows it', () => {
  test('an analyst reads the report once fidelity_for_analysts is true', async () => {
    const { gw, close } = await startFixtureGateway(
      policyText({ publication: '3', seed: 'http', analysts: true }),
    );
    try {
      assert.equal((await call(gw, 'ann', 'GET', `/views/${VIEW}/fidelity`)).status, 409);
      const job = (await (await call(gw, 'sue', 'POST', '/publish/jobs')).json()) as PublishJob;
      assert.equal((await waitForJob(gw, job.id)).at(-1)?.state, 'done');
      const res = await call(gw, 'ann', 'GET', `/views/${VIEW}/fidelity`);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as FidelityReport).view, VIEW);
    } finally {
      await close();
    }
  });

  test('a report made under an earlier definition of the view is not served', async () => {
    const text = policyText({ publication: '3', seed: 'http', analysts: true });
    const { gw, dir, close } = await startFixtureGateway(text);
    let restarted: RunningGateway | undefined;
    try {
      const job = (await (await call(gw, 'sue', 'POST', '/publish/jobs')).json()) as PublishJob;
      assert.equal((await waitForJob(gw, job.id)).at(-1)?.state, 'done');
      await gw.close();
      // The steward changes the view's ε and restarts: its report (real-data figures) describes
      // a view no longer declared, so neither analysts nor stewards get it until it is published again.
      writeFileSync(
        join(dir, 'policy.yaml'),
        policyText({ publication: '3', seed: 'http', analysts: true, epsilon: 0.5 }),
      );
      restarted = await startGateway({
        policyPath: join(dir, 'policy.yaml'),
        stateDir: join(dir, 'state'),
        port: 0,
        issueTokensFor: ['ann', 'sue', 'rex'],
      });
      for (const user of ['ann', 'sue']) {
        for (const query of ['', '?format=svg']) {
          const res = await call(restarted, user, 'GET', `/views/${VIEW}/fidelity${query}`);
          assert.equal(res.status, 409, `${user} ${query}`);
          const body = (await res.json()) as { error: { message: string; fix: string } };
          assert.match(
            body.error.message,
            /published under an earlier definition \(it was made with ε = 1/,
          );
          assert.match(body.error.fix, /publish/);
        }
      }
    } finally {
      await restarted?.close();
      await close();
    }
  });
});

describe('a declared domain narrowed after publishing', () => {
  /** The status of reading the view's rows as the steward (the body read, so the socket is freed). */
  const readRows = async (gw: RunningGateway): Promise<number> => {
    const res = await call(gw, 'sue', 'GET', `/views/${VIEW}/arrow`);
    await res.arrayBuffer();
    return res.status;
  };
  test('a restarted gateway refuses the rows made under the looser declaration until it is published again', async () => {
    const text = policyText({ publication: '3', seed: 'http' });
    const { gw, dir, close } = await startFixtureGateway(text);
    let restarted: RunningGateway | undefined;
    try {
      const job = (await (await call(gw, 'sue', 'POST', '/publish/jobs')).json()) as PublishJob;
      assert.equal((await waitForJob(gw, job.id)).at(-1)?.state, 'done');
      assert.equal(await readRows(gw), 200);
      await gw.close();
      // The steward removes a category from the public domain of "sex" and restarts.
      const narrowed = text.replace('categories: [F, M]', 'categories: [F]');
      assert.notEqual(narrowed, text);
      writeFileSync(join(dir, 'policy.yaml'), narrowed);
      restarted = await startGateway({
        policyPath: join(dir, 'policy.yaml'),
        stateDir: join(dir, 'state'),
        port: 0,
        issueTokensFor: ['ann', 'sue', 'rex'],
      });
      const refused = await call(restarted, 'sue', 'GET', `/views/${VIEW}/arrow`);
      assert.equal(refused.status, 409);
      const body = (await refused.json()) as { error: { message: string; fix: string } };
      assert.match(
        body.error.message,
        /published under an earlier definition \(column "sex": its declared categories changed since it was published\)/,
      );
      assert.match(body.error.fix, /publish/);
      const again = (await (
        await call(restarted, 'sue', 'POST', '/publish/jobs')
      ).json()) as PublishJob;
      assert.equal((await waitForJob(restarted, again.id)).at(-1)?.state, 'done');
      assert.equal(await readRows(restarted), 200);
    } finally {
      await restarted?.close();
      await close();
    }
  });
});
