import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fidelityReport, MAX_BARS } from '@privet/core/synth/fidelity';
import { escapeXml, fidelitySvg } from '@privet/core/synth/fidelity-svg';
import type { DiscreteTable } from '@privet/core/synth/table';

/** x and y equal (strongly associated), z independent; sizes 2, 2, 30. */
function table(rows: number, shift = 0): DiscreteTable {
  const x = new Int32Array(rows);
  const y = new Int32Array(rows);
  const z = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    x[i] = i % 2;
    y[i] = shift ? (i >> 1) % 2 : i % 2;
    z[i] = (i * 7) % 30;
  }
  return {
    columns: [
      { name: 'x', size: 2, codes: x },
      { name: 'y', size: 2, codes: y },
      { name: 'z', size: 30, codes: z },
    ],
    rows,
  };
}

const labels = [['a', 'b'], ['no', 'yes'], Array.from({ length: 30 }, (_, i) => `v${i}`)];

describe('fidelity report', () => {
  test('a table compared with itself: zero TVD and correlation difference, equal accuracies', () => {
    const t = table(600);
    const r = fidelityReport({
      view: 'v',
      real: t,
      synthetic: t,
      labels,
      target: 'y',
      createdAt: 'now',
    });
    assert.deepEqual(r.tvd, { oneWay: 0, twoWay: 0, threeWay: 0, threeWaySkipped: 0 });
    assert.equal(r.correlations.maxDifference, 0);
    assert.equal(r.correlations.pairs.length, 3);
    assert.equal(r.utility!.accuracySyntheticOnReal, 1);
    assert.equal(r.utility!.accuracyRealOnReal, 1);
    assert.equal(r.utility!.accuracyMajority, 0.5);
    const z = r.columns[2]!;
    assert.equal(z.bars.length, MAX_BARS);
    assert.match(z.bars.at(-1)!.label, /^… 15 more$/);
    assert.ok(Math.abs(z.bars.reduce((a, b) => a + b.real, 0) - 1) < 1e-12);
  });

  test('the catch-all and the real values not released keep their own bars among many', () => {
    const t = table(600);
    // z's last two codes are "(other)" and "(not released)"; both are rare (20 of 600 rows each).
    const zLabels = [...labels[2]!.slice(0, 28), '(other)', '(not released)'];
    const r = fidelityReport({
      view: 'v',
      real: t,
      synthetic: t,
      labels: [labels[0]!, labels[1]!, zLabels],
      createdAt: 'now',
    });
    const z = r.columns[2]!;
    assert.equal(z.bars.length, MAX_BARS);
    const names = z.bars.map((b) => b.label);
    assert.ok(names.includes('(other)') && names.includes('(not released)'), names.join(', '));
    assert.match(z.bars.at(-1)!.label, /^… 15 more$/);
    assert.ok(Math.abs(z.bars.reduce((a, b) => a + b.real, 0) - 1) < 1e-12);
  });

  test('breaking the x–y association shows in 2-way TVD, Cramér V difference and utility', () => {
    const r = fidelityReport({
      view: 'v',
      real: table(600),
      synthetic: table(600, 1),
      labels,
      target: 'y',
      createdAt: 'now',
    });
    assert.equal(r.tvd.oneWay, 0);
    assert.ok(r.tvd.twoWay > 0.1);
    const xy = r.correlations.pairs.find((p) => p.columns.join() === 'x,y')!;
    assert.equal(xy.real, 1);
    assert.ok(xy.synthetic < 0.1 && xy.difference > 0.9);
    assert.ok(r.utility!.accuracySyntheticOnReal < 0.8);
  });

  test('refuses tables of different schemas and unknown targets', () => {
    const t = table(10);
    const other: DiscreteTable = { ...t, columns: t.columns.slice(0, 2) };
    assert.throws(
      () => fidelityReport({ view: 'v', real: t, synthetic: other, labels, createdAt: 'now' }),
      /different columns or domains/,
    );
    assert.throws(
      () =>
        fidelityReport({ view: 'v', real: t, synthetic: t, labels, target: 'w', createdAt: 'now' }),
      /Target column "w"/,
    );
  });

  test('the SVG escapes every label and draws one bar pair per category shown', () => {
    const t = table(60);
    const evil = [['<script>', 'a&b'], ['"q"', "'s'"], labels[2]!];
    const r = fidelityReport({ view: 'v', real: t, synthetic: t, labels: evil, createdAt: 'now' });
    const svg = fidelitySvg(r);
    assert.ok(!svg.includes('<script>'));
    assert.ok(svg.includes('&lt;script&gt;') && svg.includes('a&amp;b'));
    assert.equal(escapeXml(`<&>"'`), '&lt;&amp;&gt;&quot;&#39;');
    const bars = r.columns.reduce((a, c) => a + c.bars.length, 0);
    assert.equal((svg.match(/<rect x="150"/g) ?? []).length, 2 * bars);
  });
});
