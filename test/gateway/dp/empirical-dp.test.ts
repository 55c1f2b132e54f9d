// Empirical DP check of the SQL aggregate paths (count, count of distinct units, sum, avg): exact aggregates come from the
// real SQL path on neighbouring datasets (with / without one unit at its contribution limit), noise
// from the real release path; bucket-probability ratios must stay ≤ e^ε (within a margin), and a
// deliberately under-noised variant (half the noise scale) must be caught.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRandomSource } from '@privet/core/dp/random';
import type { DpPricedPlan } from '@privet/core/dpsql/price';
import { exactAggregates } from '../../../gateway/src/dp/execute.js';
import { addNoise } from '../../../gateway/src/dp/noise.js';
import { empiricalEpsilon } from './dp-tester.js';
import { openDpFixture, type DpFixture } from './fixture.js';

const SAMPLES = 20_000;
const MARGIN = 1.25; // allowed ratio e^ε · 1.25 (≈ 5σ of the sampling error at ≥ 800 per bucket)
const rng = defaultRandomSource();

function sample(priced: DpPricedPlan, exact: Record<string, unknown>[], column: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < SAMPLES; i++)
    out.push(addNoise(priced, exact, rng)[0]?.values[column]?.value ?? NaN);
  return out;
}

function halfNoise(priced: DpPricedPlan): DpPricedPlan {
  return {
    ...priced,
    measurements: priced.measurements.map((m) => ({ ...m, scale: m.scale.div(2n) })),
  };
}

describe('empirical DP of the SQL aggregate paths', () => {
  let withUnit: DpFixture;
  let without: DpFixture;
  before(async () => {
    withUnit = await openDpFixture({ heavyRows: 10 }); // bounded to 5 rows of amount 100: the worst case
    without = await openDpFixture({ heavyRows: 0 });
  });
  after(() => {
    withUnit.close();
    without.close();
  });

  const cases: {
    name: string;
    sql: string;
    column: string;
    bucket: number;
    catchBroken: boolean;
  }[] = [
    {
      name: 'COUNT(*)',
      sql: 'SELECT count(*) AS v FROM events_dp',
      column: 'v',
      bucket: 1,
      catchBroken: true,
    },
    {
      name: 'SUM(amount)',
      sql: 'SELECT sum(amount) AS v FROM events_dp',
      column: 'v',
      bucket: 250,
      catchBroken: true,
    },
    {
      // Sensitivity 1 without GROUP BY: the unit is one of the units counted, however many rows.
      name: 'COUNT(DISTINCT pid)',
      sql: 'SELECT count(DISTINCT pid) AS v FROM events_dp',
      column: 'v',
      bucket: 1,
      catchBroken: true,
    },
    {
      name: 'AVG(amount)',
      sql: 'SELECT avg(amount) AS v FROM events_dp',
      column: 'v',
      bucket: 0.25,
      catchBroken: false,
    },
  ];
  for (const c of cases) {
    test(`${c.name}: ratio ≤ e^ε on neighbours${c.catchBroken ? '; half noise is caught' : ''}`, async () => {
      const epsilon = 1;
      const plan = await withUnit.plan(c.sql, { epsilon });
      const a = await exactAggregates(plan, withUnit.engine, 7n);
      const b = await exactAggregates(plan, without.engine, 7n);
      assert.notDeepEqual(a, b, 'the neighbouring datasets must differ');
      const est = empiricalEpsilon(
        sample(plan.priced, a, c.column),
        sample(plan.priced, b, c.column),
        c.bucket,
        800,
      );
      if (process.env.DP_DEBUG) console.log(c.name, est);
      assert.ok(est.events >= 3, `too few comparable events (${est.events})`);
      assert.ok(
        est.epsilon <= epsilon + Math.log(MARGIN),
        `${c.name}: empirical ε ${est.epsilon.toFixed(3)} > ${epsilon}`,
      );
      if (c.catchBroken) {
        // The neighbours are a worst case (the unit at its limit), so the estimate is sharp.
        assert.ok(
          est.epsilon >= 0.8 * epsilon,
          `${c.name}: estimate ${est.epsilon.toFixed(3)} should be near ε`,
        );
        const broken = halfNoise(plan.priced);
        const bad = empiricalEpsilon(
          sample(broken, a, c.column),
          sample(broken, b, c.column),
          c.bucket,
          800,
        );
        assert.ok(
          bad.epsilon > epsilon + Math.log(MARGIN),
          `${c.name}: half-noise variant not caught (ε̂ ${bad.epsilon.toFixed(3)})`,
        );
      }
    });
  }
});
