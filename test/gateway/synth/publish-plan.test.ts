/**
 * GET /publish/plan on a real gateway: before anything is spent a steward sees which views would
 * be rebuilt, what each synthetic rebuild charges and whether the publication budget covers it;
 * an unchanged view is "keep"; a budget too small is reported with a fix; the plan itself
 * reserves and audits nothing; analysts are refused.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { API_PREFIX, type PublishJob, type PublishPlan } from '@privet/core';
import type { RunningGateway } from '../../../gateway/src/http/server.js';
import { policyText } from './fixture.js';
import { startFixtureGateway } from './gateway-fixture.js';

const VIEW = 'people_synth';

async function call(gw: RunningGateway, user: string, method: string, path: string) {
  return fetch(`${gw.url}${API_PREFIX}${path}`, {
    method,
    headers: { Authorization: `Bearer ${gw.tokens[user]}` },
  });
}

async function plan(gw: RunningGateway): Promise<PublishPlan> {
  const res = await call(gw, 'sue', 'GET', '/publish/plan');
  assert.equal(res.status, 200);
  return (await res.json()) as PublishPlan;
}

/** Counts of ledger reservations and audit entries (the plan must change neither). */
function records(gw: RunningGateway): [number, number] {
  const count = (sql: string): number => (gw.services.db.prepare(sql).get() as { n: number }).n;
  return [
    count('SELECT count(*) AS n FROM ledger_reservations'),
    count('SELECT count(*) AS n FROM audit_log'),
  ];
}

describe('publish plan', () => {
  test('rebuild with its charge before the first publish, keep afterwards; nothing reserved', async () => {
    const { gw, close } = await startFixtureGateway(policyText({ publication: '3', seed: 'plan' }));
    try {
      assert.equal((await call(gw, 'ann', 'GET', '/publish/plan')).status, 403);
      const before = records(gw);
      const first = await plan(gw);
      assert.deepEqual(records(gw), before, 'the plan reserves and audits nothing');
      const view = first.views.find((v) => v.view === VIEW);
      assert.deepEqual(
        { action: view?.action, reason: view?.reason, charge: view?.charge },
        { action: 'rebuild', reason: 'not published yet', charge: { epsilon: '1', delta: '1e-7' } },
      );
      assert.deepEqual(first.budgets, [
        {
          source: 'people',
          epsilon: { total: '3', used: '0', after: '1' },
          delta: { total: '0.000001', used: '0', after: '1e-7' },
          fits: true,
        },
      ]);
      assert.equal(first.fits, true);

      const job = (await (await call(gw, 'sue', 'POST', '/publish/jobs')).json()) as PublishJob;
      for (let i = 0; i < 600; i++) {
        const s = (await (
          await call(gw, 'sue', 'GET', `/publish/jobs/${job.id}`)
        ).json()) as PublishJob;
        if (s.state !== 'running') break;
        await sleep(100);
      }
      const second = await plan(gw);
      assert.deepEqual(
        second.views.find((v) => v.view === VIEW),
        {
          view: VIEW,
          tier: 'synthetic',
          source: 'people',
          action: 'keep',
          reason: 'unchanged: kept, charged nothing',
        },
      );
      assert.deepEqual(second.budgets, []);
      assert.equal(second.fits, true);
    } finally {
      await close();
    }
  });

  test('a publication budget too small is reported, with a fix, before anything is spent', async () => {
    const { gw, close } = await startFixtureGateway(
      policyText({ publication: '0.5', seed: 'plan' }),
    );
    try {
      const p = await plan(gw);
      assert.equal(p.fits, false);
      assert.equal(p.budgets[0]?.fits, false);
      assert.equal(p.problems.length, 1);
      assert.match(p.problems[0]!.message, /needs ε=1, δ=1e-7 .* "people" has ε=0\.5/);
      assert.match(p.problems[0]!.fix, /publication_budgets/);
    } finally {
      await close();
    }
  });

  test('a source file that went missing is reported before publishing, with the fix', async () => {
    const { gw, dir, close } = await startFixtureGateway(
      policyText({ publication: '3', seed: 'plan' }),
    );
    try {
      rmSync(join(dir, 'people.csv'));
      const p = await plan(gw);
      assert.equal(p.fits, false);
      assert.match(
        p.problems[0]!.message,
        /source "people" of view "people_synth" has no readable file/,
      );
      assert.match(p.problems[0]!.fix, /sources\.people\.path/);
      assert.equal(p.views.find((v) => v.view === VIEW)?.action, 'rebuild');
    } finally {
      await close();
    }
  });
});
