/** Shared interval-coverage and partition-selection trials (fast and slow test files use them). */
import assert from 'node:assert/strict';
import { defaultRandomSource } from '@privet/core/dp/random';
import type { BudgetRequest } from '@privet/core/dpsql/price';
import { exactAggregates } from '../../../gateway/src/dp/execute.js';
import { addNoise } from '../../../gateway/src/dp/noise.js';
import type { DpFixture } from './fixture.js';

const rng = defaultRandomSource();

/** Empirical coverage of the shown interval of one aggregate over `trials` noise draws. */
export async function coverage(
  fx: DpFixture,
  sql: string,
  budget: BudgetRequest,
  trials: number,
): Promise<{ rate: number; reported: number | undefined }> {
  const plan = await fx.plan(sql, budget);
  const exact = await exactAggregates(plan, fx.engine, 99n);
  const priced = plan.priced;
  const agg = priced.logical.aggregates[0];
  const enc = priced.encodings[0];
  assert.ok(agg && enc && exact[0]);
  const m = (i: number) => Number(String(exact[0]?.[`m${i}`] ?? '0'));
  const f = Number(enc.fixedPoint);
  const truth = agg.kind === 'avg' ? (Number(enc.centre) + m(1) / m(0)) / f : m(0) / f;
  let covered = 0;
  for (let i = 0; i < trials; i++) {
    const cell = addNoise(priced, exact, rng)[0]?.values[agg.name];
    assert.ok(cell);
    if (cell.interval[0] <= truth + 1e-9 && truth - 1e-9 <= cell.interval[1]) covered++;
  }
  const reported = priced.measurements.length === 1 ? priced.measurements[0]?.coverage : undefined;
  return { rate: covered / trials, reported };
}

/** How often partition selection releases the key 'Nuuk' (held by one person) in `trials` runs. */
export async function singleUnitReleases(
  fx: DpFixture,
  delta: string,
  trials: number,
): Promise<{ releases: number; predicted: number }> {
  const plan = await fx.plan('SELECT city, count(*) AS n FROM people_dp GROUP BY city', {
    epsilon: 1,
    delta,
  });
  const selection = plan.priced.selection;
  assert.ok(selection, 'city has no public keys, so selection must be planned');
  const exact = await exactAggregates(plan, fx.engine, 5n);
  const nuuk = exact.filter((r) => r['k0'] === 'Nuuk');
  assert.equal(nuuk.length, 1);
  assert.equal(String(nuuk[0]?.['sel']), '1', 'Nuuk is held by exactly one privacy unit');
  let releases = 0;
  for (let i = 0; i < trials; i++) releases += addNoise(plan.priced, nuuk, rng).length;
  return { releases, predicted: selection.singleUnitProbability };
}
