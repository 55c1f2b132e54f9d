// The policy's per-query limit (max_query_epsilon) through the DP service: the free dry run says
// the query is not affordable, names the limit and gives the fix; spending is refused by the
// ledger as dp_refused and costs nothing; a query at the limit spends.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DpDryRunWithBudget, DpQueryResponse } from '@privet/core';
import { budgetShortfall } from '@privet/core/client/budget-shortfall';
import { POLICY_YAML } from './fixture.js';
import { ANA, openDpService } from './service-fixture.js';
import type { Services } from '../../../gateway/src/ledger/open.js';
import type { DpQueryService } from '../../../gateway/src/dp/service.js';
import { HttpError } from '../../../gateway/src/http/errors.js';

const SQL = 'SELECT count(*) AS n FROM people_dp';
const LIMITED = "{ source: people, epsilon: '10', delta: '1e-6', scope: experiment }";

let services: Services;
let dp: DpQueryService;
let close: () => Promise<void>;

before(async () => {
  assert.equal(POLICY_YAML.split(LIMITED).length, 2, 'the fixture budget line');
  const limited = POLICY_YAML.replace(
    LIMITED,
    LIMITED.replace(' }', ", max_query_epsilon: '0.5' }"),
  );
  ({ services, dp, close } = await openDpService(limited, {
    id: 'q1',
    title: 'Limited',
    purpose: 'Spending under a per-query limit',
    dataCategories: ['people'],
    views: ['people_dp'],
  }));
});

after(() => close());

test('the dry run of a query above the per-query limit is not affordable and says why', async () => {
  const dry = (await dp.query(ANA, {
    experiment: 'q1',
    sql: SQL,
    epsilon: '0.75',
    dryRun: true,
  })) as DpDryRunWithBudget;
  const [people] = dry.budget;
  assert.deepEqual(
    [people?.source, people?.affordable, people?.perQuery],
    ['people', false, { epsilon: '1/2' }],
  );
  const shortfall = budgetShortfall(dry);
  assert.equal(shortfall?.message, 'the query needs ε=0.75 on people (at most 0.5 per query)');
  assert.match(shortfall?.fix ?? '', /^ask for less ε in this query \(a wider error\)/);
  assert.deepEqual(shortfall?.short, ['ε']);
  const within = (await dp.query(ANA, {
    experiment: 'q1',
    sql: SQL,
    epsilon: '0.5',
    dryRun: true,
  })) as DpDryRunWithBudget;
  assert.equal(within.budget[0]?.affordable, true);
  assert.equal(budgetShortfall(within), undefined);
});

test('spending above the limit is refused as dp_refused and costs nothing; at the limit it spends', async () => {
  await assert.rejects(
    dp.query(ANA, { experiment: 'q1', sql: SQL, epsilon: '0.75', dryRun: false }),
    (e: unknown) =>
      e instanceof HttpError &&
      e.status === 400 &&
      e.code === 'dp_refused' &&
      /above the policy's limit of ε=0\.5 per query on dataset "people"/.test(e.message),
  );
  assert.equal(services.ledger.state('q1').charges.length, 0);
  const spent = (await dp.query(ANA, {
    experiment: 'q1',
    sql: SQL,
    epsilon: '0.5',
    dryRun: false,
  })) as DpQueryResponse;
  assert.equal(spent.dryRun, false);
  const [budget] = services.ledger.state('q1').budgets;
  assert.deepEqual([budget?.spent.epsilon.text, budget?.perQuery?.epsilon?.text], ['0.5', '0.5']);
});
