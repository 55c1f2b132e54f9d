// A client that leaves while the engine is computing a DP aggregate: the DP service's stop signal
// (which the HTTP route aborts when the socket closes: client-gone.test.ts) interrupts the DuckDB
// query there and then instead of letting it run to its end, and both sources of the join are
// refunded. The heavy privacy unit's two million rows make the join's contribution bounding take
// long enough to leave in the middle of it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { POLICY_YAML } from './fixture.js';
import { ANA, openDpService } from './service-fixture.js';
import type { Services } from '../../../gateway/src/ledger/open.js';
import type { DpQueryService } from '../../../gateway/src/dp/service.js';

const JOIN_SQL =
  'SELECT p.sex, count(*) AS n, sum(e.amount) AS total FROM people_dp p JOIN events_dp e ON p.pid = e.pid GROUP BY p.sex';
const BODY = { experiment: 'i1', sql: JOIN_SQL, epsilon: '0.1', dryRun: false };

let services: Services;
let dp: DpQueryService;
let close: () => Promise<void>;

before(async () => {
  ({ services, dp, close } = await openDpService(
    POLICY_YAML,
    {
      id: 'i1',
      title: 'Interrupt',
      purpose: 'Leaving in the middle of an aggregate',
      dataCategories: ['events'],
      views: ['people_dp', 'events_dp'],
    },
    { heavyRows: 2_000_000 },
  ));
});

after(() => close());

/** Charges of the experiment by status. */
function statuses(): string[] {
  return services.ledger.state('i1').charges.map((c) => c.status);
}

test('is interrupted mid-query and refunded, far sooner than the query runs to its end', async () => {
  // Clients that wait: the first opens the engine, the second shows how long the query takes.
  await dp.query(ANA, BODY);
  const t0 = performance.now();
  await dp.query(ANA, BODY);
  const fullMs = performance.now() - t0;
  assert.deepEqual(statuses(), ['committed', 'committed', 'committed', 'committed']);

  const gone = new AbortController();
  let settled = false;
  const query = dp.query(ANA, BODY, gone.signal).finally(() => (settled = true));
  query.catch(() => undefined);
  // Leave once the cost is reserved and the engine has worked on it for a while.
  for (let i = 0; i < 400 && statuses().length < 6; i++) await sleep(5);
  await sleep(Math.min(200, fullMs / 4));
  assert.equal(
    settled,
    false,
    `the query (${fullMs.toFixed(0)} ms in full) ended before the client left`,
  );
  const left = performance.now();
  gone.abort();
  await assert.rejects(query, /closed the connection before the result was ready/);
  const afterLeaving = performance.now() - left;
  assert.ok(
    afterLeaving < fullMs / 2,
    `the engine stopped ${afterLeaving.toFixed(0)} ms after the client left; the full query takes ${fullMs.toFixed(0)} ms`,
  );
  assert.deepEqual(statuses(), [...Array(4).fill('committed'), 'refunded', 'refunded']);
});
