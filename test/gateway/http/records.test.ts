import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  ApiError,
  AuditResponse,
  AuditVerifyResponse,
  BudgetResponse,
  DpDryRunWithBudget,
  DpQueryResponse,
} from '@privet/core';
import { EXPERIMENT, startTestGateway, type TestGateway } from './fixture.js';

let t: TestGateway;
let tokens: Record<'ana' | 'rev' | 'stu', string>;

before(async () => {
  t = await startTestGateway();
  tokens = t.gateway.tokens as typeof tokens;
});
after(async () => t.stop());

const json = { 'Content-Type': 'application/json' };
const COUNT_SQL = 'SELECT COUNT(*) AS n, SUM(income) AS total FROM people_dp';

async function post(path: string, token: string, body: unknown): Promise<Response> {
  return t.call('POST', path, { token, body: JSON.stringify(body), headers: json });
}

async function budget(): Promise<BudgetResponse> {
  return (await (
    await t.call('GET', `/api/v1/experiments/${EXPERIMENT}/budget`, { token: tokens.ana })
  ).json()) as BudgetResponse;
}

describe('views inside experiments', () => {
  test('an analyst gets view rows only with an approved experiment', async () => {
    const none = await t.call('GET', '/api/v1/views/people_masked/arrow', { token: tokens.ana });
    assert.equal(none.status, 400);
    assert.match(((await none.json()) as ApiError).error.fix, /experiment=/);
    const unknown = await t.call('GET', '/api/v1/views/people_masked/arrow?experiment=nope', {
      token: tokens.ana,
    });
    assert.equal(unknown.status, 404);
    const ok = await t.call('GET', `/api/v1/views/people_masked/arrow?experiment=${EXPERIMENT}`, {
      token: tokens.ana,
    });
    assert.equal(ok.status, 200);
    await ok.arrayBuffer();
  });
  test('a proposal that is not approved grants nothing', async () => {
    const proposed = await post('/api/v1/experiments', tokens.ana, {
      id: 'exp-pending',
      title: 'Pending',
      purpose: 'Waiting for a steward',
      dataCategories: ['income'],
      views: ['people_masked'],
      analyses: ['counts'],
      expectedOutputs: ['tables'],
    });
    assert.equal(proposed.status, 201);
    const refused = await t.call(
      'GET',
      '/api/v1/views/people_masked/arrow?experiment=exp-pending',
      { token: tokens.ana },
    );
    assert.equal(refused.status, 403);
    const body = (await refused.json()) as ApiError;
    assert.ok(body.error.message.length > 0 && body.error.fix.length > 0);
  });
  test('only a steward approves, and only through the lifecycle', async () => {
    const byAnalyst = await post('/api/v1/experiments/exp-pending/approve', tokens.ana, {});
    assert.equal(byAnalyst.status, 403);
    const byReviewer = await post('/api/v1/experiments/exp-pending/approve', tokens.rev, {});
    assert.equal(byReviewer.status, 403);
    const bad = await post('/api/v1/experiments/exp-pending/explode', tokens.stu, {});
    assert.equal(bad.status, 404);
    const ok = await post('/api/v1/experiments/exp-pending/approve', tokens.stu, { note: 'fine' });
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { state: string }).state, 'approved');
    const granted = await t.call(
      'GET',
      '/api/v1/views/people_masked/arrow?experiment=exp-pending',
      { token: tokens.ana },
    );
    assert.equal(granted.status, 200);
    await granted.arrayBuffer();
  });
  test('a download is on the record only when rows are sent, not when it is refused', async () => {
    const proposed = await post('/api/v1/experiments', tokens.ana, {
      id: 'exp-downloads',
      title: 'Downloads',
      purpose: 'Rows and aggregates',
      dataCategories: ['income'],
      views: ['people_masked', 'people_dp'],
      analyses: ['counts'],
      expectedOutputs: ['tables'],
    });
    assert.equal(proposed.status, 201);
    const approved = await post('/api/v1/experiments/exp-downloads/approve', tokens.stu, {});
    assert.equal(approved.status, 200);
    // A dp view has no rows: refused after the experiment check passed, and nothing was read.
    const dp = await t.call('GET', '/api/v1/views/people_dp/arrow?experiment=exp-downloads', {
      token: tokens.ana,
    });
    assert.equal(dp.status, 409);
    await dp.arrayBuffer();
    const rows = await t.call(
      'GET',
      '/api/v1/views/people_masked/parquet?experiment=exp-downloads',
      { token: tokens.ana },
    );
    assert.equal(rows.status, 200);
    await rows.arrayBuffer();
    const trail = (await (
      await t.call('GET', '/api/v1/experiments/exp-downloads/audit', { token: tokens.ana })
    ).json()) as AuditResponse;
    const reads = trail.entries.filter((e) => e.action === 'view.access');
    assert.deepEqual(
      reads.map((e) => [e.subject, e.details]),
      [['people_masked', { format: 'parquet' }]],
      'one read, of the rows sent',
    );
  });
});

