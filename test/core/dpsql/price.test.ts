import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rational } from '@privet/core/dp/rational';
import { DpSqlError } from '@privet/core/dpsql/errors';
import { priceDpPlan } from '@privet/core/dpsql/price';
import { laplaceCoverage } from '@privet/core/dpsql/accuracy';
import { laplaceUpperTail as certifiedUpperTail } from '@privet/core/dp/tails';
import { avgAge, count, plan, privateCity, sumIncome, varAge } from './plans.js';

/** The refusal `fn` throws (undefined when it is accepted). */
const refusalOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof DpSqlError) return err.refusal;
    throw err;
  }
  return undefined;
};
const code = (fn: () => unknown) => refusalOf(fn)?.code ?? 'accepted';

describe('pricing DP plans', () => {
  test('ε = 1 over 3 counts: discrete Laplace scale 3, 95% half-width 9 (OpenDP anchor ±9.45 is h + 1)', () => {
    const priced = priceDpPlan(plan([count('a'), count('b'), count('c')]), { epsilon: 1 });
    assert.equal(priced.cost.epsilon, '1');
    for (const m of priced.measurements) {
      assert.ok(m.scale.equals(3n));
      assert.equal(m.halfWidth, 9);
      assert.ok(laplaceCoverage(3, 9) >= 0.95 && laplaceCoverage(3, 8) < 0.95);
    }
  });

  test('sensitivities scale with rows per unit and fixed-point bounds', () => {
    const priced = priceDpPlan(plan([count(), sumIncome(), avgAge()], [], 5, 2), { epsilon: 2 });
    const [n, s, ac, as] = priced.measurements;
    assert.ok(n && s && ac && as);
    assert.ok(n.sensitivity.equals(5n)); // 5 rows, 1 each
    assert.ok(s.sensitivity.equals(5n * 1000n * 1000n)); // 5 rows × 1000 × fixed point 1000
    assert.ok(as.sensitivity.equals(5n * 50n)); // centred on 50, half-range 50
    assert.ok(n.scale.equals(Rational.of(5n).div(Rational.of(2n, 4n)))); // ε split 4 ways
    assert.equal(ac.alpha, 0.025); // AVG's two parts share alpha
  });

  test('COUNT(DISTINCT unit): sensitivity 1 without GROUP BY, min(G, R) with it', () => {
    const distinct = { name: 'people', kind: 'count_distinct_unit' as const };
    const sex = {
      name: 'sex',
      column: { table: 0, column: 'sex', type: 'string' as const },
      publicKeys: ['F', 'M'],
    };
    // 5 rows and 2 groups per unit: a unit is one of the units counted, once.
    const alone = priceDpPlan(plan([distinct], [], 5, 2), { epsilon: 1 });
    assert.ok(alone.measurements[0]?.sensitivity.equals(1n));
    assert.ok(alone.measurements[0]?.scale.equals(1n));
    const zcdp = priceDpPlan(plan([distinct], [], 5, 2), { rho: '0.5' });
    assert.ok(zcdp.measurements[0]?.sensitivity.equals(1n));
    // Grouped, it is counted once in each of at most 2 groups.
    const grouped = priceDpPlan(plan([distinct], [sex], 5, 2), { epsilon: 1 });
    assert.ok(grouped.measurements[0]?.sensitivity.equals(2n));
  });

  test('ρ-zCDP uses the discrete Gaussian with σ² = Δ²/(2ρ_i)', () => {
    const priced = priceDpPlan(plan([count(), varAge()]), { rho: '0.5' });
    assert.equal(priced.mechanism, 'discrete_gaussian');
    assert.equal(priced.cost.rho, '0.5');
    const n = priced.measurements[0];
    assert.ok(n && n.scale.equals(Rational.of(1n).div(Rational.of(2n).mul(Rational.of(1n, 8n)))));
  });

  test('a target accuracy is solved to the smallest 2-digit ε that reaches it', () => {
    const p = plan([count(), sumIncome()]);
    const priced = priceDpPlan(p, { accuracy: 50 });
    const eps = Rational.from(priced.cost.epsilon ?? '0');
    for (const m of priced.measurements) {
      const f = priced.encodings[m.aggregate]?.fixedPoint ?? 1n;
      assert.ok(m.halfWidth / Number(f) <= 50, `half-width ${m.halfWidth / Number(f)}`);
    }
    const cheaper = priceDpPlan(p, { epsilon: eps.mul(Rational.of(9n, 10n)).toString() });
    assert.ok(
      cheaper.measurements.some(
        (m) => m.halfWidth / Number(cheaper.encodings[m.aggregate]?.fixedPoint ?? 1n) > 50,
      ),
    );
  });

  test('partition selection: threshold keeps a single-unit key below δ, cost becomes (ε, δ)', () => {
    const priced = priceDpPlan(plan([count()], [privateCity()]), { epsilon: 1, delta: '1e-6' });
    assert.ok(priced.selection);
    assert.ok(priced.selection.singleUnitProbability <= 1e-6);
    // The threshold is the smallest one a certified (exact rational) tail bound allows: no float
    // rounding decides it, and no key is suppressed by a needlessly high one.
    const { scale, threshold } = priced.selection;
    const certified = (tau: bigint) =>
      certifiedUpperTail(scale, tau - 1n)
        .upper.mul(BigInt(Math.min(priced.logical.maxGroupsPerUnit, priced.logical.maxRowsPerUnit)))
        .lte(Rational.from('1e-6'));
    assert.ok(certified(threshold), 'the release of a single-unit key is bounded by δ');
    assert.ok(!certified(threshold - 1n), 'one lower would not be');
    assert.equal(priced.cost.measure, 'approx');
    assert.equal(priced.cost.delta, '0.000001');
    assert.equal(
      code(() => priceDpPlan(plan([count()], [privateCity()]), { epsilon: 1 })),
      'needs_delta',
    );
    assert.equal(
      code(() => priceDpPlan(plan([count()], [privateCity()]), { rho: 1, delta: '1e-6' })),
      'needs_delta',
    );
  });

  test('bad budgets are refused with bad_budget', () => {
    for (const epsilon of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '1/0', 'x']) {
      assert.equal(
        code(() => priceDpPlan(plan([count()]), { epsilon })),
        'bad_budget',
        String(epsilon),
      );
    }
    assert.equal(
      code(() => priceDpPlan(plan([count()]), { epsilon: 1, alpha: 2 })),
      'bad_budget',
    );
    assert.equal(
      code(() => priceDpPlan(plan([count()]), { epsilon: 1, delta: '0.5' })),
      'bad_budget',
    );
    assert.equal(
      code(() => priceDpPlan(plan([avgAge()]), { accuracy: 1 })),
      'bad_budget',
    );
    // A cost so small the noise drowns everything (1e-400 would release no finite number).
    for (const epsilon of ['1e-400', '1e-7'])
      assert.equal(
        code(() => priceDpPlan(plan([count()]), { epsilon })),
        'bad_budget',
        epsilon,
      );
    assert.equal(
      code(() => priceDpPlan(plan([count()]), { epsilon: '1e-6' })),
      'accepted',
    );
    assert.equal(
      code(() => priceDpPlan(plan([count()]), { rho: '1e-13' })),
      'bad_budget',
    );
    // The fix for a bad δ or α suggests a value that would itself be accepted.
    const fixOf = (fn: () => unknown): string => refusalOf(fn)?.fix ?? '';
    assert.match(
      fixOf(() => priceDpPlan(plan([count()]), { epsilon: 1, delta: '-1' })),
      /such as 1e-9/,
    );
    assert.match(
      fixOf(() => priceDpPlan(plan([count()]), { epsilon: 1, alpha: 0 })),
      /0\.05/,
    );
  });
});
