// End to end: dry run (no data touched), execution, the release payload, accuracy targets,
// group keys of every kind, variance in a number column's units.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { executePlan } from '../../../gateway/src/dp/execute.js';
import { openDpFixture, peopleRows, type DpFixture } from './fixture.js';

describe('DP queries end to end', () => {
  let fx: DpFixture;
  before(async () => {
    fx = await openDpFixture();
  });
  after(() => fx.close());

  test('dry run prices every aggregate and warns, and matches the release plan hash', async () => {
    const plan = await fx.plan(
      'SELECT sex, count(*) AS n, sum(income) AS total, avg(income) AS mean FROM people_dp GROUP BY sex',
      { epsilon: '0.9' },
    );
    const dry = plan.dryRun;
    assert.equal(dry.cost.epsilon, '0.9');
    assert.deepEqual(dry.cost.sources, ['people']);
    assert.equal(dry.groups, 2);
    const n = dry.columns.find((c) => c.name === 'n');
    assert.ok(n?.halfWidth !== undefined && n.halfWidth > 0);
    assert.ok(dry.warnings.some((w) => w.includes('clamped to [0, 1000]')));
    const release = await executePlan(plan, fx.engine);
    assert.match(release.releaseId, /^[0-9a-f]{32}$/);
    assert.equal(release.planHash, dry.planHash);
    assert.deepEqual(
      release.rows.map((r) => r.keys['sex']),
      ['F', 'M'],
    );
    for (const row of release.rows) {
      const mean = row.values['mean'];
      assert.ok(
        mean &&
          mean.value >= 0 &&
          mean.value <= 1000 &&
          mean.interval[0] <= mean.value &&
          mean.value <= mean.interval[1],
      );
    }
    // Two releases of the same plan differ (fresh noise) but share the plan hash.
    const again = await executePlan(plan, fx.engine);
    assert.notEqual(again.releaseId, release.releaseId);
  });

  test('bins, bounded integers and booleans are public keys; every key is released even if empty', async () => {
    const plan = await fx.plan(
      'SELECT floor(age / 10) * 10 AS decade, member, count(*) FROM people_dp WHERE age >= 90 GROUP BY decade, member',
      { epsilon: 1 },
    );
    assert.equal(plan.dryRun.groups, 11 * 2);
    const release = await executePlan(plan, fx.engine);
    assert.equal(release.rows.length, 22, 'empty groups are released with noise too');
    assert.deepEqual(
      [...new Set(release.rows.map((r) => r.keys['decade']))],
      [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
    );
  });

  test('unknown keys go through partition selection; rare keys are suppressed', async () => {
    const plan = await fx.plan('SELECT city, count(*) AS n FROM people_dp GROUP BY city', {
      epsilon: 1,
      delta: '1e-6',
    });
    assert.ok(
      plan.dryRun.partitionSelection &&
        plan.dryRun.partitionSelection.singleUnitReleaseProbability <= 1e-6,
    );
    const release = await executePlan(plan, fx.engine);
    const cities = release.rows.map((r) => r.keys['city']);
    assert.ok(cities.length >= 4, `released ${cities.length} of the 6 big cities`);
    assert.ok(!cities.includes('Nuuk'));
  });

  test('a binned key next to a private key keeps its groups (bins are matched by index, released by label)', async () => {
    const plan = await fx.plan(
      'SELECT floor(age / 10) * 10 AS decade, city, count(*) AS n FROM people_dp GROUP BY decade, city',
      { epsilon: 50, delta: '1e-6' },
    );
    const release = await executePlan(plan, fx.engine);
    assert.ok(release.rows.length > 10, `released ${release.rows.length} groups, not none`);
    const decades = new Set(release.rows.map((r) => r.keys['decade']));
    assert.ok(
      [...decades].every((d) => typeof d === 'number' && d % 10 === 0),
      [...decades].join(),
    );
    assert.ok(!release.rows.some((r) => r.keys['city'] === 'Nuuk'), 'rare keys still suppressed');
  });

  test('"I need ±20" buys the ε that reaches it', async () => {
    const plan = await fx.plan('SELECT count(*) AS n FROM people_dp', { accuracy: 20 });
    const n = plan.dryRun.columns.find((c) => c.name === 'n');
    assert.ok(n?.halfWidth !== undefined && n.halfWidth <= 20);
    assert.ok(
      Number(plan.cost.epsilon) > 0.1 && Number(plan.cost.epsilon) < 0.2,
      `ε ${plan.cost.epsilon}`,
    );
  });

  test('quantiles and variance run on the data', async () => {
    const plan = await fx.plan(
      'SELECT median(age) AS med, quantile_cont(age, 0.9) AS p90, stddev(age) AS sd FROM people_dp',
      { epsilon: 3 },
    );
    const row = (await executePlan(plan, fx.engine)).rows[0];
    assert.ok(row);
    // ages are spread 18–87 evenly: median ≈ 52, p90 ≈ 80, sd ≈ 20
    assert.ok(
      Math.abs((row.values['med']?.value ?? 0) - 52) < 8,
      `median ${row.values['med']?.value}`,
    );
    assert.ok(
      Math.abs((row.values['p90']?.value ?? 0) - 80) < 8,
      `p90 ${row.values['p90']?.value}`,
    );
    assert.ok(Math.abs((row.values['sd']?.value ?? 0) - 20) < 5, `sd ${row.values['sd']?.value}`);
  });

  test('variance and standard deviation of a number column are in its units', async () => {
    // income is a `number` column: fixed-point sums, so the variance must be scaled back before
    // it is clamped to the bound's largest variance (a release once came out 10⁶ times too small).
    const incomes = peopleRows().map((p) => Math.min(1000, Math.max(0, p.income)));
    const mean = incomes.reduce((a, b) => a + b, 0) / incomes.length;
    const varPop = incomes.reduce((a, b) => a + (b - mean) ** 2, 0) / incomes.length;
    const plan = await fx.plan(
      'SELECT var_pop(income) AS v, stddev_samp(income) AS sd FROM people_dp',
      { epsilon: 3 },
    );
    const row = (await executePlan(plan, fx.engine)).rows[0];
    assert.ok(row);
    for (const [name, truth] of [
      ['v', varPop],
      ['sd', Math.sqrt((varPop * incomes.length) / (incomes.length - 1))],
    ] as const) {
      const cell = row.values[name];
      assert.ok(cell, name);
      assert.ok(Math.abs(cell.value - truth) < truth * 0.25, `${name} ${cell.value} vs ${truth}`);
      assert.ok(
        cell.interval[0] <= cell.value && cell.value <= cell.interval[1],
        `${name} ${cell.value} outside its interval ${cell.interval.join('–')}`,
      );
    }
  });
});
