import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  gaussianCoverage,
  gaussianHalfWidth,
  laplaceCoverage,
  laplaceHalfWidth,
  normalQuantile,
} from '@privet/core/dpsql/accuracy';
import { priceDpPlan } from '@privet/core/dpsql/price';
import { aggregateCell } from '@privet/core/dpsql/release';
import { avgAge, medianAge, plan, varAge } from './plans.js';

describe('half-widths', () => {
  test('Laplace and Gaussian half-widths are the smallest covering integers', () => {
    for (const b of [0.5, 1, 3, 17.5, 1000]) {
      const h = laplaceHalfWidth(b, 0.05);
      assert.ok(
        laplaceCoverage(b, h) >= 0.95 && (h === 0 || laplaceCoverage(b, h - 1) < 0.95),
        `b=${b}`,
      );
    }
    for (const s2 of [0.3, 4, 100, 1e6]) {
      const h = gaussianHalfWidth(s2, 0.05);
      assert.ok(
        gaussianCoverage(s2, h) >= 0.95 && (h === 0 || gaussianCoverage(s2, h - 1) < 0.95),
        `σ²=${s2}`,
      );
    }
    assert.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-6);
  });
});

describe('derived statistics from noisy parts', () => {
  test('AVG and VAR with zero noise reproduce the exact values; intervals contain them', () => {
    // ages 20, 30, 40: count 3, centred (c = 50) sum −60, centred squares 900 + 400 + 100.
    const priced = priceDpPlan(plan([avgAge(), varAge()]), { epsilon: 1 });
    const ms = priced.measurements;
    const avg = aggregateCell(priced, 0, [3n, -60n], ms.slice(0, 2));
    assert.ok(Math.abs(avg.value - 30) < 1e-9);
    assert.ok(avg.interval[0] <= 30 && 30 <= avg.interval[1]);
    const v = aggregateCell(priced, 1, [3n, -60n, 1400n], ms.slice(2, 5));
    assert.ok(Math.abs(v.value - 200 / 3) < 1e-9, `var ${v.value}`);
    assert.ok(v.interval[0] <= v.value && v.value <= v.interval[1]);
  });

  test('AVG with a non-positive noisy count falls back to the bounds', () => {
    const priced = priceDpPlan(plan([avgAge()]), { epsilon: 1 });
    assert.deepEqual(aggregateCell(priced, 0, [0n, 5n], priced.measurements), {
      value: 50,
      interval: [0, 100],
    });
  });

  test('MEDIAN from a histogram lands in the right bin', () => {
    const priced = priceDpPlan(plan([medianAge()]), { epsilon: 1 });
    const bins = priced.encodings[0]?.bins ?? 0;
    assert.equal(bins, 101); // integer column [0, 100]: one bin per value
    const hist = Array.from({ length: bins }, (_, i) => (i >= 40 && i < 60 ? 100n : 0n));
    const cell = aggregateCell(priced, 0, [hist], priced.measurements);
    assert.ok(cell.value >= 49 && cell.value <= 51, `median ${cell.value}`);
    assert.ok(cell.interval[0] <= cell.value && cell.value <= cell.interval[1]);
  });
});
