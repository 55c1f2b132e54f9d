import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { formatLoss } from '@privet/core/dp/accounting';
import { DpError } from '@privet/core/dp/errors';
import {
  chain,
  chainTransformations,
  composeMeasurements,
  postprocess,
  type UnitRow,
} from '@privet/core/dp/measurement';
import {
  makeDiscreteGaussian,
  makeDiscreteLaplace,
  makeNoisyCount,
  makeNoisyMean,
  makeNoisySum,
  noiseFor,
} from '@privet/core/dp/mechanisms';
import { Rational } from '@privet/core/dp/rational';
import {
  fixedPoint,
  makeBoundContributions,
  makeClampedSum,
  makeCount,
  makeGroupedAggregate,
  toFixedPoint,
  type KeyedUnitRow,
} from '@privet/core/dp/transformations';
import { XorShiftSource } from './stats.js';

const R = (x: string | number) => Rational.from(x);

describe('transformations: stability maps', () => {
  test('count: d units → d·m', () => {
    assert.equal(makeCount(3).stabilityMap(R(2)).toString(), '6');
  });
  test('clamped sum: d·m·max(|L|,|U|)/resolution (in fixed-point units)', () => {
    const t = makeClampedSum(2, { lower: R('-1.5'), upper: R('0.5'), resolution: R('0.5') });
    assert.equal(t.stabilityMap(R(1)).toString(), '6'); // 2 rows × |−1.5| / 0.5
  });
  test('refuses bounds off the resolution grid, reversed bounds and m < 1', () => {
    assert.throws(
      () => makeClampedSum(1, { lower: R(0), upper: R('1.25'), resolution: R('0.5') }),
      DpError,
    );
    assert.throws(() => makeClampedSum(1, { lower: R(2), upper: R(1) }), DpError);
    assert.throws(() => makeCount(0), DpError);
  });
  test('fixed point clamps, rounds, and maps malformed values to 0 without throwing', () => {
    const fp = fixedPoint({ lower: R(0), upper: R(10), resolution: R('0.1') });
    assert.equal(toFixedPoint(3.14159, fp), 31n);
    assert.equal(toFixedPoint('2.25', fp), 23n); // exact decimal, half away from zero
    assert.equal(toFixedPoint(1e300, fp), 100n);
    assert.equal(toFixedPoint(-5n, fp), 0n);
    assert.equal(toFixedPoint(Number.POSITIVE_INFINITY, fp), 100n);
    for (const bad of [null, Number.NaN, 'not a number']) assert.equal(toFixedPoint(bad, fp), 0n);
  });
  test('bounding contributions keeps at most m rows per unit', () => {
    const rows: UnitRow[] = [1, 2, 3, 4].map((v) => ({ unit: 'a', value: v }));
    rows.push({ unit: 'b', value: 9 });
    const pipeline = chainTransformations(
      makeBoundContributions(2),
      makeClampedSum(2, { lower: R(0), upper: R(10) }),
    );
    const m = chain(pipeline, makeDiscreteLaplace(R('1e-9')));
    // Noise with scale 1e-9 is 0 with overwhelming probability: the kept rows are 1, 2 and 9.
    assert.equal(m.invoke(rows), 12n);
    assert.equal(formatLoss(m.privacyMap(R(1))), 'ε=20000000000.0');
  });
  test('grouped aggregates drop undeclared keys and refuse duplicate keys', () => {
    const t = makeGroupedAggregate(2, ['x', 'y'], 'l1-distance');
    const rows: KeyedUnitRow[] = [
      { unit: 1, key: 'x', value: null },
      { unit: 1, key: 'z', value: null },
      { unit: 2, key: 'y', value: null },
      { unit: 3, key: 'y', value: null },
    ];
    const m = chain(
      t,
      makeDiscreteLaplace<bigint[]>(R('1e-9'), { kind: 'integer-vector', length: 2 }),
    );
    assert.deepEqual(m.invoke(rows), [1n, 2n]);
    assert.throws(() => makeGroupedAggregate(1, ['x', 'x'], 'l1-distance'), DpError);
  });
});