describe('DP queries over HTTP', () => {
  test('a dry run prices the query, shows errors and the budget after, and spends nothing', async () => {
    const before = await budget();
    const response = await post('/api/v1/dp/query', tokens.ana, {
      experiment: EXPERIMENT,
      sql: COUNT_SQL,
      epsilon: '0.1',
      dryRun: true,
    });
    assert.equal(response.status, 200, await response.clone().text());
    const dry = (await response.json()) as DpDryRunWithBudget;
    assert.equal(dry.dryRun, true);
    assert.equal(dry.budget[0]!.source, 'people');
    assert.equal(dry.budget[0]!.cost.epsilon, '1/10');
    assert.equal(dry.budget[0]!.affordable, true);
    assert.ok(dry.columns.length > 0);
    const after = await budget();
    assert.deepEqual(after.budgets, before.budgets);
  });
  test('a run commits the charge and returns a release with intervals', async () => {
    const before = await budget();
    const response = await post('/api/v1/dp/query', tokens.ana, {
      experiment: EXPERIMENT,
      sql: COUNT_SQL,
      epsilon: '0.1',
      dryRun: false,
    });
    assert.equal(response.status, 200, await response.clone().text());
    const { release } = (await response.json()) as DpQueryResponse;
    assert.match(release.releaseId, /^[0-9a-f]{32}$/);
    const after = await budget();
    const spent = (b: BudgetResponse) =>
      b.budgets.find((x) => x.source === 'people')!.spent.epsilon.exact;
    assert.notEqual(spent(after), spent(before));
    const charge = after.charges.find(
      (c) => (c as { releaseId?: string }).releaseId === release.releaseId,
    );
    assert.ok(charge, 'the release id is recorded with its committed charge');
  });
  test('refused SQL is a 400 with the engine reason and costs nothing', async () => {
    const before = await budget();
    for (const sql of [
      'SELECT * FROM people_dp',
      "SELECT * FROM read_csv('/etc/passwd')",
      'SELECT count(*) FROM people',
    ]) {
      const response = await post('/api/v1/dp/query', tokens.ana, {
        experiment: EXPERIMENT,
        sql,
        epsilon: '0.1',
        dryRun: false,
      });
      assert.equal(response.status, 400, sql);
      const body = (await response.json()) as ApiError;
      assert.equal(body.error.code, 'dp_refused');
      assert.ok(body.error.fix.length > 0);
    }
    assert.deepEqual((await budget()).budgets, before.budgets);
  });
  test('malformed query bodies → 400', async () => {
    for (const body of [
      {},
      { experiment: EXPERIMENT },
      { experiment: EXPERIMENT, sql: COUNT_SQL },
      { experiment: EXPERIMENT, sql: COUNT_SQL, dryRun: 'yes' },
      [],
    ]) {
      const response = await post('/api/v1/dp/query', tokens.ana, body);
      assert.equal(response.status, 400, JSON.stringify(body));
    }
  });
  test('reviewers and stewards cannot spend an analyst budget', async () => {
    for (const token of [tokens.rev, tokens.stu]) {
      const response = await post('/api/v1/dp/query', token, {
        experiment: EXPERIMENT,
        sql: COUNT_SQL,
        epsilon: '0.1',
        dryRun: true,
      });
      assert.equal(response.status, 403);
    }
  });
  test('50 concurrent clients racing on one budget never overspend', async () => {
    const state = await budget();
    const people = state.budgets.find((b) => b.source === 'people')!;
    const remaining = people.remaining.epsilon.value;
    const each = 0.05;
    const affordable = Math.floor(remaining / each + 1e-9);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        post('/api/v1/dp/query', tokens.ana, {
          experiment: EXPERIMENT,
          sql: COUNT_SQL,
          epsilon: String(each),
          dryRun: false,
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    await Promise.all(responses.map((r) => r.arrayBuffer()));
    assert.equal(statuses.filter((s) => s === 200).length, Math.min(50, affordable));
    assert.ok(
      statuses.every((s) => s === 200 || (s >= 400 && s < 500)),
      `statuses ${statuses.join(',')}`,
    );
    const after = (await budget()).budgets.find((b) => b.source === 'people')!;
    assert.equal(after.reserved.epsilon.value, 0);
    assert.ok(after.spent.epsilon.value <= after.total.epsilon.value);
    const refusal = responses.find((r) => r.status !== 200);
    if (refusal) assert.ok(refusal.status === 409 || refusal.status === 403);
  });
});

describe('audit over HTTP', () => {
  test('the analyst sees the experiment trail; the steward verifies the chain', async () => {
    const trail = (await (
      await t.call('GET', `/api/v1/experiments/${EXPERIMENT}/audit`, { token: tokens.ana })
    ).json()) as AuditResponse;
    const actions = new Set(trail.entries.map((e) => e.action));
    for (const action of [
      'experiment.proposed',
      'experiment.approved',
      'view.access',
      'release',
      'query.refused',
    ]) {
      assert.ok(actions.has(action as never), `audit has ${action}`);
    }
    assert.ok(trail.entries.every((e) => e.experiment === EXPERIMENT));
    const verify = (await (
      await t.call('GET', '/api/v1/audit/verify', { token: tokens.stu })
    ).json()) as AuditVerifyResponse;
    assert.equal(verify.ok, true, verify.message);
    assert.ok(verify.entries >= trail.entries.length);
  });

  test('a steward reading view rows outside any experiment is on the record too', async () => {
    const res = await t.call('GET', '/api/v1/views/people_masked/arrow', { token: tokens.stu });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    const all = (await (
      await t.call('GET', '/api/v1/audit?from=0', { token: tokens.stu })
    ).json()) as AuditResponse;
    const reads = all.entries.filter(
      (e) => e.action === 'view.access' && e.actor === 'stu' && e.subject === 'people_masked',
    );
    assert.equal(reads.length, 1, JSON.stringify(reads));
    assert.deepEqual(reads[0]?.details, { as: 'steward', format: 'arrow' });
  });
});
