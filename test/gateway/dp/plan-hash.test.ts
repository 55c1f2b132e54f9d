// A real DP query may carry the planHash of the dry run the user saw (POST /dp/query `planHash`):
// the gateway runs it only under that plan. A steward who changed the policy's bounds between the
// dry run and Run (the gateway restarted with it) would otherwise have the query charged the same
// ε with another error than the one shown; it is refused before anything is reserved or charged.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DpDryRunWithBudget, DpQueryResponse } from '@privet/core';
import { POLICY_YAML } from './fixture.js';
import { ANA, openDpService, type DpServiceFixture } from './service-fixture.js';
import { DpQueryService } from '../../../gateway/src/dp/service.js';
import { HttpError } from '../../../gateway/src/http/errors.js';
import { loadPolicyFile } from '../../../gateway/src/policy-file.js';

const SQL = 'SELECT sum(income) AS total FROM people_dp';
const query = { experiment: 'ph1', sql: SQL, epsilon: '0.5' };

let f: DpServiceFixture;

before(async () => {
  f = await openDpService(POLICY_YAML, {
    id: 'ph1',
    title: 'Plan hash',
    purpose: 'Spending the plan the dry run priced',
    dataCategories: ['people'],
    views: ['people_dp'],
  });
});

after(() => f.close());

/** The ε of every reservation of the experiment (pending, committed or refunded), oldest first. */
const spentEpsilon = (): string[] => f.services.ledger.state('ph1').charges.map((c) => c.epsilon);

test('a run carrying the dry run’s planHash is released under that plan', async () => {
  const dry = (await f.dp.query(ANA, { ...query, dryRun: true })) as DpDryRunWithBudget;
  const run = (await f.dp.query(ANA, {
    ...query,
    dryRun: false,
    planHash: dry.planHash,
  })) as DpQueryResponse;
  assert.equal(run.release.planHash, dry.planHash);
  assert.equal(spentEpsilon().length, 1);
});

test('a run whose plan changed since its dry run (new bounds) is refused and charges nothing', async () => {
  const dry = (await f.dp.query(ANA, { ...query, dryRun: true })) as DpDryRunWithBudget;
  // The steward widens the income bounds and restarts the gateway.
  const widened = POLICY_YAML.replace('bounds: [0, 1000]', 'bounds: [0, 100000]');
  assert.notEqual(widened, POLICY_YAML);
  const path = join(f.fx.dir, 'policy-widened.yaml');
  writeFileSync(path, widened);
  const restarted = new DpQueryService(loadPolicyFile(path), f.services);
  const before = spentEpsilon();
  try {
    await assert.rejects(
      restarted.query(ANA, { ...query, dryRun: false, planHash: dry.planHash }),
      (e: unknown) =>
        e instanceof HttpError &&
        e.status === 409 &&
        /another plan than its dry run priced/.test(e.message) &&
        /dry run the query again/.test(e.fix),
    );
    assert.deepEqual(spentEpsilon(), before, 'nothing reserved or charged');
    // A new dry run prices the new plan, and that one spends.
    const again = (await restarted.query(ANA, { ...query, dryRun: true })) as DpDryRunWithBudget;
    assert.notEqual(again.planHash, dry.planHash);
    await restarted.query(ANA, { ...query, dryRun: false, planHash: again.planHash });
    assert.equal(spentEpsilon().length, before.length + 1);
  } finally {
    await restarted.close();
  }
});

test('a planHash that is not text is refused as a bad request', async () => {
  await assert.rejects(
    f.dp.query(ANA, { ...query, dryRun: false, planHash: 42 }),
    (e: unknown) => e instanceof HttpError && e.status === 400 && /"planHash"/.test(e.message),
  );
});
