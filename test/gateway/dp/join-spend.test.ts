// A DP join over two sources charges both budgets, commits both charges before the release is
// returned, and the release id verifies as a Privet release (the ledger keeps release ids unique,
// so a join's charges record `<id>/<source>`).
import { releaseContentText } from '@privet/core/review/index';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DpQueryResponse } from '@privet/core';
import { POLICY_YAML } from './fixture.js';
import { ANA, openDpService } from './service-fixture.js';
import type { Services } from '../../../gateway/src/ledger/open.js';
import type { DpQueryService } from '../../../gateway/src/dp/service.js';
import { ReleaseRegistry } from '../../../gateway/src/review/releases.js';

const JOIN_SQL =
  'SELECT p.sex, count(*) AS n, sum(e.amount) AS total FROM people_dp p JOIN events_dp e ON p.pid = e.pid GROUP BY p.sex';

let services: Services;
let dp: DpQueryService;
let close: () => Promise<void>;

before(async () => {
  ({ services, dp, close } = await openDpService(POLICY_YAML, {
    id: 'j1',
    title: 'Join',
    purpose: 'Spending on a join',
    dataCategories: ['events'],
    views: ['people_dp', 'events_dp'],
  }));
});

after(() => close());

test('a join on the privacy unit charges both sources, commits both, and its release verifies', async () => {
  const result = (await dp.query(ANA, {
    experiment: 'j1',
    sql: JOIN_SQL,
    epsilon: '1',
    dryRun: false,
  })) as DpQueryResponse;
  const id = result.release.releaseId;
  assert.match(id, /^[0-9a-f]{32}$/);
  const { charges } = services.ledger.state('j1');
  const committed = charges.filter((c) => c.status === 'committed');
  assert.deepEqual(committed.map((c) => c.source).sort(), ['events', 'people']);
  assert.deepEqual(committed.map((c) => c.releaseId).sort(), [`${id}/events`, `${id}/people`]);
  const registry = new ReleaseRegistry(services.db);
  const content = releaseContentText(JSON.parse(JSON.stringify(result.release)));
  assert.equal(registry.hasContent(id, content), true);
  assert.equal(registry.hasContent(`${id}/people`, content), false, 'a ledger key is not an id');
  assert.equal(registry.hasContent(id.slice(0, 31), content), false, 'a prefix is not an id');
  const altered = { ...result.release, rows: result.release.rows.slice(1) };
  assert.equal(registry.hasContent(id, releaseContentText(altered)), false, 'other numbers');
  // A second join gets its own release id and its own two charges.
  const again = (await dp.query(ANA, {
    experiment: 'j1',
    sql: JOIN_SQL,
    epsilon: '1',
    dryRun: false,
  })) as DpQueryResponse;
  assert.notEqual(again.release.releaseId, id);
  assert.equal(
    services.ledger.state('j1').charges.filter((c) => c.status === 'committed').length,
    4,
  );
});

test('a refused query is filed under an experiment only for its members; odd ids are refused', async () => {
  const BOB = { user: 'bob', name: 'Bob', roles: ['analyst' as const] };
  const before = services.audit.entries({ experiment: 'j1' }).length;
  await assert.rejects(
    dp.query(BOB, { experiment: 'j1', sql: 'SELEC ana should drop the study', dryRun: false }),
    /dp_refused|syntax|parse/i,
  );
  assert.equal(services.audit.entries({ experiment: 'j1' }).length, before, 'nothing planted');
  const bobs = services.audit.entries().filter((e) => e.actor === 'bob');
  assert.equal(bobs.at(-1)?.action, 'query.refused', 'still audited, under the actor');
  await assert.rejects(
    dp.query(ANA, { experiment: 'j1', sql: 'SELEC 1', dryRun: false }),
    /dp_refused|syntax|parse/i,
  );
  assert.equal(services.audit.entries({ experiment: 'j1' }).length, before + 1, 'a member’s is');
  for (const experiment of ['z'.repeat(100_000), 'J1 ', '../j1'])
    await assert.rejects(
      dp.query(ANA, { experiment, sql: 'SELECT count(*) AS n FROM people_dp', dryRun: true }),
      /not an experiment id/,
    );
});

test('a query whose client left before the result was ready is refunded, not charged', async () => {
  const counts = () => {
    const { charges } = services.ledger.state('j1');
    return {
      committed: charges.filter((c) => c.status === 'committed').length,
      refunded: charges.filter((c) => c.status === 'refunded').length,
      pending: charges.filter((c) => c.status === 'pending').length,
    };
  };
  const before = counts();
  // The client leaves as soon as the query is sent: it is refunded without being run.
  const gone = new AbortController();
  const query = dp.query(
    ANA,
    { experiment: 'j1', sql: JOIN_SQL, epsilon: '1', dryRun: false },
    gone.signal,
  );
  gone.abort();
  await assert.rejects(
    query,
    /closed the connection before the result was ready; nothing was released or charged/,
  );
  assert.deepEqual(counts(), {
    committed: before.committed,
    refunded: before.refunded + 2, // both sources of the join
    pending: 0,
  });
});