describe('chain checks that steps fit', () => {
  test('metric mismatch: a vector in L1 cannot feed the Gaussian (L2)', () => {
    const t = makeGroupedAggregate(1, ['a', 'b'], 'l1-distance');
    assert.throws(
      () => chain(t, makeDiscreteGaussian<bigint[]>(R(1), { kind: 'integer-vector', length: 2 })),
      (e: unknown) => e instanceof DpError && e.code === 'measurement.metric-mismatch',
    );
  });
  test('domain mismatch: a scalar count cannot feed a vector mechanism', () => {
    assert.throws(
      () =>
        chain(
          makeCount(1),
          makeDiscreteLaplace<bigint>(R(1), { kind: 'integer-vector', length: 3 }),
        ),
      (e: unknown) => e instanceof DpError && e.code === 'measurement.domain-mismatch',
    );
  });
  test('contribution-bounded rows must match the declared bound', () => {
    assert.throws(() => chainTransformations(makeBoundContributions(2), makeCount(3)), DpError);
  });
});

describe('mechanisms: privacy maps and derived answers', () => {
  test('noisy count spends exactly the budget it was sized for', () => {
    const c = makeNoisyCount(4, { mechanism: 'laplace', epsilon: R('0.5') });
    assert.equal(c.sensitivity.toString(), '4');
    assert.ok(c.noise.mechanism === 'laplace' && c.noise.scale.equals(8));
    assert.equal(formatLoss(c.measurement.privacyMap(R(1))), 'ε=0.5');
    const g = makeNoisyCount(4, { mechanism: 'gaussian', rho: R('0.5') });
    assert.ok(g.noise.mechanism === 'gaussian' && g.noise.sigma2.equals(16));
    assert.equal(formatLoss(g.measurement.privacyMap(R(1))), 'ρ=0.5');
  });
  test('zero sensitivity (missing bounds) refuses to build: no noise-free release', () => {
    assert.throws(() => noiseFor({ mechanism: 'laplace', epsilon: R(1) }, R(0)), /sensitivity 0/);
    assert.throws(
      () => makeNoisySum(1, { lower: R(0), upper: R(0) }, { mechanism: 'laplace', epsilon: R(1) }),
      DpError,
    );
  });
  test('noisy sum releases an exact Rational at the resolution', () => {
    const s = makeNoisySum(
      1,
      { lower: R(0), upper: R(100), resolution: R('0.01') },
      { mechanism: 'laplace', epsilon: R(1) },
    );
    const rows: UnitRow[] = [
      { unit: 1, value: 12.345 },
      { unit: 2, value: '0.005' },
    ];
    const out = s.measurement.invoke(rows, new XorShiftSource(7));
    assert.ok(out.mul(100n).isInteger());
    assert.equal(s.sensitivity.toString(), '10000');
  });
  test('noisy mean: budget split composes back to the whole, output stays within bounds', () => {
    const m = makeNoisyMean(
      1,
      { lower: R(0), upper: R(10) },
      { mechanism: 'laplace', epsilon: R(1) },
      Rational.of(3, 4),
    );
    assert.equal(formatLoss(m.measurement.privacyMap(R(1))), 'ε=1.0');
    const rows: UnitRow[] = Array.from({ length: 200 }, (_, i) => ({ unit: i, value: i % 11 }));
    for (let i = 0; i < 50; i++) {
      const mean = m.measurement.invoke(rows);
      assert.ok(mean.gte(0n) && mean.lte(10n));
    }
    const gm = makeNoisyMean(
      1,
      { lower: R(0), upper: R(10) },
      { mechanism: 'gaussian', rho: R('0.5') },
    );
    assert.equal(formatLoss(gm.measurement.privacyMap(R(1))), 'ρ=0.5');
  });
  test('composition refuses mixed measures; post-processing keeps the privacy map', () => {
    const a = makeNoisyCount(1, { mechanism: 'laplace', epsilon: R(1) }).measurement;
    const b = makeNoisyCount(1, { mechanism: 'gaussian', rho: R(1) }).measurement;
    assert.throws(() => composeMeasurements([a, b]), DpError);
    const p = postprocess(a, (x) => x * 2n);
    assert.equal(formatLoss(p.privacyMap(R(1))), 'ε=1.0');
  });
});
