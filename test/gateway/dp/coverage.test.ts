// Interval coverage (10^4 trials per aggregate) and partition selection (10^5 trials): shown 95%
// intervals cover the true value 95% ± 1% of the time, and a key held by one person is released
// with probability ≤ δ. The 10^5 / 10^6-trial versions are in coverage.slow.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { coverage, singleUnitReleases } from './coverage.js';
import { openDpFixture, type DpFixture } from './fixture.js';

const TRIALS = 10_000;

describe('intervals and partition selection', () => {
  let fx: DpFixture;
  before(async () => {
    fx = await openDpFixture();
  });
  after(() => fx.close());

  test('COUNT interval covers 95% ± 1% (10^4 trials)', async () => {
    const { rate, reported } = await coverage(
      fx,
      'SELECT count(*) FROM events_dp',
      { epsilon: '0.05' },
      TRIALS,
    );
    assert.ok(
      reported !== undefined && Math.abs(reported - 0.95) < 0.01,
      `reported coverage ${reported}`,
    );
    assert.ok(Math.abs(rate - 0.95) <= 0.01, `empirical coverage ${rate}`);
  });

  test('SUM interval covers 95% ± 1% (10^4 trials)', async () => {
    const { rate } = await coverage(
      fx,
      'SELECT sum(amount) FROM events_dp',
      { epsilon: 1 },
      TRIALS,
    );
    assert.ok(Math.abs(rate - 0.95) <= 0.01, `empirical coverage ${rate}`);
  });

  test('SUM interval with discrete Gaussian noise (ρ) covers 95% ± 1%', async () => {
    const { rate } = await coverage(
      fx,
      'SELECT sum(amount) FROM events_dp',
      { rho: '0.5' },
      TRIALS,
    );
    assert.ok(Math.abs(rate - 0.95) <= 0.01, `empirical coverage ${rate}`);
  });

  test('AVG interval (union bound over its parts) covers at least 95%', async () => {
    const { rate } = await coverage(
      fx,
      'SELECT avg(amount) FROM events_dp',
      { epsilon: '0.2' },
      TRIALS,
    );
    assert.ok(rate >= 0.94, `empirical coverage ${rate}`);
  });

  test('a key held by one person is released with probability ≤ δ (10^5 trials)', async () => {
    const delta = 1e-3;
    const trials = 100_000;
    const { releases, predicted } = await singleUnitReleases(fx, String(delta), trials);
    assert.ok(predicted <= delta, `planned release probability ${predicted} > δ`);
    const expected = delta * trials;
    assert.ok(
      releases <= expected + 4 * Math.sqrt(expected),
      `${releases} releases in ${trials} trials (δ·n = ${expected})`,
    );
    assert.ok(
      Math.abs(releases - predicted * trials) <= 5 * Math.sqrt(predicted * trials) + 2,
      `${releases} vs predicted ${predicted * trials}`,
    );
  });
});
