// Slow versions: 10^5-trial interval coverage and 10^6-trial partition selection (npm run test:slow).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { coverage, singleUnitReleases } from './coverage.js';
import { openDpFixture, type DpFixture } from './fixture.js';

describe('intervals and partition selection (slow)', () => {
  let fx: DpFixture;
  before(async () => {
    fx = await openDpFixture();
  });
  after(() => fx.close());

  for (const [sql, budget] of [
    ['SELECT count(*) FROM events_dp', { epsilon: '0.05' }],
    ['SELECT sum(amount) FROM events_dp', { epsilon: 1 }],
    ['SELECT sum(amount) FROM events_dp', { rho: '0.5' }],
  ] as const) {
    test(`${sql} ${JSON.stringify(budget)}: covers 95% ± 0.5% over 10^5 trials`, async () => {
      const { rate } = await coverage(fx, sql, budget, 100_000);
      assert.ok(Math.abs(rate - 0.95) <= 0.005, `empirical coverage ${rate}`);
    });
  }

  test('a key held by one person: ≤ δ over 10^6 trials', async () => {
    const delta = 1e-5;
    const trials = 1_000_000;
    const { releases, predicted } = await singleUnitReleases(fx, String(delta), trials);
    assert.ok(predicted <= delta);
    const expected = delta * trials;
    assert.ok(
      releases <= expected + 4 * Math.sqrt(expected) + 1,
      `${releases} releases in ${trials} trials`,
    );
  });
});
