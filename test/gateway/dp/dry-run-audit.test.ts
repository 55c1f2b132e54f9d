// The audit log records a refused DP query that was meant to run, never a refused dry run: dry
// runs are free and read no data, and VS Code's language server dry-runs every half-typed query,
// which filled the log with query.refused entries of text nobody ran.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { POLICY_YAML } from './fixture.js';
import { ANA, openDpService, type DpServiceFixture } from './service-fixture.js';

let f: DpServiceFixture;

before(async () => {
  f = await openDpService(POLICY_YAML, {
    id: 'da1',
    title: 'Dry-run audit',
    purpose: 'What a refused dry run leaves in the audit log',
    dataCategories: ['people'],
    views: ['people_dp'],
  });
});

after(() => f.close());

/** The query.refused entries of the experiment so far. */
const refusals = () =>
  f.services.audit.entries({ experiment: 'da1' }).filter((e) => e.action === 'query.refused');

test('a refused dry run is not audited; the same query refused for real is', async () => {
  const half = { experiment: 'da1', sql: 'SELECT name FROM people_dp WHERE', epsilon: '0.5' };
  for (let i = 0; i < 3; i++)
    await assert.rejects(f.dp.query(ANA, { ...half, dryRun: true }), /dp_refused|parse|syntax/i);
  assert.equal(refusals().length, 0, 'three dry runs as one types: no entry');
  await assert.rejects(f.dp.query(ANA, { ...half, dryRun: false }), /dp_refused|parse|syntax/i);
  assert.equal(refusals().length, 1, 'a run refused is audited');
});
